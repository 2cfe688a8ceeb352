"""The entity catalogue and the mentions found in the documents, as RDF."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..entities.catalogue import LOVDATA, Catalogue, Entity
from ..records import Mention
from .iris import Iris
from .namespaces import ADMS, ELI, HG, ORG, SCHEMA
from .documents import span_node

BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"
SEGMENT = {"actor": "aktor", "law": "lov", "report": "rapport", "patient_group": "pasientgruppe"}
MENTION_PROPERTY = {"actor": HG.mentionsActor, "law": HG.mentionsLaw, "report": HG.mentionsReport,
                    "patient_group": HG.mentionsPatientGroup}
ROLE_PROPERTY = {("actor", "tasked"): HG.assignsTaskTo, ("actor", "partner"): HG.involvesPartner,
                 ("actor", "lead"): HG.ledBy, ("law", "reviewed"): HG.reviewsLaw, ("report", "followed_up"): HG.followsUp}
ROLE_INDIVIDUAL = {"tasked": HG.RoleTasked, "partner": HG.RolePartner, "lead": HG.RoleLead,
                   "reviewed": HG.RoleReviewed, "followed_up": HG.RoleFollowedUp}


def entity_iri(iris: Iris, entity_id: str) -> URIRef:
    kind, slug = entity_id.split(":", 1)
    return iris.concept(SEGMENT[kind], slug)


def eli_iri(lovdata: str) -> URIRef:
    y, m, d, n = LOVDATA.match(lovdata).groups()
    return URIRef(f"https://lovdata.no/eli/lov/{y}/{m}/{d}/{n}")


def lovdata_page(lovdata: str) -> URIRef:
    """The law's page at Lovdata, for people (its ELI is the identifier)."""
    return URIRef(f"https://lovdata.no/dokument/NL/lov/{lovdata[4:]}")


def _entity(g: Graph, iris: Iris, e: Entity) -> None:
    node = entity_iri(iris, e.id)
    g.add((node, RDF.type, HG[e.type]))
    g.add((node, SKOS.prefLabel, Literal(e.pref_nb, lang="nb")))
    if e.pref_en:
        g.add((node, SKOS.prefLabel, Literal(e.pref_en, lang="en")))
    if e.pref_nn:
        g.add((node, SKOS.prefLabel, Literal(e.pref_nn, lang="nn")))
    for alt in e.alt:
        g.add((node, SKOS.altLabel, Literal(alt, lang="nb")))
    if e.kind != "patient_group":  # a concept's identifier is its IRI (SKOS-AP-NO; rdf/skos_ap_no.py)
        g.add((node, DCTERMS.identifier, Literal(e.slug)))
    if e.definition_nb:
        g.add((node, SKOS.definition, Literal(e.definition_nb, lang="nb")))
    if e.kind == "actor" and e.broader:
        g.add((node, ORG.subOrganizationOf, entity_iri(iris, f"actor:{e.broader}")))
    if e.kind == "actor" and e.extra.get("orgnr"):
        orgnr = str(e.extra["orgnr"])
        ident = URIRef(f"{node}#orgnr")
        g.add((node, ADMS.identifier, ident))
        g.add((ident, RDF.type, ADMS.Identifier))
        g.add((ident, SKOS.notation, Literal(orgnr)))
        g.add((ident, ADMS.schemaAgency, Literal("Brønnøysundregistrene", lang="nb")))
        g.add((ident, DCTERMS.source, URIRef(e.extra["orgnr_source"])))
        g.add((node, RDFS.seeAlso, URIRef(f"{BRREG}{orgnr}")))
    if e.kind == "actor" and e.extra.get("owner"):
        g.add((node, SCHEMA.parentOrganization, entity_iri(iris, f"actor:{e.extra['owner']}")))
        g.add((node, DCTERMS.source, URIRef(e.extra["owner_source"])))
    if e.kind == "law":
        if e.extra.get("title_nb"):
            g.add((node, DCTERMS.title, Literal(e.extra["title_nb"], lang="nb")))
        g.add((node, DCTERMS.alternative, Literal(e.pref_nb, lang="nb")))
        if e.extra.get("lovdata"):
            g.add((node, ELI.id_local, Literal(e.extra["lovdata"])))
            g.add((node, SCHEMA.sameAs, eli_iri(e.extra["lovdata"])))
            g.add((node, RDFS.seeAlso, lovdata_page(e.extra["lovdata"])))
        if e.extra.get("repealed"):
            g.add((node, ELI.date_no_longer_in_force, Literal(e.extra["repealed"], datatype=XSD.date)))
            g.add((node, DCTERMS.source, URIRef(e.extra["repealed_source"])))
            if e.extra.get("replaced_by"):
                successor = entity_iri(iris, f"law:{e.extra['replaced_by']}")
                g.add((node, ELI.repealed_by, successor))
                g.add((node, DCTERMS.isReplacedBy, successor))
    if e.kind == "report":
        if e.extra.get("number"):
            g.add((node, DCTERMS.identifier, Literal(e.extra["number"])))
        if e.extra.get("title_nb"):
            g.add((node, DCTERMS.title, Literal(e.extra["title_nb"], lang="nb")))
        if e.extra.get("committee"):
            g.add((node, DCTERMS.creator, entity_iri(iris, f"actor:{e.extra['committee']}")))
        if e.extra.get("note"):
            g.add((node, RDFS.comment, Literal(e.extra["note"], lang="en")))
        g.add((node, HG.reportKind, Literal(e.extra["kind"])))
    if e.kind == "patient_group":
        scheme = iris.concept(SEGMENT["patient_group"])
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, scheme))
        if e.broader:
            g.add((node, SKOS.broader, entity_iri(iris, f"patient_group:{e.broader}")))
        for other in e.extra.get("also_broader", []):
            g.add((node, SKOS.broader, entity_iri(iris, f"patient_group:{other}")))
        else:
            g.add((node, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, node))


def catalogue_graph(catalogue: Catalogue, iris: Iris) -> Graph:
    g = Graph()
    for e in sorted(catalogue.entities.values(), key=lambda e: e.id):
        _entity(g, iris, e)
    scheme = iris.concept(SEGMENT["patient_group"])
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    for lang in ("nb", "en"):
        if catalogue.scheme.get(f"pref_{lang}"):
            g.add((scheme, SKOS.prefLabel, Literal(catalogue.scheme[f"pref_{lang}"], lang=lang)))
    return g


def mentions_graph(slug: str, mentions: list[Mention], iris: Iris) -> Graph:
    g = Graph()
    doc = iris.document(slug)
    for m in mentions:
        node = iris.item(slug, m.key) if m.item else iris.part(slug, m.key)
        kind = m.entity.split(":", 1)[0]
        entity = entity_iri(iris, m.entity)
        g.add((node, RDF.type, HG.Mention))
        g.add((node, HG.mentionOf, entity))
        g.add((node, HG.surfaceForm, Literal(m.surface, lang="nb")))
        g.add((node, HG.inDocument, doc))
        g.add((node, HG.span, span_node(g, iris, slug, m.span)))
        if m.part:
            g.add((node, HG.inPart, iris.part(slug, m.part)))
        if m.role:
            g.add((node, HG.role, ROLE_INDIVIDUAL[m.role]))
        if m.law_section:
            g.add((node, HG.lawSection, Literal(m.law_section)))
        if m.sentence:
            g.add((node, HG.sentence, Literal(m.sentence, lang="nb")))
        if m.cited_as:
            g.add((node, RDF.type, HG.Miscitation))
            g.add((node, HG.citedAs, entity_iri(iris, m.cited_as)))
        if m.item:
            item = iris.item(slug, m.item)
            g.add((node, HG.inItem, item))
            g.add((item, ROLE_PROPERTY.get((kind, m.role), MENTION_PROPERTY[kind]), entity))
    return g
