"""The concept schemes pass SKOS-AP-NO, Digdir's profile for concepts, in both official versions (shared/standards,
copied into tests/fixtures/standards): no violation, on the graph as built."""

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

from tests.repo import ROOT

SHAPES = ROOT / "tests" / "fixtures" / "standards" / "skos-ap-no"
SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def graph(built) -> Graph:
    return Graph().parse(built.out / "helsegraf.ttl")


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_every_concept_passes_skos_ap_no(graph, version):
    shapes = Graph().parse(SHAPES / f"SKOS-AP-NO-Begrep-shape_shape_{version}.ttl")
    _, report, _ = validate(graph, shacl_graph=shapes, inference="none")
    violations = sorted({(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)),
                          str(report.value(r, SH.resultMessage)))
                         for r in report.subjects(RDF.type, SH.ValidationResult)
                         if report.value(r, SH.resultSeverity) == SH.Violation})
    assert violations[:10] == [] and len(violations) == 0


def test_every_concept_has_a_nynorsk_label(graph):
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 50
    assert [str(c) for c in concepts if not any(l.language == "nn" for l in graph.objects(c, SKOS.prefLabel))] == []
