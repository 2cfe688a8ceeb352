"""The store on disk holds what it is given, quad for quad, whatever the size of the chunks it is added in, and
keeps blank node labels (Oxigraph's own loaders rename them at random, so the store would differ build to build)."""

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from helsegraf.disk_store import add_ntriples, add_triples

NT = b"""<https://example.org/a> <https://example.org/p> _:shared .
_:shared <https://example.org/q> "verdi"@nb .
<https://example.org/a> <https://example.org/p> "to grafer" .
<https://example.org/b> <https://example.org/p> <https://example.org/a> .
"""
G1, G2 = "https://example.org/g1", "https://example.org/g2"


def test_ntriples_go_into_their_graph_in_chunks_with_their_blank_nodes(tmp_path):
    expected = {ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(G1))
                for t in ox.parse(NT, format=ox.RdfFormat.N_TRIPLES)}
    for chunk in (1, 2, 50_000):
        store = ox.Store(str(tmp_path / f"store-{chunk}"))
        add_ntriples(store, NT, G1, chunk=chunk)
        # a blank node cut across two chunks (chunk=1) stays one node, with its label
        assert set(store) == expected
        assert {q.object.value for q in store if isinstance(q.object, ox.BlankNode)} == {"shared"}


def test_rdflib_triples_in_chunks_are_the_graph_they_make(tmp_path):
    g = Graph()
    for i in range(5):
        g.add((URIRef(f"https://example.org/s{i}"), URIRef("https://example.org/p"), Literal(f"tekst {i}", lang="nb")))
    store = ox.Store(str(tmp_path / "store"))
    add_triples(store, g, G2, chunk=2)
    add_triples(store, iter(g), G2, chunk=3)  # the same triples again: a store is a set
    assert len(store) == 5
    assert {(q.subject.value, q.object.value, q.object.language) for q in store} == {
        (str(s), str(o), "nb") for s, _, o in g}


def test_rdflib_terms_are_stored_as_their_n_triples_parse(tmp_path):
    """add_triples makes each rdflib term the Oxigraph term directly: the store must hold what rdflib's N-Triples
    of the same triples parse to, for every kind of term the build makes."""
    from decimal import Decimal

    from rdflib import BNode
    from rdflib.namespace import XSD

    ex = "https://example.org/"
    objects = [URIRef(ex + "o"), BNode("b1"), Literal("tekst"), Literal("tekst", lang="nb"), Literal("text", lang="en-GB"),
               Literal(Decimal("0.770")), Literal(Decimal(str(0.1 + 0.2)), datatype=XSD.decimal),
               Literal("2024-03-01", datatype=XSD.date), Literal("1", datatype=XSD.integer), Literal(7),
               Literal(True), Literal("x", datatype=XSD.string), Literal("ikke et tall", datatype=XSD.integer),
               Literal('linje 1\nlinje "2"\t\\ æøå \u2028 \U0001F600'), Literal("  mellomrom  ")]
    g = Graph()
    for i, o in enumerate(objects):
        g.add((URIRef(f"{ex}s{i}"), URIRef(ex + "p"), o))
    g.add((BNode("b1"), URIRef(ex + "p"), Literal("på en blank node", lang="nb")))
    direct, via_text = ox.Store(str(tmp_path / "direct")), ox.Store(str(tmp_path / "text"))
    add_triples(direct, g, G2, chunk=4)
    add_ntriples(via_text, g.serialize(format="nt", encoding="utf-8"), G2)
    assert len(direct) == len(objects) + 1
    assert set(direct) == set(via_text)


def test_a_lookup_gives_only_what_matches_where_pyoxigraph_gives_a_neighbour_too(tmp_path):
    """Regression: a lookup of the integer 5375 in pyoxigraph 0.5.13's store on disk also gave the quad holding
    5377, which made the dataset's description count one object too few (an object of the description was taken
    to be in the data already). `matching` keeps what really matches."""
    from helsegraf.disk_store import matching

    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    store = ox.Store(str(tmp_path / "store"))
    quad = ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                   ox.Literal("5377", datatype=integer), ox.NamedNode(G1))
    store.add(quad)
    assert list(matching(store, None, None, ox.Literal("5375", datatype=integer))) == []
    assert list(matching(store, quad.subject, quad.predicate, quad.object)) == [quad]
