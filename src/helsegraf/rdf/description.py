"""The dataset describing itself: VoID statistics and a SPARQL 1.1 Service Description, computed from the built
store and kept in a named graph of their own (…/graph/metadata), and written as files beside the site."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, VOID, XSD

from ..deployment import Deployment
from .iris import Iris
from .namespaces import HG, PREFIXES
from .statistics import Statistics

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
                  "N-Triples", "JSON-LD")
DUMPS = (("helsegraf.nq.gz", "application/n-quads"), ("helsegraf.nt.gz", "application/n-triples"),
         ("helsegraf.ttl.gz", "text/turtle"), ("helsegraf.jsonld.gz", "application/ld+json"))
# An example resource of each class a newcomer starts from (the first by IRI: the same on every build).
EXAMPLE_CLASSES = ("Document", "Measure", "Organisation", "Law", "PatientGroup")


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _local_name(iri: str) -> str:
    for p, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{p}-{iri[len(ns):]}"
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def describe_into(store: ox.Store, iris: Iris, deploy: Deployment, base: Statistics | None = None) -> Graph:
    """Describe the store (VoID, the service, and the concept schemes as SKOS-AP-NO publishes them) and keep the
    description in its metadata graph. `base` are the counts of every other graph (Statistics; the build reads
    them from its sorted dump), else they are taken from the store. The description counts itself: it is
    made again with the counts of the previous one added until it no longer changes (three rounds: its classes
    and properties enter the partitions once)."""
    name = ox.NamedNode(str(iris.graph("metadata")))
    store.remove_graph(name)
    base = Statistics.of_store(store, name.value) if base is None else base
    from .skos_ap_no import profile

    # Only the counts change from round to round: the rest is read from the other graphs once, and the rounds are
    # made in memory, the store given the description when it settles (a round through the store, its graph
    # removed and loaded again, took ~0.3 s of every build)
    concepts, seen = profile(store, iris, deploy), {}
    quads: list[ox.Quad] = []
    previous = None
    for _ in range(6):
        g = describe(store, iris, deploy, base.with_graph(store, name.value, quads, seen)) + concepts
        nt = g.serialize(format="nt", encoding="utf-8")
        now = sorted(nt.splitlines())
        if now == previous:
            store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
            return g
        previous = now
        quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
    raise RuntimeError("the dataset description did not settle")  # a bug, not bad input


def describe(store: ox.Store, iris: Iris, deploy: Deployment, stats: Statistics) -> Graph:
    """VoID and Service Description of everything now in the store, whose counts are `stats`."""
    g = Graph()
    ds = iris.dataset()
    base = iris.base
    endpoint_url = deploy.endpoint_url
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("helsegraf – kunnskapsgrafen for norsk helsepolitikk", lang="nb")))
    g.add((ds, DCTERMS.title, Literal("helsegraf – the knowledge graph of Norwegian health policy", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Tiltak og forpliktelser i norske helsepolitiske dokumenter, med aktører, lover, rapporter og pasientgrupper de "
        "nevner, og kilde ned til side og linje.", lang="nb")))
    g.add((ds, FOAF.homepage, URIRef(deploy.site_url)))
    g.add((ds, DCTERMS.license, URIRef(deploy.licence)))
    g.add((ds, VOID.uriSpace, Literal(f"{base}id/")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(endpoint_url)))
    for row in store.query(f"SELECT DISTINCT ?d WHERE {{ ?d a <{HG.Document}> }} ORDER BY ?d",
                           use_default_graph_as_union=True):
        g.add((ds, VOID.rootResource, URIRef(row["d"].value)))
    for name, _ in DUMPS:
        g.add((ds, VOID.dataDump, URIRef(f"{deploy.site_url}dumps/{name}")))
    for cls in EXAMPLE_CLASSES:
        for row in store.query(f"SELECT ?s WHERE {{ ?s a <{HG[cls]}> FILTER(STRSTARTS(STR(?s), '{base}id/')) }} "
                               "ORDER BY ?s LIMIT 1", use_default_graph_as_union=True):
            g.add((ds, VOID.exampleResource, URIRef(row["s"].value)))
    for vocab in ("hg", "dcterms", "skos", "prov", "org", "eli", "schema", "void"):
        g.add((ds, VOID.vocabulary, URIRef(PREFIXES[vocab])))
    for prop, n in (("triples", stats.triples), ("entities", stats.entities), ("distinctSubjects", stats.subjects),
                    ("distinctObjects", stats.objects), ("properties", len(stats.properties)),
                    ("classes", len(stats.classes))):
        g.add((ds, VOID[prop], _int(n)))
    for c, n in sorted(stats.classes.items()):
        part = URIRef(f"{base}dataset/klasse/{_local_name(c)}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(c)))
        g.add((part, VOID.entities, _int(n)))
    for p, n in sorted(stats.properties.items()):
        part = URIRef(f"{base}dataset/egenskap/{_local_name(p)}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(p)))
        g.add((part, VOID.triples, _int(n)))

    service = URIRef(f"{base}sparql-service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint_url)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    for f in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[f]))
    sd_ds = URIRef(f"{base}dataset/tjeneste")
    g.add((service, SD.defaultDataset, sd_ds))
    g.add((sd_ds, RDF.type, SD.Dataset))
    default = URIRef(f"{base}dataset/standardgraf")
    g.add((sd_ds, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, DCTERMS.description, Literal("The union of all named graphs.", lang="en")))
    g.add((default, VOID.triples, _int(stats.triples)))
    for name, n in sorted(stats.graphs.items()):
        short = name.rsplit("/", 1)[-1]
        named, graph = URIRef(f"{base}dataset/navngitt/{short}"), URIRef(f"{base}dataset/graf/{short}")
        g.add((sd_ds, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, RDF.type, VOID.Dataset))
        g.add((graph, VOID.triples, _int(n)))
        g.add((ds, VOID.subset, graph))
    return g


def at_endpoint(description: bytes, endpoint_url: str) -> bytes:
    """The built description (Turtle) as served by an endpoint at `endpoint_url`: the service and the dataset name the
    address the endpoint really answers at, whatever the build was configured with."""
    g = Graph().parse(data=description.decode("utf-8"), format="turtle")
    for prop in (SD.endpoint, VOID.sparqlEndpoint):
        for s, _, o in list(g.triples((None, prop, None))):
            g.remove((s, prop, o))
            g.add((s, prop, URIRef(endpoint_url)))
    for prefix, ns in (("sd", SD), ("void", VOID)):
        g.bind(prefix, ns)
    return g.serialize(format="turtle", encoding="utf-8")
