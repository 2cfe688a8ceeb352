"""A parsed document as RDF: the document, its outline, lead-ins, items and source spans.

Facts the text states go to the document's own graph; facts the manifest marks as curated go to the reference
graph, with hg:curatedProperty saying which they are, so what was extracted and what was curated stay apart.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, XSD

from ..records import Item, ItemKind, PageStatus, ParsedDocument, Span
from ..sources import SourceDoc
from .iris import Iris
from .namespaces import EU_LANG, HG, SCHEMA
from .reference import genre_iri

ITEM_CLASS = {
    ItemKind.BOX_MEASURE: HG.BoxMeasure,
    ItemKind.ANNOUNCED_MEASURE: HG.AnnouncedMeasure,
    ItemKind.COMMITMENT: HG.Commitment,
    ItemKind.MAIN_MOVE: HG.MainMove,
    ItemKind.SPEECH_PLEDGE: HG.SpeechPledge,
    ItemKind.TEXT_ITEM: HG.ListItem,
}
PART_CLASS = {"chapter": HG.Chapter, "section": HG.Section, "box": HG.Box, "heading": HG.Heading}
PAGE_STATUS = {PageStatus.STATED: HG.PageStated, PageStatus.INFERRED: HG.PageInferred}
CURATED_PROPERTY = {"date": DCTERMS.issued, "issuer": DCTERMS.publisher, "title": DCTERMS.title}


def date_literal(value: str) -> Literal:
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=kind)


def span_node(g: Graph, iris: Iris, slug: str, span: Span) -> URIRef:
    node = iris.span(slug, span.start, span.end)
    g.add((node, RDF.type, HG.SourceSpan))
    g.add((node, HG.startLine, Literal(span.start, datatype=XSD.integer)))
    g.add((node, HG.endLine, Literal(span.end, datatype=XSD.integer)))
    g.add((node, HG.inSourceText, iris.source_text(slug)))
    g.add((node, HG.inDocument, iris.document(slug)))
    if span.page is not None and span.page_status is not None:
        g.add((node, HG.page, Literal(span.page, datatype=XSD.integer)))
        g.add((node, HG.pageStatus, PAGE_STATUS[span.page_status]))
    if span.pdf_page is not None:
        g.add((node, HG.pdfPage, Literal(span.pdf_page, datatype=XSD.integer)))
    lines = f"linje {span.start}" if span.start == span.end else f"linjer {span.start}–{span.end}"
    g.add((node, RDFS.label, Literal(lines, lang="nb")))
    return node


def _item(g: Graph, iris: Iris, slug: str, item: Item) -> None:
    node = iris.item(slug, item.key)
    doc = iris.document(slug)
    g.add((node, RDF.type, ITEM_CLASS[item.kind]))
    g.add((node, SCHEMA.text, Literal(item.text, lang="nb")))
    if item.kind.is_measure:
        # for generic linked-data browsers, which show rdfs:label and nothing else (schema:text is what the page shows)
        g.add((node, RDFS.label, Literal(f"{item.locator}: {item.text}", lang="nb")))
    g.add((node, HG.locator, Literal(item.locator)))
    g.add((node, HG.number, Literal(item.number)))
    g.add((node, HG.position, Literal(item.order, datatype=XSD.integer)))
    g.add((node, HG.span, span_node(g, iris, slug, item.span)))
    g.add((node, HG.measureIn if item.kind.is_measure else HG.inDocument, doc))
    if item.part:
        g.add((node, HG.inPart, iris.part(slug, item.part)))
    if item.group:
        g.add((node, HG.inGroup, iris.group(slug, item.group)))
    if item.parent:
        g.add((node, HG.subItemOf, iris.item(slug, item.parent)))
    if item.negated:
        g.add((node, HG.negated, Literal(True)))
    if item.restates:
        g.add((node, HG.restates, iris.item(slug, item.restates)))


def map_document(source: SourceDoc, parsed: ParsedDocument, iris: Iris) -> tuple[Graph, Graph]:
    """The document's own graph, and the curated statements about it for the reference graph."""
    g, curated = Graph(), Graph()
    slug = source.slug
    doc = iris.document(slug)
    text = iris.source_text(slug)

    def put(key: str, triple) -> None:
        (curated if key in source.curated else g).add(triple)

    g.add((doc, RDF.type, HG.Document))
    put("title", (doc, DCTERMS.title, Literal(source.title, lang="nb")))
    put("date", (doc, DCTERMS.issued, date_literal(source.date)))
    put("issuer", (doc, DCTERMS.publisher, iris.actor(source.issuer)))
    for co in source.co_issuers:
        put("issuer", (doc, DCTERMS.publisher, iris.actor(co)))
    for key in source.curated:
        curated.add((doc, HG.curatedProperty, CURATED_PROPERTY[key]))
    if source.curated and source.curation_source:
        curated.add((doc, HG.curatedFrom, Literal(f"sources/{source.curation_source}")))
    g.add((doc, DCTERMS.alternative, Literal(source.short_title, lang="nb")))
    g.add((doc, DCTERMS.identifier, Literal(slug)))
    g.add((doc, DCTERMS.type, genre_iri(iris, source.genre)))
    g.add((doc, DCTERMS.language, EU_LANG.NOB))
    g.add((doc, PROV.wasDerivedFrom, text))
    if source.landing_page:
        g.add((doc, FOAF.page, URIRef(source.landing_page)))
    if source.government:
        curated.add((doc, HG.government, iris.actor(source.government)))

    g.add((text, RDF.type, HG.SourceText))
    g.add((text, DCTERMS.identifier, Literal(source.path.name)))
    g.add((text, HG.sha256, Literal(source.sha256)))
    if source.retrieved_from:
        g.add((text, DCTERMS.source, URIRef(source.retrieved_from)))
    g.add((text, DCTERMS["format"], Literal("application/pdf" if source.is_pdf else "text/plain; charset=utf-8")))
    if source.pages:
        g.add((text, HG.pdfPages, Literal(source.pages)))
    g.add((text, RDFS.label, Literal(f"Kildetekst {source.path.name}", lang="nb")))

    for part in parsed.parts:
        node = iris.part(slug, part.key)
        g.add((node, RDF.type, PART_CLASS[part.kind]))
        g.add((node, DCTERMS.title, Literal(part.title, lang="nb")))
        g.add((node, HG.inDocument, doc))
        g.add((node, HG.span, span_node(g, iris, slug, part.span)))
        if part.number:
            g.add((node, HG.number, Literal(part.number)))
        if part.parent:
            g.add((node, HG.inPart, iris.part(slug, part.parent)))
    for group in parsed.groups:
        node = iris.group(slug, group.key)
        g.add((node, RDF.type, HG.ItemGroup))
        g.add((node, SCHEMA.text, Literal(group.text, lang="nb")))
        g.add((node, HG.inDocument, doc))
        g.add((node, HG.span, span_node(g, iris, slug, group.span)))
        if group.part:
            g.add((node, HG.inPart, iris.part(slug, group.part)))
    for item in parsed.items:
        _item(g, iris, slug, item)
    return g, curated
