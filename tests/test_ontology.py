"""The ontology: every term labelled and explained in Bokmål and English; every hg: term used is declared."""

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from tests.repo import ONTOLOGY_DIR, ROOT
from helsegraf.rdf.namespaces import HG

ONT = Graph().parse(ONTOLOGY_DIR / "helsegraf.ttl")
TERMS = sorted({s for s in ONT.subjects() if isinstance(s, URIRef) and str(s).startswith(str(HG))})


@pytest.mark.parametrize("term", TERMS, ids=[t.split("#")[1] for t in TERMS])
def test_term_has_labels_and_comments_in_nb_and_en(term):
    for prop in (RDFS.label, RDFS.comment):
        langs = {o.language for o in ONT.objects(term, prop)}
        assert {"nb", "en"} <= langs, f"{term} lacks {prop} in nb/en"


def test_every_hg_term_used_is_declared():
    used = set()
    for path in list((ROOT / "src").rglob("*.py")) + [ONTOLOGY_DIR / "shapes.ttl"] + list((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bHG\.(\w+)", text)) | set(re.findall(r"\bhg:(\w+)", text))
    declared = {t.split("#")[1] for t in TERMS}
    assert used - declared == set()


def test_classes_and_properties_are_typed():
    for t in TERMS:
        types = set(ONT.objects(t, RDF.type))
        assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}, t


def test_reuses_standard_vocabularies():
    supers = {str(o) for o in ONT.objects(None, RDFS.subClassOf)} | {str(o) for o in ONT.objects(None, RDFS.subPropertyOf)}
    for ns in ("http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/org#",
               "http://data.europa.eu/eli/ontology#", "https://schema.org/", "http://www.w3.org/2004/02/skos/core#"):
        assert any(s.startswith(ns) for s in supers), ns
