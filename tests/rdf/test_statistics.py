"""The VoID counts read from the sorted dump (and the description's own graph added to them) are those SPARQL's
COUNT(DISTINCT …) gives over the union of the graphs, which the description stated before."""

import pyoxigraph as ox

from helsegraf.rdf.statistics import Statistics

EX = "https://example.org/"
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _n(x: str) -> ox.NamedNode:
    return ox.NamedNode(EX + x)


def _sparql(store: ox.Store) -> dict:
    one = lambda q: int(next(iter(store.query(q, use_default_graph_as_union=True)))["n"].value)  # noqa: E731
    return {
        "triples": one("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"),
        "entities": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"),
        "subjects": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        "objects": one("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        "properties": {r["p"].value: int(r["n"].value) for r in store.query(
            "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p", use_default_graph_as_union=True)},
        "classes": {r["c"].value: int(r["n"].value) for r in store.query(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c", use_default_graph_as_union=True)},
        "graphs": {r["g"].value: int(r["n"].value) for r in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")},
    }


def _ours(stats: Statistics) -> dict:
    return {k: getattr(stats, k) for k in ("triples", "entities", "subjects", "objects", "properties", "classes",
                                             "graphs")}


def test_counts_from_the_dump_and_the_description_graph_equal_sparqls(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    g1, g2, meta = _n("g1"), _n("g2"), _n("metadata")
    data = [
        (_n("a"), TYPE, _n("Measure"), g1), (_n("a"), TYPE, _n("Measure"), g2),  # one triple in two graphs
        (_n("a"), _n("page"), ox.Literal("5377", datatype=INTEGER), g1),
        (_n("a"), _n("label"), ox.Literal("tiltak", language="nb"), g1),
        (_n("a"), _n("label"), ox.Literal("tiltak"), g1),
        (ox.BlankNode("b1"), _n("label"), ox.Literal("tiltak"), g2),
        (_n("b"), TYPE, _n("Law"), g2), (_n("b"), _n("cites"), _n("a"), g2),
        # literals that hold what a line is cut at: spaces, quotes, a term and a dot
        (_n("b"), _n("label"), ox.Literal('see "<https://example.org/g2> ." and more'), g1),
        (_n("b"), _n("label"), ox.Literal("a <https://example.org/x>", datatype=_n("dt")), g2),
        (_n("b"), _n("label"), ox.Literal("linje \u2028 to", language="nb"), g2),
    ]
    described = [
        (_n("dataset"), TYPE, _n("Dataset"), meta),
        (_n("dataset"), _n("triples"), ox.Literal("5375", datatype=INTEGER), meta),  # a new object (not 5377)
        (_n("a"), TYPE, _n("Measure"), meta),  # in the data already: nothing new
        (_n("b"), _n("label"), ox.Literal("tiltak"), meta),  # a new triple, of a known subject and object
        (_n("dataset"), _n("about"), _n("a"), meta),
    ]
    store.extend(ox.Quad(*q) for q in data)
    base = Statistics.of_store(store, meta.value)
    assert _ours(base) == _sparql(store)
    store.extend(ox.Quad(*q) for q in described)
    assert _ours(base.with_graph(store, meta.value)) == _sparql(store)
    expected = _ours(base.with_graph(store, meta.value))

    # describe_into's rounds: the graph given as quads, the store holding none of it yet, what was found elsewhere
    # kept from one call to the next
    store.remove_graph(meta)
    quads, seen = [ox.Quad(*q) for q in described], {}
    assert _ours(base.with_graph(store, meta.value, quads, seen)) == expected
    assert seen and _ours(base.with_graph(store, meta.value, quads, seen)) == expected
    assert base.with_graph(store, meta.value, [], seen) == base


def test_a_line_of_the_default_graph_is_read_as_parsing_it_gives():
    """A build's dump holds named graphs only, and its lines are cut as bytes; a triple of the default graph is
    parsed instead, whatever its object holds."""
    from helsegraf.rdf.statistics import _terms

    for line in (b'<https://example.org/a> <https://example.org/p> "x <https://example.org/g>"^^<https://example.org/dt> .\n',
                 b'<https://example.org/a> <https://example.org/p> <https://example.org/o> .\n',
                 b'_:b <https://example.org/p> "a b"@nb .\n'):
        q = next(iter(ox.parse(line, format=ox.RdfFormat.N_QUADS)))
        assert _terms(line) == (str(q.subject).encode(), str(q.predicate).encode(), str(q.object).encode(), None)
    named = b'<https://example.org/a> <https://example.org/p> "a b ." <https://example.org/g> .\n'
    assert _terms(named) == (b"<https://example.org/a>", b"<https://example.org/p>", b'"a b ."',
                             b"<https://example.org/g>")
