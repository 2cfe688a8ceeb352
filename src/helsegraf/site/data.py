"""What the pages show beyond a resource's own triples, read from the store with a few whole-graph queries (never
one query per page): documents, their outline and items, entities with the measures and mentions that name them."""

from __future__ import annotations

import itertools
import sys
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..disk_store import matching
from ..rdf.namespaces import PREFIXES
from .words import norwegian

_HG = PREFIXES["hg"]
_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

ENTITY_KINDS = (("actor", "hg:Actor", "Aktører", "aktør"), ("law", "hg:Law", "Lover", "lov"),
                ("report", "hg:Report", "Rapporter", "rapport"),
                ("patient_group", "hg:PatientGroup", "Pasientgrupper", "pasientgruppe"))


def sparql(store: ox.Store, q: str):
    return store.query(_PREFIXES + q, use_default_graph_as_union=True)


def _v(term) -> str:
    return term.value if term is not None else ""


@dataclass
class Part:
    """A chapter, section, box or heading, with its sub-parts and the items directly in it, in reading order."""
    iri: str
    title: str
    number: str
    kind: str
    start: int
    parent: str
    children: list["Part"] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)

    @property
    def measures(self) -> int:
        return sum(1 for i in self.items if i["measure"]) + sum(c.measures for c in self.children)


def documents(store: ox.Store) -> list[dict]:
    rows = sparql(store, """
        SELECT ?doc ?title ?date ?short ?genre (COUNT(DISTINCT ?m) AS ?measures) WHERE {
          ?doc a hg:Document ; dcterms:title ?title ; dcterms:issued ?date ; dcterms:alternative ?short ;
               dcterms:type ?genre .
          OPTIONAL { ?m hg:measureIn ?doc FILTER NOT EXISTS { ?m hg:restates ?original } }
        } GROUP BY ?doc ?title ?date ?short ?genre ORDER BY DESC(STR(?date)) ?title""")
    return [{"iri": r["doc"].value, "title": r["title"].value, "date": r["date"].value, "short": r["short"].value,
             "genre": r["genre"].value, "measures": int(r["measures"].value)} for r in rows]


def lead_ins(store: ox.Store) -> dict[str, str]:
    """Item group IRI → the lead-in that introduces its items ("Regjeringen vil:")."""
    return {r["g"].value: r["t"].value for r in sparql(store, "SELECT ?g ?t WHERE { ?g a hg:ItemGroup ; schema:text ?t }")}


def source_texts(store: ox.Store) -> dict[str, str]:
    """Document IRI → the IRI of the source text it was derived from."""
    rows = sparql(store, "SELECT ?doc ?text WHERE { ?doc a hg:Document ; prov:wasDerivedFrom ?text . ?text a hg:SourceText }")
    return {r["doc"].value: r["text"].value for r in rows}


def items(store: ox.Store) -> dict[str, list[dict]]:
    """Document IRI → its list items (measures and text items) in reading order."""
    rows = sparql(store, """
        SELECT ?doc ?item ?text ?locator ?pos ?part ?group ?parent ?start ?end ?page ?status ?measure WHERE {
          ?item a hg:ListItem ; hg:inDocument ?doc ; schema:text ?text ; hg:locator ?locator ; hg:position ?pos ;
                hg:span ?span . ?span hg:startLine ?start ; hg:endLine ?end .
          OPTIONAL { ?span hg:page ?page ; hg:pageStatus ?status }
          OPTIONAL { ?item hg:inPart ?part } OPTIONAL { ?item hg:inGroup ?group }
          OPTIONAL { ?item hg:subItemOf ?parent }
          BIND(EXISTS { ?item a hg:Measure } AS ?measure)
        } ORDER BY ?doc ?pos""")
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["doc"].value].append(
            {k: _v(r[k]) for k in ("item", "text", "locator", "pos", "part", "group", "parent", "start", "end", "page",
                                   "status")} | {"measure": r["measure"].value == "true"})
    return dict(out)


PART_KINDS = (("hg:Chapter", "Kapittel"), ("hg:Section", "Avsnitt"), ("hg:Box", "Boks"), ("hg:Heading", "Overskrift"))


def outlines(store: ox.Store, items_by_doc: dict[str, list[dict]]) -> dict[str, list[Part]]:
    """Document IRI → its top-level parts, each holding its sub-parts and items, all in reading order."""
    values = " ".join(f'({c} "{k}")' for c, k in PART_KINDS)
    rows = sparql(store, f"""
        SELECT ?doc ?p ?title ?num ?kind ?start ?parent WHERE {{
          ?p a hg:DocumentPart ; hg:inDocument ?doc ; dcterms:title ?title ; hg:span/hg:startLine ?start .
          OPTIONAL {{ ?p hg:number ?num }}
          OPTIONAL {{ VALUES (?cls ?kind) {{ {values} }} ?p a ?cls }}
          OPTIONAL {{ ?p hg:inPart ?parent }}
        }}""")
    parts: dict[str, Part] = {}
    doc_of: dict[str, str] = {}
    for r in rows:
        iri = r["p"].value
        if iri not in parts:  # a part has one title, number and start; the kind is the first VALUES match
            parts[iri] = Part(iri, r["title"].value, _v(r["num"]), _v(r["kind"]) or "Del", int(r["start"].value),
                              _v(r["parent"]))
            doc_of[iri] = r["doc"].value
    for doc_items in items_by_doc.values():
        for it in doc_items:
            if it["part"] in parts:
                parts[it["part"]].items.append(it)
    roots: dict[str, list[Part]] = defaultdict(list)
    for p in sorted(parts.values(), key=lambda p: (p.start, p.iri)):
        if p.parent in parts:
            parts[p.parent].children.append(p)
        else:
            roots[doc_of[p.iri]].append(p)
    return dict(roots)


def every_part(outline: dict[str, list[Part]]):
    """(part, the top-level part it belongs to) for every part of every document, in reading order."""
    def walk(p: Part, top: Part):
        yield p, top
        for c in p.children:
            yield from walk(c, top)

    for roots in outline.values():
        for r in roots:
            yield from walk(r, r)


def top_parts(outline: dict[str, list[Part]]) -> dict[str, Part]:
    """Every part's IRI → the top-level part (chapter, or programme heading) it belongs to."""
    return {p.iri: top for p, top in every_part(outline)}


def entities(store: ox.Store) -> dict[str, list[dict]]:
    """Kind → the catalogued entities of that kind with how many measures and mentions name them, by label."""
    out: dict[str, list[dict]] = {}
    for kind, cls, _, _ in ENTITY_KINDS:
        # Counted apart: in one pattern, an entity's measures and mentions would be joined pairwise before
        # counting (the product grows with the square of the corpus: 15 s of the 8x site's planning).
        measures = _counts(store, f"?e a {cls} . ?m a hg:Measure ; hg:mentions ?e "
                                  "FILTER NOT EXISTS { ?m hg:restates ?original }", "?m")
        mentions = _counts(store, f"?e a {cls} . ?x hg:mentionOf ?e", "?x")
        rows = sparql(store, f"""
            SELECT ?e ?label (GROUP_CONCAT(DISTINCT STR(?type); separator=" ") AS ?types) WHERE {{
              ?e a {cls} ; skos:prefLabel ?label . FILTER(LANG(?label) = "nb")
              OPTIONAL {{ ?e a ?type FILTER(STRSTARTS(STR(?type), STR(hg:))) }}
            }} GROUP BY ?e ?label""")
        out[kind] = sorted(({"iri": r["e"].value, "label": r["label"].value,
                             "measures": measures.get(r["e"].value, 0), "mentions": mentions.get(r["e"].value, 0),
                             "kind": kind, "type": _most_specific(_v(r["types"]).split(), cls)} for r in rows),
                           key=lambda e: (norwegian(e["label"]), e["iri"]))
    return out


def _counts(store: ox.Store, pattern: str, counted: str) -> dict[str, int]:
    """?e → how many distinct values of `counted` the pattern finds with it."""
    return {r["e"].value: int(r["n"].value)
            for r in sparql(store, f"SELECT ?e (COUNT(DISTINCT {counted}) AS ?n) WHERE {{ {pattern} }} GROUP BY ?e")}


# the classes every actor has: its own kind is the other one (hg:Ministry, hg:HealthRegion …)
_GENERAL = {PREFIXES["hg"] + c for c in ("Actor", "Organisation", "Law", "Report", "PatientGroup")}


def _most_specific(types: list[str], cls: str) -> str:
    own = sorted(t for t in types if t not in _GENERAL)
    if own:
        return own[0]
    organisation = PREFIXES["hg"] + "Organisation"
    return organisation if organisation in types else ""


def measures_naming(store: ox.Store) -> dict[str, list[dict]]:
    """Entity IRI → the measures that name it, with the roles they give it, in document and reading order."""
    rows = sparql(store, """
        SELECT ?e ?m ?doc ?part ?pos ?locator ?text (GROUP_CONCAT(DISTINCT ?roleLabel; separator="|") AS ?roles)
        WHERE {
          ?m a hg:Measure ; hg:mentions ?e ; hg:position ?pos ; hg:inDocument ?doc ; hg:locator ?locator ;
             schema:text ?text .
          FILTER NOT EXISTS { ?m hg:restates ?original }  # counted once: as the original
          OPTIONAL { ?m hg:inPart ?part }
          OPTIONAL { ?x hg:inItem ?m ; hg:mentionOf ?e ; hg:role ?role . ?role rdfs:label ?roleLabel
                     FILTER(LANG(?roleLabel) = "nb") }
        } GROUP BY ?e ?m ?doc ?part ?pos ?locator ?text""")
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["e"].value].append({"iri": r["m"].value, "doc": r["doc"].value, "part": _v(r["part"]),
                                  # GROUP_CONCAT's order is the store's, which differs between processes
                                  "pos": int(r["pos"].value), "roles": ", ".join(sorted(_v(r["roles"]).split("|"))),
                                  "locator": r["locator"].value,
                                  "text": r["text"].value})
    return {e: sorted(v, key=lambda m: (m["doc"], m["pos"], m["iri"])) for e, v in out.items()}


def narrower(store: ox.Store) -> dict[str, list[str]]:
    """Concept IRI → every concept below it (skos:broader, transitively), so that a page on "eldre" counts the
    measures that name "eldre med skrøpelighet"."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in sparql(store, "SELECT DISTINCT ?top ?n WHERE { ?n skos:broader+ ?top FILTER(?n != ?top) } ORDER BY ?top ?n"):
        out[r["top"].value].append(r["n"].value)
    return dict(out)


def _running_order(m: dict) -> tuple:
    return m["doc"], m["line"], m["iri"], m["part"] or "", m["sentence"], m["surface"]


def running_mentions(store: ox.Store) -> dict[str, list[dict]]:
    """Entity IRI → its mentions outside list items (in running text), by document and line."""
    rows = sparql(store, """
        SELECT ?e ?x ?surface ?start ?doc ?part ?sentence WHERE {
          ?x hg:mentionOf ?e ; hg:surfaceForm ?surface ; hg:inDocument ?doc ; hg:span/hg:startLine ?start .
          FILTER NOT EXISTS { ?x hg:inItem ?i }
          OPTIONAL { ?x hg:inPart ?part }
          OPTIONAL { ?x hg:sentence ?sentence }
        }""")
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["e"].value].append({"iri": r["x"].value, "surface": r["surface"].value, "line": int(r["start"].value),
                                  "doc": r["doc"].value, "part": _v(r["part"]) or None,
                                  "sentence": _v(r["sentence"])})
    return {e: sorted(v, key=_running_order) for e, v in out.items()}


MENTION_OF, SURFACE, IN_DOCUMENT, SPAN, IN_ITEM, IN_PART, SENTENCE = (
    _HG + n for n in ("mentionOf", "surfaceForm", "inDocument", "span", "inItem", "inPart", "sentence"))


class RunningMentions:
    """running_mentions, gathered a subject at a time in the view's pass over the sorted dump (StoreView.visit)
    instead of queried from the store (3.6 s of the site's plan at 16x the corpus): `add` keeps each named subject
    that has what the query asks of a mention and no item, `result` puts in its span's first line (a span has one:
    the SourceSpan shape) and gives a row per combination of values, as the query does."""

    def __init__(self) -> None:
        self._found: list[tuple[str, dict[str, set[ox.Term]]]] = []

    def add(self, k: str, values: dict[str, set[ox.Term]]) -> None:
        if IN_ITEM not in values and all(p in values for p in (MENTION_OF, SURFACE, IN_DOCUMENT, SPAN)):
            self._found.append((k, {p: values[p] for p in (MENTION_OF, SURFACE, IN_DOCUMENT, SPAN, IN_PART, SENTENCE)
                                    if p in values}))

    def result(self, start_line: dict[str, str]) -> dict[str, list[dict]]:
        """With `start_line`, a span's key → its first line (StoreView.first_values)."""
        out: dict[str, list[dict]] = defaultdict(list)
        for k, v in self._found:
            for e, surface, doc, span, part, sentence in itertools.product(
                    v[MENTION_OF], v[SURFACE], v[IN_DOCUMENT], v[SPAN], v.get(IN_PART) or (None,),
                    v.get(SENTENCE) or (None,)):
                start = start_line.get(span.value if isinstance(span, ox.NamedNode) else f"_:{span.value}")
                if start is not None:
                    out[e.value].append({"iri": k, "surface": surface.value, "line": int(start), "doc": doc.value,
                                         "part": _v(part) or None, "sentence": _v(sentence)})
        return {e: sorted(v, key=_running_order) for e, v in out.items()}


def item_mentions(store: ox.Store) -> dict[str, list[dict]]:
    """Item IRI → the entities it names (kind, label, role), by kind and label."""
    values = " ".join(f'({cls} "{noun}")' for _, cls, _, noun in ENTITY_KINDS)
    rows = sparql(store, f"""
        SELECT DISTINCT ?item ?e ?label ?kind ?roleLabel WHERE {{
          ?x hg:inItem ?item ; hg:mentionOf ?e . ?e skos:prefLabel ?label . FILTER(LANG(?label) = "nb")
          VALUES (?cls ?kind) {{ {values} }}
          ?e a ?cls .
          OPTIONAL {{ ?x hg:role/rdfs:label ?roleLabel FILTER(LANG(?roleLabel) = "nb") }}
        }}""")
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["item"].value].append({"iri": r["e"].value, "label": r["label"].value, "kind": r["kind"].value,
                                     "role": _v(r["roleLabel"]) or None})
    return {i: sorted(v, key=lambda m: (m["kind"], m["label"], m["role"] or "")) for i, v in out.items()}


NEIGHBOUR_RELATIONS = (("org:subOrganizationOf", "del av"), ("org:hasSubOrganization", "har underenhet"),
                       ("skos:broader", "bredere"), ("skos:narrower", "smalere"), ("dcterms:creator", "forfatter"))


def hierarchy(store: ox.Store) -> dict[str, list[tuple[str, str]]]:
    """Entity IRI → (relation, label) of the entities above and below it, for the neighbourhood diagrams."""
    values = " ".join(f'({p} "{label}")' for p, label in NEIGHBOUR_RELATIONS)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in sparql(store, f"""
            SELECT ?e ?rel ?label WHERE {{ VALUES (?p ?rel) {{ {values} }} ?e ?p ?o . ?o skos:prefLabel ?label
              FILTER(LANG(?label) = "nb") }}"""):
        out[r["e"].value].append((r["rel"].value, r["label"].value))
    return {e: sorted(v) for e, v in out.items()}


def ontology_terms(store: ox.Store, ontology_graph: str) -> list[dict]:
    rows = sparql(store, """
        SELECT ?t ?kind ?nb ?en ?cnb ?cen WHERE {
          GRAPH <%s> {
            ?t rdfs:label ?nb , ?en ; rdfs:comment ?cnb , ?cen .
            FILTER(LANG(?nb) = "nb" && LANG(?en) = "en" && LANG(?cnb) = "nb" && LANG(?cen) = "en")
            VALUES (?type ?kind) { (owl:Class "klasse") (owl:ObjectProperty "objektegenskap")
                                   (owl:DatatypeProperty "dataegenskap") (owl:NamedIndividual "individ") }
            ?t a ?type .
          }
          FILTER(STRSTARTS(STR(?t), STR(hg:)))
        } ORDER BY ?kind ?t""" % ontology_graph)
    hg = PREFIXES["hg"]
    return [{"iri": r["t"].value, "name": r["t"].value[len(hg):], "kind": r["kind"].value, "nb": r["nb"].value,
             "en": r["en"].value, "comment_nb": r["cnb"].value, "comment_en": r["cen"].value} for r in rows]


RELATIONS = (("same", "Samme tiltak"), ("overlapping", "Overlappende"), ("contradicting", "Motstridende"))


def nb_labels(store: ox.Store) -> dict[str, list[str]]:
    """Every resource with a Bokmål skos:prefLabel → those labels (the entities and topics links share)."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in sparql(store, 'SELECT DISTINCT ?e ?l WHERE { ?e skos:prefLabel ?l FILTER(LANG(?l) = "nb") }'):
        out[r["e"].value].append(r["l"].value)
    return dict(out)


_FROM, _TO = ox.NamedNode(_HG + "traceFrom"), ox.NamedNode(_HG + "traceTo")
_RELATION, _ENDS = _HG + "relation", (_HG + "traceFrom", _HG + "traceTo")
_TRACE, _TYPE = _HG + "Trace", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _traces_at(store: ox.Store, item: str):
    """(trace node, the property that names its other item) for each trace from or to the item."""
    node = ox.NamedNode(item)
    for there, back in ((_FROM, _TO), (_TO, _FROM)):
        for t in {q.subject for q in matching(store, p=there, o=node)}:
            yield t, back


def item_links(store: ox.Store, items: list[str], labels: dict[str, list[str]]) -> dict[str, list[tuple[str, dict]]]:
    """Item IRI → (the other item, the link) for each of the items' links to items of other documents (relation,
    score and the evidence: shared words, entities and topics by their `labels`, the contradiction cue), strongest
    first. Asked for a document's items when its pages are written: links grow faster than the corpus (an item
    keeps its best few into every other document), so no page plan holds them all. Each link is read once from
    each of its two documents: twice the cost of one query over the whole graph (8x: 6.0 s against 2.9 s; a
    SPARQL query per document costs the same 6.4 s), the price of holding none."""
    out: dict[str, list[tuple[str, dict]]] = {}
    order = {rel: i for i, (rel, _) in enumerate(RELATIONS)}
    for item in items:
        links = []
        for t, back in _traces_at(store, item):
            values: dict[str, set[str]] = defaultdict(set)
            for q in matching(store, s=t):
                values[q.predicate.value].add(q.object.value)
            if _TRACE not in values[_TYPE]:
                continue
            v = {name: sorted(values[_HG + name]) for name in ("relation", "score", "contradictionCue")}
            link = {"iri": t.value, "relation": v["relation"][0], "score": float(v["score"][0]),
                    "cue": (v["contradictionCue"] or [""])[0] or None,
                    "terms": sorted(values[_HG + "sharedTerm"]),
                    "entities": sorted({x for e in values[_HG + "sharedEntity"] for x in labels.get(e, ())}),
                    "topics": sorted({x for e in values[_HG + "sharedTopic"] for x in labels.get(e, ())}),
                    # whose labels those are: what a page showing the link read (pages.Planner records it)
                    "via": sorted(values[_HG + "sharedEntity"] | values[_HG + "sharedTopic"])}
            links += [(other, link) for other in sorted(values[back.value])]
        if links:
            out[item] = sorted(links, key=lambda x: (order[x[1]["relation"]], -x[1]["score"], x[0]))
    return out


def item_link_ends(store: ox.Store, items: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Item IRI → (the other item, the relation) for each of the items' links: what item_links gives without the
    evidence, in a third of the time (8x: 2.0 s against 6.0 s), for counting."""
    rel, out = ox.NamedNode(_HG + "relation"), {}
    for item in items:
        ends = []
        for t, back in _traces_at(store, item):
            relations = sorted({q.object.value for q in matching(store, s=t, p=rel)})
            ends += [(q.object.value, relations[0]) for q in matching(store, s=t, p=back)] if relations else []
        if ends:
            out[item] = sorted(set(ends))
    return out


class LinkEnds:
    """item_link_ends for every item, gathered a subject at a time in the view's pass over the sorted dump
    (StoreView.visit) instead of read from the store document by document (2.8 s of the site's plan at 16x the
    corpus): each named subject with a relation ties its hg:traceFrom items to its hg:traceTo items, by the first
    of its relations. Every item's ends are held, without their evidence (item_links reads that per document)."""

    def __init__(self) -> None:
        self._ends: dict[str, set[tuple[str, str]]] = defaultdict(set)

    def add(self, k: str, values: dict[str, set[ox.Term]]) -> None:
        relations = values.get(_RELATION)
        if not relations:
            return
        relation = min(r.value for r in relations)
        sides = [values.get(p, ()) for p in _ENDS]
        for here, there in (sides, sides[::-1]):  # an item's key is an IRI, as _traces_at asks for it
            for item in here:
                if isinstance(item, ox.NamedNode):
                    self._ends[sys.intern(item.value)].update((sys.intern(o.value), relation) for o in there)

    def of(self, items: list[str]) -> dict[str, list[tuple[str, str]]]:
        """As item_link_ends gives them for `items`."""
        return {item: sorted(self._ends[item]) for item in items if self._ends.get(item)}


def item_types(store: ox.Store) -> dict[str, dict]:
    """Item IRI → its instrument, topics and periods, with labels."""
    out: dict[str, dict] = defaultdict(lambda: {"instrument": None, "topics": [], "periods": []})
    for r in sparql(store, """
            SELECT ?m ?i ?label ?cue WHERE { ?m hg:instrument ?i . ?i skos:prefLabel ?label FILTER(LANG(?label) = "nb")
              OPTIONAL { ?m hg:instrumentCue ?cue } }"""):
        out[r["m"].value]["instrument"] = {"iri": r["i"].value, "label": r["label"].value, "cue": _v(r["cue"]) or None}
    for r in sparql(store, """
            SELECT ?m ?t ?label WHERE { ?m a hg:Measure ; dcterms:subject ?t . ?t skos:prefLabel ?label
              FILTER(LANG(?label) = "nb") } ORDER BY ?m ?label"""):
        out[r["m"].value]["topics"].append({"iri": r["t"].value, "label": r["label"].value})
    for r in sparql(store, """
            SELECT ?m ?p ?label ?start ?end WHERE { ?m dcterms:temporal ?p . ?p rdfs:label ?label
              OPTIONAL { ?p dcat:startDate ?start } OPTIONAL { ?p dcat:endDate ?end } } ORDER BY ?m ?p"""):
        out[r["m"].value]["periods"].append({"iri": r["p"].value, "label": r["label"].value,
                                             "start": _v(r["start"]), "end": _v(r["end"])})
    return dict(out)


def topics(store: ox.Store) -> list[dict]:
    """The topics of the topic scheme (the scheme items are typed with through dcterms:subject), by label."""
    rows = sparql(store, """
        SELECT DISTINCT ?t ?label ?cap WHERE { ?m a hg:Measure ; dcterms:subject ?t . ?t skos:prefLabel ?label
          FILTER(LANG(?label) = "nb") OPTIONAL { ?t hg:capSubtopic ?cap } } ORDER BY ?label""")
    return [{"iri": r["t"].value, "label": r["label"].value, "cap": _v(r["cap"]) or None} for r in rows]
