"""The vocabularies helsegraf writes, in one place so every module binds the same prefixes."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

HG = Namespace("https://w3id.org/helsegraf/ontology#")
HGSH = Namespace("https://w3id.org/helsegraf/shapes#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU_LANG = Namespace("http://publications.europa.eu/resource/authority/language/")

ONTOLOGY_IRI = "https://w3id.org/helsegraf/ontology"

PREFIXES: dict[str, str] = {
    "hg": str(HG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "org": str(ORG),
    "eli": str(ELI),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "dcat": str(DCAT),
    "void": str(VOID),
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "vann": "http://purl.org/vocab/vann/",
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "adms": "http://www.w3.org/ns/adms#",
    "skosno": "https://data.norge.no/vocabulary/skosno#",
}


def bind_all(graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
