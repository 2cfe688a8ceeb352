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


def _violations(catalog, version) -> set[tuple[str, str, str]]:
    shapes = Graph()
    for path in SHAPES[version]:
        shapes.parse(path)
    _, report, _ = validate(catalog, shacl_graph=shapes, inference="none")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    return {(str(report.value(r, sh.focusNode)), str(report.value(r, sh.resultPath)), str(report.value(r, sh.value)))
            for r in report.subjects(RDF.type, sh.ValidationResult)}


def test_catalog_passes_dcat_ap_no_v2_with_nothing_reported(catalog):
    assert _violations(catalog, "v2") == set()


def test_catalog_breaks_the_v3_draft_only_where_v2_and_the_draft_disagree(catalog):
    """docs/dcat.md: the draft's media type pattern admits application/* only (refusing text/turtle, IANA's type for
    Turtle), and its byte size is xsd:nonNegativeInteger where v2 requires xsd:decimal; a literal has one datatype."""
    dists = {str(d): str(catalog.value(d, DCAT.downloadURL)) for d in catalog.subjects(RDF.type, DCAT.Distribution)}
    expected = {(d, str(DCAT.byteSize), str(catalog.value(URIRef(d), DCAT.byteSize)))
                for d, url in dists.items() if url != "None"}
    turtle = next(d for d, url in dists.items() if url.endswith(".ttl.gz"))
    expected.add((turtle, str(DCAT.mediaType), "https://www.w3.org/ns/iana/media-types/text/turtle"))
    assert _violations(catalog, "v3-draft") == expected


def test_every_dump_has_its_media_type_and_size(catalog, built):
    for d in catalog.subjects(RDF.type, DCAT.Distribution):
        url = catalog.value(d, DCAT.downloadURL)
        if url is None:
            continue
        name = str(url).rsplit("/", 1)[1]
        assert catalog.value(d, DCAT.mediaType) is not None, name
        assert int(catalog.value(d, DCAT.byteSize)) == (built.out / "site" / "dumps" / name).stat().st_size
