// The search page: Pagefind's UI over the index the build made (build/site/pagefind/), all served from the site.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  new PagefindUI({element: "#search", showSubResults: false, showImages: false,
                  translations: {placeholder: "Søk, for eksempel «fastlege» eller «Helsedirektoratet»"}});
});
