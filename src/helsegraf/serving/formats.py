"""Result formats by Accept header, as the SPARQL 1.1 protocol asks: q-values honoured, 406 when nothing fits."""

from __future__ import annotations

import pyoxigraph as ox

# (media type, what the engine writes, Content-Type sent). The first of each list is the default for */*.
SOLUTIONS = (
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    ("application/json", ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    ("application/xml", ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    ("text/csv", ox.QueryResultsFormat.CSV, "text/csv; charset=utf-8"),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV, "text/tab-separated-values; charset=utf-8"),
)
GRAPHS = (
    ("text/turtle", ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    ("application/ld+json", ox.RdfFormat.JSON_LD, "application/ld+json"),
    ("application/json", ox.RdfFormat.JSON_LD, "application/ld+json"),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    ("application/n-quads", ox.RdfFormat.N_QUADS, "application/n-quads"),
    ("application/trig", ox.RdfFormat.TRIG, "application/trig"),
)


class NotAcceptable(Exception):
    def __init__(self, offered: tuple):
        super().__init__("None of the Accept header's types can be given for this query; offered: "
                         + ", ".join(dict.fromkeys(m for m, _, _ in offered)) + ".")


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    out = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = min(1.0, max(0.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        out.append((media, q, order))
    return out


def choose(accept: str | None, offered: tuple):
    """The (engine format, Content-Type) for an Accept header among `offered`."""
    ranges = _ranges(accept or "*/*") or [("*/*", 1.0, 0)]
    best, best_key = None, None
    for index, (media, fmt, ctype) in enumerate(offered):
        major = media.split("/")[0]
        # The most specific range that matches decides the type's q (RFC 9110 §12.5.1): text/turtle;q=0 refuses
        # Turtle even beside */*.
        # An alias (application/json for SPARQL JSON results) is chosen only when asked for by name: a wildcard
        # must not bring back, under another name, a type the client refused.
        alias = ctype.split(";")[0] != media
        matches = [(2 if rng == media else 1 if rng == f"{major}/*" else 0, q, order)
                   for rng, q, order in ranges if rng == media or (not alias and rng in (f"{major}/*", "*/*"))]
        if not matches:
            continue
        exact, q, order = max(matches, key=lambda m: (m[0], m[1]))
        if q <= 0:
            continue
        key = (q, exact, -order, -index)  # highest q, then the more specific range, the client's order, ours
        if best_key is None or key > best_key:
            best, best_key = (fmt, ctype), key
    if best is None:
        raise NotAcceptable(offered)
    return best
