// The measure table's filters: every row is on the page, so filtering only hides rows — it works opened from disk.
// The filters are kept in the address (?doc=…&actor=…) so a filtered view can be linked to, and the rows left can
// be downloaded as CSV with the same columns as the whole file the build writes.
(function () {
  "use strict";
  var form = document.getElementById("measure-filters");
  var table = document.getElementById("measure-table");
  var shown = document.getElementById("shown");
  var download = document.getElementById("filtered-csv");
  if (!form || !table) { return; }
  form.hidden = false;
  var columns = table.getAttribute("data-columns").split(",");
  var rows = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
    return {tr: tr, tokens: tr.getAttribute("data-f").split(" "), text: fold(tr.textContent)};
  });
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var text = form.querySelector("input[type=search]");
  var blobUrl = null;

  function fold(s) { return s.toLocaleLowerCase("nb").replace(/\s+/g, " "); }

  function field(tr, name) {
    if (name === "iri") { return tr.getAttribute("data-iri"); }
    if (name === "gjentar") { return tr.getAttribute("data-restates") || ""; }
    var el = tr.querySelector('[data-c="' + name + '"]');
    if (!el) { return ""; }
    if (el.tagName === "UL") {
      return Array.prototype.map.call(el.children, function (li) { return li.textContent.trim(); }).join(" | ");
    }
    var copy = el.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".note"), function (n) { n.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function quote(v) { return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; }

  function csv(kept) {
    var lines = [columns.join(",")];
    kept.forEach(function (r) {
      lines.push(columns.map(function (c) { return quote(field(r.tr, c)); }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function apply() {
    var wanted = selects.filter(function (s) { return s.value; }).map(function (s) { return s.value; });
    var words = fold(text.value).trim();
    var kept = rows.filter(function (r) {
      var ok = wanted.every(function (t) { return r.tokens.indexOf(t) >= 0; }) &&
               (!words || r.text.indexOf(words) >= 0);
      r.tr.hidden = !ok;
      return ok;
    });
    var all = kept.length === rows.length;
    shown.textContent = (all ? shown.getAttribute("data-all") : shown.getAttribute("data-some"))
      .replace("{n}", kept.length).replace("{total}", rows.length);
    if (blobUrl) { URL.revokeObjectURL(blobUrl); }
    blobUrl = URL.createObjectURL(new Blob([csv(kept)], {type: "text/csv;charset=utf-8"}));
    download.href = blobUrl;
    var params = new URLSearchParams();
    selects.forEach(function (s) { if (s.value) { params.set(s.name, s.value); } });
    if (text.value) { params.set("text", text.value); }
    try {
      history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    } catch (e) { /* some browsers refuse to change a file: address; filtering works all the same */ }
  }

  var given = new URLSearchParams(location.search);
  selects.forEach(function (s) {
    var v = given.get(s.name);
    if (v && s.querySelector('option[value="' + CSS.escape(v) + '"]')) { s.value = v; }
  });
  if (given.get("text")) { text.value = given.get("text"); }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  apply();
}());
