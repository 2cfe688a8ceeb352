// The query page: send the textarea's query to the endpoint and show the answer as a table. Without JavaScript the
// form posts straight to the endpoint instead.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  // The page's words, in its language (the template writes them): data-running, data-done, data-error, …
  function word(name) { return status.getAttribute("data-" + name); }
  var root = results.getAttribute("data-root") || "";  // the site's root, from this page
  // A link may bring its own query (sparql.html?query=…), e.g. "all links to this resource" on a resource page.
  var given = new URLSearchParams(window.location.search).get("query");
  if (given) { textarea.value = given; }

  // The endpoint written into the page is the one the build was configured with; endpoint.json, beside this page,
  // names the one that serves this site now (`helsegraf serve` answers it with its own address). Opened from disk,
  // the page keeps what it says.
  function useEndpoint(url) {
    var old = form.getAttribute("action");
    if (!url || url === old) { return; }
    form.setAttribute("action", url);
    document.getElementById("endpoint-url").textContent = url;
    Array.prototype.forEach.call(document.querySelectorAll("a.example"), function (a) {
      a.href = url + a.getAttribute("href").slice(old.length);
    });
  }
  if (window.location.protocol !== "file:") {
    fetch(root + "endpoint.json", {cache: "no-cache"}).then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (j) { useEndpoint(j.endpoint); }).catch(function () {});
  }

  // The graph's own IRIs open their page on this site.
  var base = results.getAttribute("data-base") || "", ontology = results.getAttribute("data-ontology") || "";
  function local(iri) {
    if (base && iri.indexOf(base + "id/") === 0) { return root + iri.slice(base.length) + ".html"; }
    if (ontology && iri.indexOf(ontology) === 0 && iri.length > ontology.length) {
      return root + "ontologi/" + iri.slice(ontology.length) + ".html";
    }
    return iri;
  }

  // Only http(s) IRIs become links: a result may hold any IRI (javascript:, data:), and all text goes in as text.
  var LINKABLE = /^https?:\/\//i;

  function cell(binding) {
    var td = document.createElement("td");
    if (!binding) { return td; }
    if (binding.type === "uri" && LINKABLE.test(binding.value)) {
      var a = document.createElement("a");
      a.href = local(binding.value);
      a.textContent = binding.value;
      td.appendChild(a);
    } else {
      td.textContent = binding.value;
      if (binding["xml:lang"]) { td.lang = binding["xml:lang"]; }
    }
    return td;
  }

  function show(data) {
    results.textContent = "";
    if (typeof data.boolean === "boolean") {
      var p = document.createElement("p");
      p.textContent = data.boolean ? word("true") : word("false");
      results.appendChild(p);
      return;
    }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = document.createElement("table");
    table.id = "results-table";
    var caption = document.createElement("caption");
    caption.textContent = rows.length + " " + (rows.length === 1 ? word("row") : word("rows"));
    table.appendChild(caption);
    var thead = document.createElement("thead"), tr = document.createElement("tr");
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = v;
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = document.createElement("tbody");
    rows.forEach(function (row) {
      var r = document.createElement("tr");
      vars.forEach(function (v) { r.appendChild(cell(row[v])); });
      tbody.appendChild(r);
    });
    table.appendChild(tbody);
    results.appendChild(table);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = word("running");
    fetch(form.getAttribute("action"), {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
      body: textarea.value
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) { throw new Error(response.status + ": " + text); });
      }
      return response.json();
    }).then(function (data) {
      show(data);
      status.textContent = word("done");
    }).catch(function (error) {
      results.textContent = "";
      var p = document.createElement("p");
      p.className = "error";
      p.textContent = word("error") + ": " + error.message;
      results.appendChild(p);
      status.textContent = word("failed");
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("a.example"), function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      textarea.value = a.getAttribute("data-query");
      textarea.focus();
    });
  });
}());
