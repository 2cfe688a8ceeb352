"""The DCAT-AP-NO catalog: the catalog, the dataset with a distribution per dump, and the SPARQL endpoint as a data
service, from mappings/catalog.toml (what is published) and the deployment (where, by whom, under which licence). Checked against the official shapes (v2 and the v3 draft) in the tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from ..deployment import Deployment
from ..errors import InputError
from .iris import Iris
from .entities import BRREG
from .namespaces import ORG

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPES = {"helsegraf.nq.gz": ("RDF_N_QUADS", "application/n-quads", "N-Quads"),
              "helsegraf.nt.gz": ("RDF_N_TRIPLES", "application/n-triples", "N-Triples"),
              "helsegraf.ttl.gz": ("RDF_TURTLE", "text/turtle", "Turtle"),
              "helsegraf.jsonld.gz": ("JSON_LD", "application/ld+json", "JSON-LD")}
# The EU and LOS lists the codes belong to: shipped so that the shapes' skos:inScheme checks pass offline.
SCHEMES = {"access-right/": f"{EU}access-right", "data-theme/": f"{EU}data-theme", "language/": f"{EU}language", "file-type/": f"{EU}file-type",
           "licence/": f"{EU}licence", "country/": f"{EU}country"}
LOS_SCHEME = "https://psi.norge.no/los/all"
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
IANA = "https://www.w3.org/ns/iana/media-types/"
GZIP = URIRef(f"{IANA}application/gzip")


def _code(g: Graph, iri: str) -> URIRef:
    node = URIRef(iri)
    g.add((node, RDF.type, SKOS.Concept))
    for part, scheme in SCHEMES.items():
        if iri.startswith(EU + part):
            g.add((node, SKOS.inScheme, URIRef(scheme)))
    if iri.startswith("https://psi.norge.no/los/"):
        g.add((node, SKOS.inScheme, URIRef(LOS_SCHEME)))
    return node


def load_settings(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(path, f"not valid TOML: {e}") from None


def publisher_iri(iris: Iris, deploy: Deployment) -> URIRef:
    # The catalog's own nodes are fragments of the catalog: its IRI dereferences to katalog.ttl, which holds them.
    return URIRef(f"{iris.base}katalog#utgiver-{deploy.publisher.slug}")


def contact_iri(iris: Iris) -> URIRef:
    return URIRef(f"{iris.base}katalog#kontakt")


def agents_graph(iris: Iris, deploy: Deployment) -> Graph:
    """The publisher and the contact point of the deployment, as DCAT-AP-NO and SKOS-AP-NO type them."""
    g = Graph()
    publisher, pub, contact = deploy.publisher, publisher_iri(iris, deploy), contact_iri(iris)
    g.add((pub, RDF.type, FOAF.Agent))
    g.add((pub, RDF.type, ORG.Organization))
    g.add((pub, FOAF.name, Literal(publisher.name_nb, lang="nb")))
    g.add((pub, FOAF.name, Literal(publisher.name_en, lang="en")))
    g.add((pub, FOAF.homepage, URIRef(deploy.homepage)))
    if publisher.orgnr:
        g.add((pub, DCTERMS.identifier, Literal(publisher.orgnr)))
        g.add((pub, RDFS.seeAlso, URIRef(f"{BRREG}{publisher.orgnr}")))
    else:
        g.add((pub, DCTERMS.identifier, Literal(str(pub))))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))  # SKOS-AP-NO v1 asks for vcard:Kind, and its shapes infer nothing
    g.add((contact, VCARD.fn, Literal(deploy.contact.name)))
    if deploy.contact.email:
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{deploy.contact.email}")))
    g.add((contact, VCARD.hasURL, URIRef(deploy.contact_url)))
    return g


def catalog_graph(settings: dict, iris: Iris, deploy: Deployment, dump_sizes: dict[str, int],
                  newest: Literal | None = None) -> Graph:
    """The catalog; `newest` is the date of the newest document in the graph: the dataset is as of that date."""
    base, site, endpoint_url = iris.base, deploy.site_url, deploy.endpoint_url
    cat, ds, service = URIRef(f"{base}katalog"), iris.dataset(), URIRef(f"{base}sparql-service")
    pub, contact, licence = publisher_iri(iris, deploy), contact_iri(iris), deploy.licence
    g = agents_graph(iris, deploy)

    def common(node: URIRef, section: dict) -> None:
        for lang in ("nb", "en"):
            g.add((node, DCTERMS.title, Literal(section[f"title_{lang}"], lang=lang)))
            g.add((node, DCTERMS.description, Literal(section.get(f"description_{lang}", section[f"title_{lang}"]), lang=lang)))
        g.add((node, DCTERMS.publisher, pub))
        g.add((node, DCAT.contactPoint, contact))
        g.add((node, DCTERMS.identifier, Literal(str(node))))

    d = settings["dataset"]
    g.add((cat, RDF.type, DCAT.Catalog))
    common(cat, settings["catalog"])
    g.add((cat, DCAT.dataset, ds))
    g.add((cat, DCAT.service, service))
    g.add((cat, FOAF.homepage, URIRef(site)))
    g.add((cat, DCTERMS.language, _code(g, d["language"])))
    g.add((cat, DCTERMS.license, _code(g, licence)))

    g.add((ds, RDF.type, DCAT.Dataset))
    common(ds, d)
    for theme in d["themes"] + d["los_themes"]:
        g.add((ds, DCAT.theme, _code(g, theme)))
    for kw in d["keywords_nb"]:
        g.add((ds, DCAT.keyword, Literal(kw, lang="nb")))
    g.add((ds, DCTERMS.spatial, _code(g, d["spatial"])))
    g.add((ds, DCTERMS.language, _code(g, d["language"])))
    g.add((ds, DCTERMS.accessRights, _code(g, f"{EU}access-right/PUBLIC")))
    g.add((ds, DCAT.landingPage, URIRef(site)))
    g.add((ds, DCTERMS.license, _code(g, licence)))
    if newest is not None:
        g.add((ds, DCTERMS.modified, newest))
    for name, (ftype, media, label) in FILE_TYPES.items():
        dist = URIRef(f"{base}katalog#distribusjon-{name.split('.')[1]}")
        url = URIRef(f"{site}dumps/{name}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"Full dump, {label}, gzip", lang="nb")))
        g.add((dist, DCTERMS.title, Literal(f"Full dump, {label}, gzip", lang="en")))
        g.add((dist, DCTERMS.description, Literal(f"Hele grafen som {label}, komprimert med gzip.", lang="nb")))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCTERMS["format"], _code(g, f"{EU}file-type/{ftype}")))
        # The content's media type, the gzip in compressFormat (as DCAT's own example of a compressed file). The v3
        # draft's pattern admits application/* only and so refuses text/turtle, IANA's type for Turtle (docs/dcat.md).
        g.add((dist, DCAT.mediaType, URIRef(f"{IANA}{media}")))
        g.add((dist, DCAT.compressFormat, GZIP))
        g.add((dist, DCTERMS.license, _code(g, licence)))
        # xsd:decimal, as DCAT-AP-NO v2 (in force) requires; the v3 draft wants xsd:nonNegativeInteger, and a literal
        # has one datatype (docs/dcat.md).
        g.add((dist, DCAT.byteSize, Literal(str(dump_sizes[name]), datatype=XSD.decimal)))
    endpoint_dist = URIRef(f"{base}katalog#distribusjon-sparql")
    g.add((ds, DCAT.distribution, endpoint_dist))
    g.add((endpoint_dist, RDF.type, DCAT.Distribution))
    g.add((endpoint_dist, DCTERMS.title, Literal("SPARQL-endepunkt", lang="nb")))
    g.add((endpoint_dist, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    g.add((endpoint_dist, DCAT.accessURL, URIRef(endpoint_url)))
    g.add((endpoint_dist, DCAT.accessService, service))
    g.add((endpoint_dist, DCTERMS.license, _code(g, licence)))

    g.add((service, RDF.type, DCAT.DataService))
    common(service, {"title_nb": "helsegraf SPARQL-endepunkt", "title_en": "helsegraf SPARQL endpoint",
                     "description_nb": "Et åpent SPARQL 1.1-endepunkt med hele helsegraf, kun for lesing.",
                     "description_en": "An open, read-only SPARQL 1.1 endpoint with the whole of helsegraf."})
    g.add((service, DCAT.endpointURL, URIRef(endpoint_url)))
    g.add((service, DCAT.endpointDescription, URIRef(f"{site}void.ttl")))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    g.add((SPARQL_PROTOCOL, DCTERMS.title, Literal("SPARQL 1.1 Protocol", lang="en")))
    g.add((service, DCTERMS.license, _code(g, licence)))
    return g
