"""The concept schemes as SKOS-AP-NO (Digdir's profile for concepts, v1 and v2) asks: for each concept of the graph's
own schemes its IRI as identifier, the publisher and contact point of the deployment, and beside the plain SKOS
labels and definitions the forms v1 wants (skosxl:Label nodes, skosno:Definisjon nodes). Derived from the graph,
kept in the metadata graph with the rest of what the deployment publishes; checked against the official shapes in
tests/rdf/test_skos_ap_no.py."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, SKOS, XSD

from ..deployment import Deployment
from .catalog import agents_graph, contact_iri, publisher_iri
from .iris import Iris

SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
SKOSNO = Namespace("https://data.norge.no/vocabulary/skosno#")


def profile(store: ox.Store, iris: Iris, deploy: Deployment) -> Graph:
    g = agents_graph(iris, deploy)
    pub, contact = publisher_iri(iris, deploy), contact_iri(iris)
    own = f"{iris.base}id/"
    concepts = store.query(
        "SELECT ?c ?p ?v WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept> ; ?p ?v "
        "FILTER(?p IN (<http://www.w3.org/2004/02/skos/core#prefLabel>, <http://www.w3.org/2004/02/skos/core#definition>)) "
        f"FILTER(STRSTARTS(STR(?c), '{own}')) }} ORDER BY ?c ?p ?v", use_default_graph_as_union=True)
    seen: set[str] = set()
    for row in concepts:
        c, value = row["c"].value, row["v"]
        node = URIRef(c)
        if c not in seen:
            seen.add(c)
            g.add((node, DCTERMS.identifier, Literal(c, datatype=XSD.anyURI)))
            g.add((node, DCTERMS.publisher, pub))
            g.add((node, DCAT.contactPoint, contact))
        lang = value.language or "und"
        if row["p"].value == str(SKOS.prefLabel):
            term = URIRef(f"{c}#term-{lang}")
            g.add((node, SKOSXL.prefLabel, term))
            g.add((term, RDF.type, SKOSXL.Label))
            g.add((term, SKOSXL.literalForm, Literal(value.value, lang=value.language)))
        else:
            definition = URIRef(f"{c}#definisjon-{lang}")
            g.add((node, SKOSNO.definisjon, definition))
            g.add((definition, RDF.type, SKOSNO.Definisjon))
            g.add((definition, RDFS.label, Literal(value.value, lang=value.language)))
    return g
