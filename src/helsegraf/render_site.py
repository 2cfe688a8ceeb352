"""The static site: one HTML page per local resource, with its Turtle beside it, rendered from the graph."""

from __future__ import annotations

import posixpath
from functools import lru_cache
import shutil
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import jsonld, svg
from .paths import SITE_STATIC, SITE_TEMPLATES
from .rdf.iris import Iris
from .rdf.namespaces import HG, ONTOLOGY_IRI, PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PROPS = ("http://purl.org/dc/terms/title", "http://www.w3.org/2004/02/skos/core#prefLabel",
               "http://www.w3.org/2000/01/rdf-schema#label", "https://schema.org/text", "https://w3id.org/helsegraf/ontology#locator")


def _sparql(store: ox.Store, q: str):
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    return store.query(prefixes + q, use_default_graph_as_union=True)


def _value(term) -> str:
    return term.value if term is not None else ""


@lru_cache(maxsize=None)
def _relative(target: str, from_dir: str) -> str:
    """posixpath.relpath for paths inside the site (no '..' in either), without its calls to the file system."""
    t = target.split("/")
    f = [p for p in from_dir.split("/") if p]
    common = 0
    while common < len(f) and common < len(t) - 1 and f[common] == t[common]:
        common += 1
    return "/".join([".."] * (len(f) - common) + t[common:])


@lru_cache(maxsize=None)
def qname(iri: str) -> str:
    for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{p}:{iri[len(ns):]}"
    return iri


class Site:
    def __init__(self, store: ox.Store, iris: Iris, out: Path):
        self.store, self.iris, self.out = store, iris, out
        self.env = Environment(loader=FileSystemLoader(str(SITE_TEMPLATES)), autoescape=select_autoescape(["html"]),
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        self.labels = self._labels()

    def _labels(self) -> dict[str, str]:
        found: dict[str, dict[str, str]] = defaultdict(dict)
        rows = _sparql(self.store, "SELECT ?s ?p ?o WHERE { VALUES ?p { %s } ?s ?p ?o FILTER(lang(?o) = 'nb' || lang(?o) = '') }"
                       % " ".join(f"<{p}>" for p in LABEL_PROPS))
        for r in rows:
            s, p, o = r["s"].value, r["p"].value, r["o"].value
            found[s].setdefault(p, o)
        out = {}
        for s, by in found.items():
            for p in LABEL_PROPS:
                if p in by:
                    text = by[p]
                    out[s] = text if len(text) <= 90 else text[:87].rstrip() + "…"
                    break
        return out

    def page_path(self, iri: str) -> str | None:
        if iri.startswith(str(HG)) and len(iri) > len(str(HG)):
            return f"ontologi/{iri[len(str(HG)):]}.html"
        if iri == ONTOLOGY_IRI:
            return "ontologi/index.html"
        rest = self.iris.site_path(iri)
        return f"{rest}.html" if rest else None

    def href(self, from_page: str, iri: str) -> str | None:
        target = self.page_path(iri)
        if target is None:
            return iri if iri.startswith("http") else None
        return _relative(target, posixpath.dirname(from_page))

    def rel(self, from_page: str, target: str) -> str:
        return _relative(target, posixpath.dirname(from_page))

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or qname(iri)

    def render(self, template: str, page: str, **ctx) -> None:
        iri = ctx.get("iri") or (ctx.get("item") or {}).get("item") or (ctx.get("entity") or {}).get("iri") or \
            (ctx.get("doc") or {}).get("iri") if template != "index.html" else None
        stem = posixpath.basename(page[:-5])
        html = self.env.get_template(template).render(
            page=page, href=lambda iri: self.href(page, iri), rel=lambda t: self.rel(page, t),
            label=self.label, qname=qname, alternates=[(f"{stem}.ttl", "text/turtle"), (f"{stem}.nt", "application/n-triples"),
                                                       (f"{stem}.jsonld", "application/ld+json")] if iri else [],
            jsonld=self.embedded_jsonld(iri) if iri else None, **ctx)
        path = self.out / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")

    def describe(self, iri: str) -> list[tuple[str, ox.Term]]:
        node = ox.NamedNode(iri)
        triples = {(q.predicate.value, q.object) for q in self.store.quads_for_pattern(node, None, None, None)}
        return sorted(triples, key=lambda t: (t[0] != RDF_TYPE, t[0], str(t[1])))

    def triples(self, iri: str) -> list[ox.Triple]:
        node = ox.NamedNode(iri)
        return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(node, None, None, None)},
                      key=lambda t: (str(t.predicate), str(t.object)))

    def turtle(self, iri: str, page_ttl: str) -> None:
        """The resource as Turtle, N-Triples and JSON-LD beside its page (name.ttl, name.nt, name.jsonld)."""
        triples = self.triples(iri)
        stem = str(self.out / page_ttl[:-4])  # not Path.with_suffix: "avsnitt-4.1.4" has dots of its own
        Path(stem).parent.mkdir(parents=True, exist_ok=True)
        Path(stem + ".ttl").write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
        Path(stem + ".nt").write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        ctx = posixpath.relpath("context.jsonld", posixpath.dirname(page_ttl))
        Path(stem + ".jsonld").write_text(jsonld.dumps(jsonld.document(iri, triples, ctx)), encoding="utf-8")

    def embedded_jsonld(self, iri: str) -> str:
        """JSON-LD for the page itself (inline context), safe inside a <script> element."""
        text = jsonld.dumps(jsonld.document(iri, self.triples(iri)))
        # "<" as a JSON escape: no source text can open or close an element inside the script.
        return text.replace("<", "\\u003c")


def _documents(site: Site) -> list[dict]:
    rows = _sparql(site.store, """
        SELECT ?doc ?title ?date ?short ?genre (COUNT(DISTINCT ?m) AS ?measures) WHERE {
          ?doc a hg:Document ; dcterms:title ?title ; dcterms:issued ?date ; dcterms:alternative ?short ;
               dcterms:type ?genre .
          OPTIONAL { ?m hg:measureIn ?doc }
        } GROUP BY ?doc ?title ?date ?short ?genre ORDER BY DESC(STR(?date)) ?title""")
    return [{"iri": r["doc"].value, "title": r["title"].value, "date": r["date"].value, "short": r["short"].value,
             "genre": r["genre"].value, "measures": int(r["measures"].value)} for r in rows]


def _items(site: Site, doc: str) -> list[dict]:
    rows = _sparql(site.store, f"""
        SELECT ?item ?text ?locator ?pos ?part ?group ?parent ?start ?end ?page ?status ?measure WHERE {{
          ?item hg:inDocument <{doc}> ; a hg:ListItem ; schema:text ?text ; hg:locator ?locator ; hg:position ?pos ;
                hg:span ?span . ?span hg:startLine ?start ; hg:endLine ?end .
          OPTIONAL {{ ?span hg:page ?page ; hg:pageStatus ?status }}
          OPTIONAL {{ ?item hg:inPart ?part }} OPTIONAL {{ ?item hg:inGroup ?group }}
          OPTIONAL {{ ?item hg:subItemOf ?parent }}
          BIND(EXISTS {{ ?item a hg:Measure }} AS ?measure)
        }} ORDER BY ?pos""")
    return [{k: _value(r[k]) for k in ("item", "text", "locator", "pos", "part", "group", "parent", "start", "end",
                                       "page", "status")} | {"measure": r["measure"].value == "true"} for r in rows]


ENTITY_KINDS = (("actor", "hg:Actor", "Aktører"), ("law", "hg:Law", "Lover"), ("report", "hg:Report", "Rapporter"),
                ("patient_group", "hg:PatientGroup", "Pasientgrupper"))


def _entities(site: Site) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for kind, cls, _ in ENTITY_KINDS:
        rows = _sparql(site.store, f"""
            SELECT ?e ?label (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?x) AS ?mentions) WHERE {{
              ?e a {cls} ; skos:prefLabel ?label . FILTER(LANG(?label) = "nb")
              OPTIONAL {{ ?m a hg:Measure ; hg:mentions ?e }}
              OPTIONAL {{ ?x hg:mentionOf ?e }}
            }} GROUP BY ?e ?label ORDER BY LCASE(STR(?label)) ?e""")
        out[kind] = [{"iri": r["e"].value, "label": r["label"].value, "measures": int(r["measures"].value),
                      "mentions": int(r["mentions"].value)} for r in rows]
    return out


NEIGHBOUR_RELATIONS = (("org:subOrganizationOf", "del av"), ("org:hasSubOrganization", "har underenhet"),
                       ("skos:broader", "bredere"), ("skos:narrower", "smalere"), ("dcterms:creator", "forfatter"))


def _neighbours(site: Site, iri: str) -> list[tuple[str, str]]:
    """The entity's hierarchy, then the documents that mention it most, as (relation, label) pairs."""
    values = " ".join(f"({p} \"{label}\")" for p, label in NEIGHBOUR_RELATIONS)
    out = [(r["rel"].value, r["label"].value) for r in _sparql(site.store, f"""
        SELECT ?rel ?label WHERE {{ VALUES (?p ?rel) {{ {values} }} <{iri}> ?p ?o . ?o skos:prefLabel ?label
          FILTER(LANG(?label) = "nb") }} ORDER BY ?rel ?label""")]
    out += [(f"nevnt i ({r['n'].value})", r["short"].value) for r in _sparql(site.store, f"""
        SELECT ?short (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a hg:Measure ; hg:mentions <{iri}> ; hg:inDocument ?d .
          ?d dcterms:alternative ?short }} GROUP BY ?short ORDER BY DESC(?n) ?short""")]
    return out


def _entity_page(site: Site, entity: dict, kind: str) -> None:
    iri = entity["iri"]
    measures = _sparql(site.store, f"""
        SELECT ?m ?locator ?text ?doc ?short ?pos (GROUP_CONCAT(DISTINCT ?roleLabel; separator=", ") AS ?roles) WHERE {{
          ?m a hg:Measure ; hg:mentions <{iri}> ; hg:locator ?locator ; schema:text ?text ; hg:position ?pos ;
             hg:inDocument ?doc . ?doc dcterms:alternative ?short .
          OPTIONAL {{ ?x hg:inItem ?m ; hg:mentionOf <{iri}> ; hg:role ?role . ?role rdfs:label ?roleLabel
                     FILTER(LANG(?roleLabel) = "nb") }}
        }} GROUP BY ?m ?locator ?text ?doc ?short ?pos ORDER BY ?short ?pos""")
    by_doc: dict[str, dict] = {}
    for r in measures:
        d = by_doc.setdefault(r["doc"].value, {"iri": r["doc"].value, "short": r["short"].value, "measures": []})
        d["measures"].append({"iri": r["m"].value, "locator": r["locator"].value, "text": r["text"].value,
                              "roles": r["roles"].value if r["roles"] else ""})
    running = _sparql(site.store, f"""
        SELECT ?x ?surface ?start ?doc ?short ?part WHERE {{
          ?x hg:mentionOf <{iri}> ; hg:surfaceForm ?surface ; hg:inDocument ?doc ; hg:span/hg:startLine ?start .
          ?doc dcterms:alternative ?short .
          FILTER NOT EXISTS {{ ?x hg:inItem ?i }}
          OPTIONAL {{ ?x hg:inPart ?part }}
        }} ORDER BY ?short ?start ?x""")
    mentions = [{"iri": r["x"].value, "surface": r["surface"].value, "line": r["start"].value, "doc": r["doc"].value,
                 "short": r["short"].value, "part": r["part"].value if r["part"] else None} for r in running]
    page = site.page_path(iri)
    site.render("entity.html", page, entity=entity, kind=kind, props=site.describe(iri), documents=list(by_doc.values()),
                mentions=mentions, ttl=posixpath.basename(page[:-5] + ".ttl"),
                diagram=svg.neighbourhood(entity["label"], _neighbours(site, iri), f"Naboskapet til {entity['label']}"))
    site.turtle(iri, page[:-5] + ".ttl")


CONTEXT_LINES = 4


def _passage(lines: list[str] | None, start: int, end: int) -> list[dict]:
    """The item's source lines with a few lines of context either side, numbered, the item's own marked."""
    if not lines:
        return []
    first, last = max(1, start - CONTEXT_LINES), min(len(lines), end + CONTEXT_LINES)
    return [{"n": n, "text": lines[n - 1], "own": start <= n <= end} for n in range(first, last + 1)]


def _item_mentions(site: Site, item: str) -> list[dict]:
    rows = _sparql(site.store, f"""
        SELECT DISTINCT ?e ?label ?kind ?roleLabel WHERE {{
          ?x hg:inItem <{item}> ; hg:mentionOf ?e . ?e skos:prefLabel ?label . FILTER(LANG(?label) = "nb")
          VALUES (?cls ?kind) {{ (hg:Actor "aktør") (hg:Law "lov") (hg:Report "rapport") (hg:PatientGroup "pasientgruppe") }}
          ?e a ?cls .
          OPTIONAL {{ ?x hg:role/rdfs:label ?roleLabel FILTER(LANG(?roleLabel) = "nb") }}
        }} ORDER BY ?kind ?label""")
    return [{"iri": r["e"].value, "label": r["label"].value, "kind": r["kind"].value,
             "role": r["roleLabel"].value if r["roleLabel"] else None} for r in rows]


def _ontology_terms(site: Site) -> list[dict]:
    rows = _sparql(site.store, """
        SELECT ?t ?kind ?nb ?en ?cnb ?cen WHERE {
          GRAPH <%s> {
            ?t rdfs:label ?nb , ?en ; rdfs:comment ?cnb , ?cen .
            FILTER(LANG(?nb) = "nb" && LANG(?en) = "en" && LANG(?cnb) = "nb" && LANG(?cen) = "en")
            VALUES (?type ?kind) { (owl:Class "klasse") (owl:ObjectProperty "objektegenskap")
                                   (owl:DatatypeProperty "dataegenskap") (owl:NamedIndividual "individ") }
            ?t a ?type .
          }
          FILTER(STRSTARTS(STR(?t), STR(hg:)))
        } ORDER BY ?kind ?t""" % site.iris.graph("ontology"))
    return [{"iri": r["t"].value, "name": r["t"].value[len(str(HG)):], "kind": r["kind"].value, "nb": r["nb"].value,
             "en": r["en"].value, "comment_nb": r["cnb"].value, "comment_en": r["cen"].value} for r in rows]


def _ontology_pages(site: Site) -> set[str]:
    terms = _ontology_terms(site)
    site.render("ontology.html", "ontologi/index.html", terms=terms, iri=ONTOLOGY_IRI, props=site.describe(ONTOLOGY_IRI))
    site.turtle(ONTOLOGY_IRI, "ontologi/index.ttl")
    for t in terms:
        count = next(iter(_sparql(site.store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{t['iri']}> }}")))["n"]
        uses = next(iter(_sparql(site.store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{t['iri']}> ?o }}")))["n"]
        page = site.page_path(t["iri"])
        site.render("term.html", page, term=t, iri=t["iri"], props=site.describe(t["iri"]),
                    instances=int(count.value), uses=int(uses.value), ttl=posixpath.basename(page[:-5] + ".ttl"))
        site.turtle(t["iri"], page[:-5] + ".ttl")
    return {t["iri"] for t in terms} | {ONTOLOGY_IRI}


def render_site(store: ox.Store, iris: Iris, out: Path, sources: dict[str, list[str]] | None = None,
                endpoint: str = "http://127.0.0.1:7878/query", examples: list[dict] | None = None) -> int:
    """Render every page; `sources` maps a document's IRI to its source lines, for the passages on item pages, and
    `examples` are the query library's queries for the query page."""
    site = Site(store, iris, out)
    sources = sources or {}
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(SITE_STATIC, out / "static")
    (out / "context.jsonld").write_text(jsonld.dumps(jsonld.context()), encoding="utf-8")
    docs = _documents(site)
    entities = _entities(site)
    chapters = [(r["title"].value, int(r["n"].value)) for r in _sparql(store, """
        SELECT ?title (COUNT(DISTINCT ?m) AS ?n) WHERE {
          ?c a hg:Chapter ; hg:number ?num ; dcterms:title ?title .
          ?m a hg:Measure ; hg:inPart ?p . ?p hg:inPart* ?c } GROUP BY ?title ?num ORDER BY xsd:integer(?num)""")]
    actors = sorted(((e["label"], e["measures"]) for e in entities["actor"] if e["measures"]), key=lambda x: (-x[1], x[0]))[:12]
    site.render("index.html", "index.html", documents=docs, total=sum(d["measures"] for d in docs),
                entity_counts={k: len(v) for k, v in entities.items()},
                chart_chapters=svg.bar_chart(chapters, "Tiltak per kapittel i Meld. St. 9"),
                chart_actors=svg.bar_chart(actors, "Tiltak per aktør, alle dokumenter"))
    site.render("entities.html", "id/enheter.html", entities=entities, kinds=ENTITY_KINDS)
    site.render("query.html", "sparql.html", endpoint=endpoint, examples=examples or [])
    site.render("search.html", "sok.html")
    done: set[str] = _ontology_pages(site)
    pages = 2 + len(done)
    for kind, rows in entities.items():
        for e in rows:
            _entity_page(site, e, kind)
            done.add(e["iri"])
            pages += 1
    for d in docs:
        items = _items(site, d["iri"])
        page = site.page_path(d["iri"])
        groups: list[tuple[str, list[dict]]] = []
        for it in items:
            key = it["part"] or ""
            if not groups or groups[-1][0] != key:
                groups.append((key, []))
            groups[-1][1].append(it)
        site.render("document.html", page, doc=d, groups=groups, props=site.describe(d["iri"]),
                    ttl=posixpath.basename(page[:-5] + ".ttl"))
        site.turtle(d["iri"], page[:-5] + ".ttl")
        done.add(d["iri"])
        pages += 1
        for i, it in enumerate(items):
            ipage = site.page_path(it["item"])
            site.render("item.html", ipage, item=it, doc=d, props=site.describe(it["item"]),
                        passage=_passage(sources.get(d["iri"]), int(it["start"]), int(it["end"])),
                        mentions=_item_mentions(site, it["item"]),
                        prev=items[i - 1] if i > 0 else None, next=items[i + 1] if i + 1 < len(items) else None,
                        ttl=posixpath.basename(ipage[:-5] + ".ttl"))
            site.turtle(it["item"], ipage[:-5] + ".ttl")
            done.add(it["item"])
            pages += 1
    subjects = sorted({q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)} - done)
    for s in subjects:
        page = site.page_path(s)
        if page is None:
            continue
        incoming = sorted({(q.predicate.value, q.subject.value) for q in store.quads_for_pattern(None, None, ox.NamedNode(s), None)
                           if isinstance(q.subject, ox.NamedNode)})  # grouped by property below
        grouped: dict[str, list[str]] = {}
        for p, subj in incoming:
            grouped.setdefault(p, []).append(subj)
        site.render("resource.html", page, iri=s, props=site.describe(s),
                    incoming=[(p, subjects[:100], len(subjects)) for p, subjects in sorted(grouped.items())],
                    incoming_total=len(incoming), ttl=posixpath.basename(page[:-5] + ".ttl"))
        site.turtle(s, page[:-5] + ".ttl")
        pages += 1
    return pages

