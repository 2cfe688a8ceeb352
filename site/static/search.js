// The search page. Full text comes from Pagefind's index (made at build time, served from the site); the site's own
// small index (sok-indeks.js: every searchable page's path, name, type, document and identifiers) puts an exact
// identifier first, filters results by type and document, and is the whole search when the page is opened from
// disk, where the browser lets no script fetch Pagefind's files.
(function () {
  "use strict";
  var index = window.helsegrafSok;
  var form = document.getElementById("search-form");
  if (!index || !form) { return; }
  var box = document.getElementById("q");
  var typeSel = document.getElementById("q-type");
  var docSel = document.getElementById("q-doc");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var more = document.getElementById("more");
  var exact = document.getElementById("exact");
  var exactList = document.getElementById("exact-list");
  var mode = document.getElementById("search-mode");
  var root = new URL(form.getAttribute("data-root"), location.href);  // the site's: Pagefind's paths start here
  var pages = new URL(form.getAttribute("data-pages"), location.href);  // the pages in this page's language
  var PAGE = 20;
  var ORDER = ["document", "actor", "law", "report", "patient_group", "topic", "part", "measure", "text-item", "term"];
  var byPath = {};
  index.entries.forEach(function (e) { byPath[e[0]] = e; });
  var pagefind = null;
  var generation = 0;
  var pending = null;  // the rest of the current search: a function that shows the next PAGE results

  form.hidden = false;

  // As sok-indeks.js was made (search_entries.normal): letters and digits only, case folded.
  function normal(s) { return s.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ""); }
  function fold(s) { return s.normalize("NFKC").toLowerCase(); }

  function wanted(e) {
    return e && (!typeSel.value || e[2] === typeSel.value) && (!docSel.value || e[3] === docSel.value);
  }

  function describe(e) {
    var bits = [index.types[e[2]] || e[2]];
    if (e[3] && index.documents[e[3]]) { bits.push(index.documents[e[3]]); }
    return bits.join(" · ");
  }

  function link(path, text) {
    var a = document.createElement("a");
    a.href = new URL(path, pages).href;
    a.textContent = text;
    return a;
  }

  // Pagefind's excerpt is text with <mark> around the words found; it is shown as text, the marks as marks.
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "excerpt";
    var marked = false;
    html.split(/(<\/?mark>)/).forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      var text = new DOMParser().parseFromString("<!doctype html><body>" + part, "text/html").body.textContent;
      var node = document.createTextNode(text);
      if (marked) { var m = document.createElement("mark"); m.appendChild(node); p.appendChild(m); }
      else { p.appendChild(node); }
    });
    return p;
  }

  function item(e, path, title, html) {
    var li = document.createElement("li");
    li.appendChild(link(path, e ? e[1] : title));
    var note = document.createElement("span");
    note.className = "note";
    note.textContent = " " + (e ? describe(e) : "");
    li.appendChild(note);
    if (html) { li.appendChild(excerpt(html)); }
    return li;
  }

  function say(n, shown) {
    var t = n === 0 ? status.getAttribute("data-none") : n > shown ? status.getAttribute("data-many") : status.getAttribute("data-some");
    status.textContent = t.replace("{n}", n).replace("{shown}", shown);
  }

  function showExact(q) {
    var key = normal(q);
    exactList.textContent = "";
    var hits = key.length < 2 ? [] : index.entries.filter(function (e) {
      return wanted(e) && e[4].split(" | ").concat([e[1]]).some(function (id) { return normal(id) === key; });
    });
    hits.slice(0, 10).forEach(function (e) { exactList.appendChild(item(e, e[0], e[1])); });
    exact.hidden = hits.length === 0;
  }

  // Opened from disk: every word in the name, text or identifiers; exact identifiers and names that begin with the
  // words first, then by kind (documents and entities before the items that name them).
  function localSearch(q) {
    var words = fold(q).split(/\s+/).filter(Boolean);
    var key = normal(q), start = fold(q).trim();
    var hits = index.entries.filter(function (e) {
      var hay = fold(e[1] + " " + e[4]);
      return wanted(e) && words.every(function (w) { return hay.indexOf(w) >= 0; });
    });
    function rank(e) {
      var ids = e[4].split(" | ").map(normal);
      return (ids.indexOf(key) >= 0 ? 0 : fold(e[1]).indexOf(start) === 0 ? 1 : 2) * 100 + ORDER.indexOf(e[2]);
    }
    hits.sort(function (a, b) { return rank(a) - rank(b) || (a[0] < b[0] ? -1 : 1); });
    return hits;
  }

  async function run() {
    var q = box.value.trim();
    var mine = ++generation;
    list.textContent = "";
    more.hidden = true;
    pending = null;
    remember(q);
    if (!q) { status.textContent = ""; exact.hidden = true; return; }
    showExact(q);
    if (!pagefind) {
      var hits = localSearch(q), at = 0;
      pending = function () {
        hits.slice(at, at + PAGE).forEach(function (e) { list.appendChild(item(e, e[0], e[1])); });
        at += PAGE;
        more.hidden = at >= hits.length;
        say(hits.length, Math.min(at, hits.length));
      };
      pending();
      return;
    }
    var found = await pagefind.search(q);
    if (mine !== generation || !found) { return; }
    var results = found.results, next = 0, shown = 0, filtered = !!(typeSel.value || docSel.value);
    pending = async function () {
      var added = 0;
      while (added < PAGE && next < results.length) {
        var batch = await Promise.all(results.slice(next, next + PAGE).map(function (r) { return r.data(); }));
        if (mine !== generation) { return; }
        next += batch.length;
        batch.forEach(function (d) {
          var path = decodeURI(d.url).slice(root.pathname.length);
          if (path.endsWith("/") || path === "") { path += "index.html"; }
          var e = byPath[path];
          if (filtered ? wanted(e) : true) { list.appendChild(item(e, path, d.meta.title, d.excerpt)); added++; }
        });
      }
      shown += added;
      more.hidden = next >= results.length;
      if (filtered) { status.textContent = status.getAttribute("data-some").replace("{n}", shown + (next < results.length ? "+" : "")); }
      else { say(results.length, shown); }
    };
    await pending();
  }

  function remember(q) {
    var params = new URLSearchParams();
    if (q) { params.set("q", q); }
    if (typeSel.value) { params.set("type", typeSel.value); }
    if (docSel.value) { params.set("doc", docSel.value); }
    try { history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname); }
    catch (e) { /* a file: address may refuse; the search works all the same */ }
  }

  var timer = null;
  function soon() { clearTimeout(timer); timer = setTimeout(run, 150); }
  box.addEventListener("input", soon);
  typeSel.addEventListener("change", run);
  docSel.addEventListener("change", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  more.addEventListener("click", function () { if (pending) { pending(); } });

  var given = new URLSearchParams(location.search);
  box.value = given.get("q") || "";
  typeSel.value = given.get("type") || "";
  docSel.value = given.get("doc") || "";

  function start() { if (box.value) { run(); } }
  if (location.protocol === "file:") {
    mode.textContent = mode.getAttribute("data-disk");
    mode.hidden = false;
    start();
    return;
  }
  // A large site's index comes in several bundles (search_index.py): the first is loaded, the others merged into it.
  // Without the list the first bundle is searched alone, and the console says so.
  async function bundles() {
    try {
      var r = await fetch(new URL(form.getAttribute("data-bundles"), location.href));
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return (await r.json()).bundles.slice(1);
    } catch (e) {
      console.warn("helsegraf: the search index's list of bundles could not be read (" + e + "); searching the first alone");
      return [];
    }
  }
  Promise.all([import(new URL(form.getAttribute("data-pagefind"), location.href).href), bundles()]).then(async function (got) {
    var pf = got[0];
    await pf.options({baseUrl: root.pathname});
    pf.init();
    for (var i = 0; i < got[1].length; i++) {
      await pf.mergeIndex(new URL(got[1][i], root).pathname, {baseUrl: root.pathname});
    }
    pagefind = pf;
    start();
  }).catch(function () {
    mode.textContent = mode.getAttribute("data-disk");
    mode.hidden = false;
    start();
  });
}());
