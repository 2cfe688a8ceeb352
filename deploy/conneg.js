// Content negotiation for nginx (njs, Debian's libnginx-mod-http-js): the rules of helsegraf's own server
// (src/helsegraf/serving/conneg.py), kept equal to them by tests/serving/test_web_servers.py. Each of first() ..
// fourth() gives one suffix of the client's preference list, best first; nginx's try_files takes the first that
// exists, so a client that prefers Turtle gets HTML when a resource has no Turtle.
var VARIANTS = [[".html", ["text/html", "application/xhtml+xml"]],
                [".ttl", ["text/turtle"]],
                [".jsonld", ["application/ld+json", "application/json"]],
                [".nt", ["application/n-triples"]]];

function ranges(accept) {
    var out = [], parts = accept.split(",");
    for (var i = 0; i < parts.length; i++) {
        var fields = parts[i].split(";").map(function (f) { return f.trim(); });
        if (!fields[0]) { continue; }
        var media = fields[0].split("/");
        if (media.length !== 2) { return null; }
        var q = 1.0;
        for (var j = 1; j < fields.length; j++) {
            var eq = fields[j].indexOf("=");
            var name = (eq < 0 ? fields[j] : fields[j].slice(0, eq)).trim().toLowerCase();
            if (name === "q") {
                var value = eq < 0 ? "" : fields[j].slice(eq + 1).trim();
                if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) { return null; }
                q = Math.min(Math.max(parseFloat(value), 0.0), 1.0);
            }
        }
        out.push([media[0].trim().toLowerCase(), media[1].trim().toLowerCase(), q]);
    }
    return out.length ? out : null;
}

function quality(media, rs) {
    var parts = media.split("/"), best = -1, q = 0.0;
    for (var i = 0; i < rs.length; i++) {
        var rank = -1;
        if (rs[i][0] === parts[0] && rs[i][1] === parts[1]) { rank = 2; }
        else if (rs[i][0] === parts[0] && rs[i][1] === "*") { rank = 1; }
        else if (rs[i][0] === "*" && rs[i][1] === "*") { rank = 0; }
        if (rank > best) { best = rank; q = rs[i][2]; }
    }
    return q;
}

function preferences(accept) {
    var rs = accept && accept.trim() ? ranges(accept) : null;
    if (rs === null) { return [".html"]; }
    var scored = VARIANTS.map(function (v, i) {
        return [Math.max.apply(null, v[1].map(function (m) { return quality(m, rs); })), i, v[0]];
    }).filter(function (s) { return s[2] && s[0] > 0; });
    scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return scored.map(function (s) { return s[2]; });
}

// An unused slot names a file that never exists, so try_files passes over it.
function nth(r, n) {
    var p = preferences(r.headersIn["Accept"] || "");
    return n < p.length ? p[n] : ".none-acceptable";
}

function first(r) { return nth(r, 0); }
function second(r) { return nth(r, 1); }
function third(r) { return nth(r, 2); }
function fourth(r) { return nth(r, 3); }

export default {first, second, third, fourth, preferences};
