"""VoID and the SPARQL Service Description: in the graph, as a file, and true to the data."""

import gzip

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, VOID

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DS = URIRef("https://w3id.org/helsegraf/dataset")


def test_void_file_describes_the_dataset(built, measure_count):
    g = Graph().parse(built.out / "site" / "void.ttl")
    assert (DS, RDF.type, VOID.Dataset) in g
    assert int(g.value(DS, VOID.entities)) > 5000
    assert g.value(DS, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/query")
    assert len(list(g.objects(DS, VOID.dataDump))) == 4
    classes = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities)) for p in g.objects(DS, VOID.classPartition)}
    assert classes[URIRef("https://w3id.org/helsegraf/ontology#Measure")] == measure_count
    service = URIRef("https://w3id.org/helsegraf/sparql-service")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    names = {str(g.value(n, SD.name)).rsplit("/", 1)[1] for n in g.objects(g.value(service, SD.defaultDataset), SD.namedGraph)}
    assert {"meld-st-9-2023-2024", "ontology", "inferred", "reference", "curated"} <= names


def test_description_is_in_its_own_graph(built):
    store = ox.Store.read_only(str(built.out / "store"))
    assert bool(store.query("ASK { GRAPH <https://w3id.org/helsegraf/graph/metadata> { "
                            "<https://w3id.org/helsegraf/dataset> a <http://rdfs.org/ns/void#Dataset> } }"))


def test_void_counts_every_triple_the_dump_holds_its_own_included(built):
    """Regression: the description counted the graph without itself, so it said 89,071 where 89,585 are served."""
    g = Graph().parse(built.out / "site" / "void.ttl")
    store = ox.Store()
    store.load(path=str(built.out / "helsegraf.nq"), format=ox.RdfFormat.N_QUADS)
    assert int(g.value(DS, VOID.triples)) == len({(q.subject, q.predicate, q.object) for q in store})
    per_graph = {}
    for q in store:
        per_graph[q.graph_name.value] = per_graph.get(q.graph_name.value, 0) + 1
    described = {str(g.value(n, SD.name)): int(g.value(g.value(n, SD.graph), VOID.triples))
                 for n in g.subjects(RDF.type, SD.NamedGraph)}
    assert described == per_graph and "https://w3id.org/helsegraf/graph/metadata" in described


def test_void_names_no_document_of_its_own_accord(built):
    """The root resources are the documents in the graph, and the examples the first of each class."""
    g = Graph().parse(built.out / "site" / "void.ttl")
    store = ox.Store.read_only(str(built.out / "store"))
    docs = {URIRef(r["d"].value) for r in store.query(
        "SELECT ?d WHERE { ?d a <https://w3id.org/helsegraf/ontology#Document> }", use_default_graph_as_union=True)}
    assert set(g.objects(DS, VOID.rootResource)) == docs
    assert len(set(g.objects(DS, VOID.exampleResource))) == 5


def test_dumps_parse_and_agree(built):
    dumps = built.out / "site" / "dumps"
    nq = ox.Store()
    nq.load(gzip.decompress((dumps / "helsegraf.nq.gz").read_bytes()), format=ox.RdfFormat.N_QUADS)
    triples = {(q.subject, q.predicate, q.object) for q in nq}
    for name, fmt in (("helsegraf.nt.gz", ox.RdfFormat.N_TRIPLES), ("helsegraf.ttl.gz", ox.RdfFormat.TURTLE)):
        parsed = {(t.subject, t.predicate, t.object) for t in ox.parse(gzip.decompress((dumps / name).read_bytes()), format=fmt)}
        assert parsed == triples, name
    # The JSON-LD dump keeps the named graphs (regression: it held the union only).
    jsonld = set(ox.parse(gzip.decompress((dumps / "helsegraf.jsonld.gz").read_bytes()), format=ox.RdfFormat.JSON_LD))
    assert jsonld == set(nq)
