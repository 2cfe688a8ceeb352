"""SHACL: the built graph conforms, and a graph that breaks a shape is reported readably."""

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from tests.repo import ONTOLOGY_DIR
from helsegraf.rdf.namespaces import HG, SCHEMA
from helsegraf.validation import check


def test_built_graph_conforms(built):
    g = Graph().parse(built.out / "helsegraf.ttl")
    conforms, report, n = check(g, ONTOLOGY_DIR / "shapes.ttl")
    assert conforms and n == 0, report


def test_measure_without_document_or_nb_text_is_reported():
    g = Graph()
    m = URIRef("https://example.org/id/x/1")
    g.add((m, RDF.type, HG.Measure))
    g.add((m, SCHEMA.text, Literal("no language tag")))
    conforms, report, n = check(g, ONTOLOGY_DIR / "shapes.ttl")
    assert not conforms
    assert "exactly one source document" in report
    assert "Norwegian Bokmål" in report
    assert "https://example.org/id/x/1" in report
    assert n >= 4
