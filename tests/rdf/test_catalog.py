"""The DCAT-AP-NO catalog passes the official shapes, v2 and the v3 draft, offline and on its own."""

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from tests.repo import ROOT

# an open namespace: pytest inspects module globals, and rdflib's closed DCAT warns on the attributes it probes
DCAT = Namespace("http://www.w3.org/ns/dcat#")

STANDARDS = ROOT / "tests" / "fixtures" / "standards" / "dcat-ap-no"
SHAPES = {
    "v2": [STANDARDS / "v2" / "DCAT-AP-NO-shacl_shapes_2.00.ttl"],
    "v3-draft": sorted((STANDARDS / "v3-draft").glob("*.ttl")),
}


@pytest.fixture(scope="module")
def catalog(built) -> Graph:
    return Graph().parse(built.out / "site" / "katalog.ttl")


def test_catalog_has_dataset_distributions_and_service(catalog):
    [cat] = catalog.subjects(RDF.type, DCAT.Catalog)
    [ds] = catalog.objects(cat, DCAT.dataset)
    dists = list(catalog.objects(ds, DCAT.distribution))
    assert len(dists) == 5
    downloads = {str(catalog.value(d, DCAT.downloadURL)) for d in dists} - {"None"}
    assert {u.rsplit("/", 1)[1] for u in downloads} == {"helsegraf.nq.gz", "helsegraf.nt.gz", "helsegraf.ttl.gz",
                                                         "helsegraf.jsonld.gz"}
    [service] = catalog.objects(cat, DCAT.service)
    assert catalog.value(service, DCAT.endpointURL) == URIRef("http://127.0.0.1:7878/query")
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/HEAL") in set(catalog.objects(ds, DCAT.theme))


@pytest.mark.parametrize("version", sorted(SHAPES))
def test_catalog_passes_the_official_shapes(catalog, version):
    shapes = Graph()
    for path in SHAPES[version]:
        shapes.parse(path)
    conforms, _, text = validate(catalog, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert conforms, text
