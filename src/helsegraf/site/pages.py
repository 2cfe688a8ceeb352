"""Which pages the site has and what each shows: a list of Page records, planned in one process from a few
whole-graph queries and the store's view of each resource, then written in parallel by the writer."""

from __future__ import annotations

import urllib.parse
from collections import defaultdict
from functools import lru_cache, partial
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from ..rdf.namespaces import HG, ONTOLOGY_IRI
from .indexes import START_LINE
from . import data, generic_pages, measure_table, search_entries
from .data import ENTITY_KINDS
from .dependencies import INCOMING, LABEL, PLAN, TRIPLES, fact_digest
from .generic_pages import GenericPages, passage
from .links import Paths, last_segment
from .store_view import StoreView
from .writer import Page

MEASURE_CSV = {"nb": "tiltak.csv", "en": "tiltak.en.csv"}  # the measure table as CSV, by the language of its labels
SEARCH_INDEX = {"nb": "sok-indeks.js", "en": "sok-indeks.en.js"}  # the search page's own index, likewise
# The most pairs of documents the pairs' index lists in one page: past it (the 64x synthetic corpus's 51,040 pairs
# were 10.7 MB), it lists the documents, each with a page of its pairs.
PAIRS_PER_PAGE = 2_000
T = TypeVar("T")


class Planner:
    def __init__(self, view: StoreView, paths: Paths, ontology_graph: str, sources: Mapping[str, list[str]]):
        self.store, self.view, self.paths, self.ontology_graph = view.store, view, paths, ontology_graph
        self.sources = sources  # document IRI → its source lines, for the passages
        # the mentions in running text and the ends of every item's links gathered in the view's pass over the
        # dump, where it reads one
        self.running, self.link_ends = (data.RunningMentions(), data.LinkEnds()) if view.visitable else (None, None)
        if view.visitable:
            view.visit(self.running.add)
            view.visit(self.link_ends.add)
        self.uses = view.property_uses()
        self.documents = data.documents(self.store)
        self.docs_by_iri = {d["iri"]: d for d in self.documents}
        self.items = data.items(self.store)
        self.outlines = data.outlines(self.store, self.items)
        self.top = data.top_parts(self.outlines)
        self.entities = data.entities(self.store)
        self.types = data.item_types(self.store)
        self.source_text = data.source_texts(self.store)  # document IRI → its source text's IRI
        self.lead_ins = data.lead_ins(self.store)  # item group IRI → its lead-in sentence
        self.item_by_iri = {it["item"]: it | {"doc": d} for d in self.documents for it in self.items.get(d["iri"], [])}
        self.files: dict[str, str] = {}  # files the site holds beside its pages: path → text
        # A document's links, read when its pages are written (pages are written in runs in reading order, so a
        # run asks for one document or two); a forked worker asks its own store handle.
        self.links_of = lru_cache(maxsize=2)(self._read_links)
        # and its links grouped by the later document, which each of its pair pages takes one group of
        self.pairs_of = lru_cache(maxsize=2)(lambda da: self._pairs_from(da, self.links_of(da)))
        self.labels = data.nb_labels(self.store)  # of the entities and topics links share
        self.measure_rows: list = []

    # -- the fixed pages ------------------------------------------------------------------------------------------
    def home(self, deploy, examples: list[dict]) -> list[Page]:
        # the chart is of the first document (newest first) divided into chapters: the white paper
        meld = next((d for d in self.documents if any(p.kind == "Kapittel" for p in self.outlines.get(d["iri"], []))),
                    None)
        chapters = [(f"{p.number} {p.title}", p.measures) for p in self.outlines.get(meld["iri"], [])
                    if p.measures] if meld else []
        actors = sorted(((e["label"], e["measures"]) for e in self.entities["actor"] if e["measures"]),
                        key=lambda x: (-x[1], x[0]))[:12]
        home = Page("index.html", "index.html", ctx=dict(
            documents=self.documents, total=sum(d["measures"] for d in self.documents),
            entity_counts={k: len(v) for k, v in self.entities.items()},
            size={"resources": sum(1 for s in self.view.subjects() if self.paths.page(s)),
                  "triples": sum(self.uses.values())}, chapters_title=meld["short"] if meld else "",
            chart_chapters=chapters, chart_actors=actors))
        return [home,
                Page("id/enheter.html", "entities.html", ctx=dict(entities=self.entities, kinds=ENTITY_KINDS)),
                Page("sparql.html", "query.html", ctx=dict(endpoint=deploy.endpoint_url, examples=examples,
                                                           base=self.paths.iris.base, ontology_ns=str(HG))),
                Page("sok.html", "search.html", ctx=dict(types=search_entries.TYPES, documents=self.documents,
                                                         search_index=SEARCH_INDEX)),
                # Served at whatever path was not found, so its links start from the site's own path.
                Page("404.html", "404.html", ctx=dict(root=urllib.parse.urlsplit(deploy.site_url).path or "/"))]

    def measures(self) -> list[Page]:
        """The table of every measure with its filters, and the same rows as CSV beside it."""
        parts = {p.iri: p for p, _ in data.every_part(self.outlines)}
        above: dict[str, list[str]] = defaultdict(list)
        for top, below in data.narrower(self.store).items():
            for n in below:
                above[n].append(top)
        table = measure_table.rows(self.documents, self.items, self.top, parts, data.item_mentions(self.store),
                                   self.types, measure_table.restatements(self.store), above)
        if not table:
            return []
        self.files["tiltak.csv"] = measure_table.to_csv(table)
        self.measure_rows = table
        shared = dict(csv=MEASURE_CSV, columns=measure_table.COLUMNS, entity_kinds=data.ENTITY_KINDS,
                      entity_columns=measure_table.ENTITY_COLUMNS, part_title=measure_table.part_title)
        if len(table) <= measure_table.ROWS_PER_PAGE:
            return [Page("tiltak.html", "measures.html", ctx=dict(
                rows=table, filters=measure_table.filters(table, self.view.label), **shared))]
        # too many for one page: a table per document, and tiltak.html the list of them
        tables = [(doc, rows, f"tiltak/{last_segment(doc['iri'])}.html")
                  for doc, rows in measure_table.by_document(table)]
        pages = [Page("tiltak.html", "measures.html", ctx=dict(
            rows=[], total=len(table), tables=[{"doc": doc, "count": len(rows), "path": path}
                                               for doc, rows, path in tables], **shared))]
        for doc, rows, path in tables:
            pages.append(Page(path, "measures.html", ctx=dict(
                rows=rows, filters=measure_table.filters(rows, self.view.label), doc=doc, **shared)))
        return pages

    # -- ontology -------------------------------------------------------------------------------------------------
    def ontology(self, class_index: dict[str, str]) -> list[Page]:
        terms = data.ontology_terms(self.store, self.ontology_graph)
        instances = {c: len(v) for c, v in self.view.instances().items()}
        uses = self.uses
        pages = [Page("ontologi/index.html", "ontology.html", ONTOLOGY_IRI, dict(
            terms=terms, counts={"instances": instances, "uses": uses}), holds=tuple(sorted(t["iri"] for t in terms)))]
        for t in terms:
            pages.append(Page(self.paths.page(t["iri"]), "term.html", t["iri"], dict(
                term=t, instances=instances.get(t["iri"], 0), uses=uses.get(t["iri"], 0),
                class_index=class_index.get(t["iri"]))))
        return pages

    # -- entities -------------------------------------------------------------------------------------------------
    def entity_pages(self) -> list[Page]:
        naming = data.measures_naming(self.store)
        running = (data.running_mentions(self.store) if self.running is None else
                   self.running.result(self.view.first_values(START_LINE)))
        hierarchy = data.hierarchy(self.store)
        below = data.narrower(self.store)
        labels = {e["iri"]: e["label"] for rows in self.entities.values() for e in rows}
        pages = []
        for kind, rows in self.entities.items():
            for e in rows:
                measures = list(naming.get(e["iri"], []))
                seen = {m["iri"] for m in measures}
                for n in below.get(e["iri"], []):  # measures that name a narrower concept count here too
                    for m in naming.get(n, []):
                        if m["iri"] not in seen:
                            seen.add(m["iri"])
                            measures.append(m | {"via": labels.get(n, n)})
                measures.sort(key=lambda m: (m["doc"], m["pos"], m["iri"]))
                if len(measures) != e["measures"]:
                    e = e | {"measures": len(measures), "narrower_measures": len(measures) - len(naming.get(e["iri"], []))}
                groups = self._by_document_and_chapter(measures)
                neighbours = [{"rel": rel, "label": label} for rel, label in hierarchy.get(e["iri"], [])]
                neighbours += [{"rel": "nevnt i", "count": g["count"], "label": g["short"]}
                               for g in sorted(groups, key=lambda g: (-g["count"], g["short"]))]
                mentions = [x | {"short": self.docs_by_iri[x["doc"]]["short"]} for x in running.get(e["iri"], [])]
                pages.append(Page(self.paths.page(e["iri"]), "entity.html", e["iri"], dict(
                    entity=e, kind=kind, documents=groups, mentions=mentions, neighbours=neighbours)))
        return pages

    def _by_document_and_chapter(self, measures: list[dict]) -> list[dict]:
        """Measures grouped by document (in the home page's order) and by chapter or heading, with counts."""
        by_doc: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        titles = {"": "Uten kapittel"}
        for m in measures:
            top = self.top.get(m["part"])
            by_doc[m["doc"]][top.iri if top else ""].append(m)
            if top:
                titles[top.iri] = f"{top.number} {top.title}".strip()
        out = []
        for d in self.documents:
            if d["iri"] not in by_doc:
                continue
            chapters = by_doc[d["iri"]]
            order = {p.iri: i for i, p in enumerate(self.outlines.get(d["iri"], []))}
            out.append({"iri": d["iri"], "short": d["short"], "count": sum(len(v) for v in chapters.values()),
                        "chapters": [{"iri": c or None, "title": titles[c], "measures": chapters[c]}
                                     for c in sorted(chapters, key=lambda c: (order.get(c, -1), c))]})
        return out

    # -- documents and their items --------------------------------------------------------------------------------
    def document_pages(self) -> list[Page]:
        mentions = data.item_mentions(self.store)
        sources = self.sources
        pages = []
        for d in self.documents:
            items = self.items.get(d["iri"], [])
            outline = self.outlines.get(d["iri"], [])
            loose = [it for it in items if not it["part"]]
            pages.append(Page(self.paths.page(d["iri"]), "document.html", d["iri"], dict(
                doc=d, outline=outline, loose=loose)))
            pages += self._part_pages(d, outline, mentions)
            for i, it in enumerate(items):
                pages.append(Page(self.paths.page(it["item"]), "item.html", it["item"], dict(
                    item=it, doc=d, chapter=self.top.get(it["part"]),
                    passage=passage(sources.get(d["iri"]), int(it["start"]), int(it["end"])),
                    source_text=self.source_text.get(d["iri"]),
                    mentions=mentions.get(it["item"], []), types=self.types.get(it["item"]),
                    prev=items[i - 1] if i > 0 else None, next=items[i + 1] if i + 1 < len(items) else None),
                    later=partial(self._traces_of, it["item"])))
        return pages

    def _part_pages(self, doc: dict, outline: list, mentions: dict) -> list[Page]:
        """A page per chapter, section, box and programme heading: its place in the document, its sub-parts with
        their counts, and its items in reading order under their lead-ins, each with what it names."""
        leads = self.lead_ins
        pages = []

        def walk(part, ancestors: list) -> None:
            groups: list[dict] = []
            for it in part.items:
                if not groups or groups[-1]["key"] != it["group"]:
                    groups.append({"key": it["group"], "lead_in": leads.get(it["group"], ""), "members": []})
                groups[-1]["members"].append(it)
            # its own items' mentions, not the corpus's: a page's context is hashed by value on every rebuild
            # (reuse.py), and every part page holding them all made that cost grow as parts × corpus
            own = {it["item"]: mentions[it["item"]] for it in part.items if it["item"] in mentions}
            pages.append(Page(self.paths.page(part.iri), "part.html", part.iri, dict(
                doc=doc, part=part, ancestors=ancestors, items=part.items, groups=groups, mentions=own)))
            for c in part.children:
                walk(c, ancestors + [part])

        for p in outline:
            walk(p, [])
        return pages

    def _read_links(self, doc: str) -> dict[str, list[tuple[str, dict]]]:
        return data.item_links(self.view.store, [it["item"] for it in self.items.get(doc, [])], self.labels)

    def plan_facts(self) -> tuple[dict[str, bytes], dict[str, str]]:
        """What the pages' later parts (`_traces_of`, `_pair`) take from the plan, by PLAN key: each item's record
        with its document's, and each document's record with its items'; and each item's document, so that a
        rebuild counts a change of an item's links as one of its document's (site/reuse.py)."""
        facts = {PLAN + iri: fact_digest(it) for iri, it in self.item_by_iri.items()}
        facts |= {PLAN + d["iri"]: fact_digest((d, self.items.get(d["iri"], []))) for d in self.documents}
        return facts, {iri: it["doc"]["iri"] for iri, it in self.item_by_iri.items()}

    def _record_links(self, links, ends: bool = True) -> None:
        """Record, for the page being written, what its shown links were read from: each link's own triples, the
        labels of what it shares, and (`ends`) the plan's record of its other end (dependencies.PLAN)."""
        read = self.view.recorder.read
        for other, l in links:
            read(TRIPLES, l["iri"])
            if ends:
                read(PLAN, other)
            for e in l["via"]:
                read(LABEL, e)

    def _traces_of(self, item: str) -> dict:
        """The item's links, grouped by relation, each with the other item and its document. What it shows
        depends on the item's links (a link that came or went is a triple naming the item: INCOMING), each link's
        triples and the records of the items at their other ends."""
        links = self.links_of(self.item_by_iri[item]["doc"]["iri"]).get(item, [])
        self.view.recorder.read(INCOMING, item)
        self._record_links(links)
        groups = []
        for rel, heading in data.RELATIONS:
            found = [l | {"item": self.item_by_iri[other]} for other, l in links
                     if l["relation"] == rel and other in self.item_by_iri]
            if found:
                groups.append({"relation": rel, "heading": heading, "links": found})
        return {"traces": groups}

    # -- traces: document pairs and topics ------------------------------------------------------------------------
    def trace_pages(self) -> list[Page]:
        """A page per pair of documents (what they share, where they disagree, what only one has), an index of the
        pairs, and a page per topic comparing the documents side by side. The plan holds each pair's counts; its
        links and lists are made when its page is written, from the earlier document's links: every item has links
        into every other document, so all pairs' links at once would grow faster than the corpus."""
        order = {d["iri"]: i for i, d in enumerate(self.documents)}
        pairs, pages = [], []
        link_counts: dict[str, int] = {}  # item → how many links it has, for the topic pages
        for da in self.docs_by_iri:
            # which items each link ties, without its evidence: a third of the time
            items = [it["item"] for it in self.items.get(da, [])]
            ends = (data.item_link_ends(self.store, items) if self.link_ends is None else self.link_ends.of(items))
            for item, links in ends.items():
                link_counts[item] = len(links)
            for db, links in sorted(self._pairs_from(da, ends).items()):
                doc_a, doc_b = self.docs_by_iri[da], self.docs_by_iri[db]
                path = f"spor/{last_segment(da)}--{last_segment(db)}.html"
                counts = {rel: sum(1 for _, _, r in links if r == rel) for rel, _ in data.RELATIONS}
                only = self._only_in((da, db), links)
                pairs.append({"path": path, "a": doc_a, "b": doc_b, "counts": counts, "only_a": len(only[0]),
                              "only_b": len(only[1])})
        pairs.sort(key=lambda p: (order[p["a"]["iri"]], order[p["b"]["iri"]]))
        for p in pairs:
            pages.append(Page(p["path"], "pair.html", ctx=dict(a=p["a"], b=p["b"], counts=p["counts"]),
                              later=partial(self._pair, (p["a"]["iri"], p["b"]["iri"]))))
        pages += self._pair_indexes(pairs)
        for topic in data.topics(self.store):
            columns = []
            for d in self.documents:
                items = [it for it in self.items.get(d["iri"], []) if it["measure"] and
                         any(t["iri"] == topic["iri"] for t in self.types.get(it["item"], {}).get("topics", []))]
                if items:
                    columns.append({"doc": d, "measures": items})
            # the counts of its own measures only (its context is hashed by value: see _part_pages)
            counts = {it["item"]: link_counts[it["item"]] for c in columns for it in c["measures"]
                      if it["item"] in link_counts}
            pages.append(Page(self.paths.page(topic["iri"]), "topic.html", topic["iri"], dict(
                topic=topic, columns=columns, link_counts=counts)))
        return pages

    def _pair_indexes(self, pairs: list[dict]) -> list[Page]:
        """The index of the pairs of documents: one page, or past PAIRS_PER_PAGE pairs a list of the documents and
        a page per document of the pairs it is in (each pair is in its two documents' pages)."""
        if len(pairs) <= PAIRS_PER_PAGE:
            return [Page("spor/index.html", "pairs.html", ctx=dict(pairs=pairs, relations=data.RELATIONS))]
        of: dict[str, list[dict]] = defaultdict(list)
        for p in pairs:
            of[p["a"]["iri"]].append(p)
            of[p["b"]["iri"]].append(p)
        listed = [{"doc": d, "count": len(of[d["iri"]]), "path": f"spor/dokumenter/{last_segment(d['iri'])}.html"}
                  for d in self.documents if of[d["iri"]]]
        pages = [Page("spor/index.html", "pairs.html", ctx=dict(pairs=[], documents=listed, total=len(pairs),
                                                                relations=data.RELATIONS))]
        for entry in listed:
            pages.append(Page(entry["path"], "pairs.html", ctx=dict(pairs=of[entry["doc"]["iri"]], doc=entry["doc"],
                                                                    relations=data.RELATIONS)))
        return pages

    def _pairs_from(self, da: str, links_of: Mapping[str, list[tuple[str, T]]]) -> dict[str, list[tuple[str, str, T]]]:
        """The later document → (item of da, its item, the link) for each of the links of da's items (`links_of`:
        item → (other item, link)) into a document later than da (by date, then IRI): a pair of documents reads
        from the earlier one."""
        doc = self.docs_by_iri[da]
        out: dict[str, list[tuple[str, str, T]]] = defaultdict(list)
        for item, links in links_of.items():
            for other, l in links:
                later = self.item_by_iri[other]["doc"] if other in self.item_by_iri else None
                if later is not None and (doc["date"], da) < (later["date"], later["iri"]):
                    out[later["iri"]].append((item, other, l))
        return out

    def source_text_pages(self) -> "LazyPages":
        """A page per document with the whole source text, a line to an anchor: where every "lines 1633–1637"
        points. Made when written: the plan would otherwise hold every document's text."""
        docs = {self.source_text[d["iri"]]: d for d in self.documents
                if d["iri"] in self.source_text and self.sources.get(d["iri"])}

        def page(text: str) -> Page:
            d = docs[text]
            return Page(self.paths.page(text), "source_text.html", text, dict(
                doc=d, lines=list(enumerate(self.sources[d["iri"]], 1))))
        return LazyPages(sorted(docs), page, self.paths.page, "source_text.html")

    def _only_in(self, pair: tuple[str, str], links: list[tuple[str, str, str]]) -> list[list[dict]]:
        """The measures of each document of the pair that no link but a contradiction ties to the other (`links`:
        item of one, item of the other, relation)."""
        linked = {x for a, b, rel in links if rel != "contradicting" for x in (a, b)}
        return [[it for it in self.items.get(d, []) if it["measure"] and it["item"] not in linked] for d in pair]

    def _pair(self, pair: tuple[str, str]) -> dict:
        """A pair page's links grouped by relation, each with its two items, and what only one document has.
        What it shows depends on the two documents' records and items, and on their items' links (a link of one of
        them that came, went or changed ends touches its document's PLAN key: site/reuse.py)."""
        links = self.pairs_of(pair[0]).get(pair[1], [])
        self.view.recorder.read(PLAN, pair[0])
        self.view.recorder.read(PLAN, pair[1])
        self._record_links([(b, l) for _, b, l in links], ends=False)  # the two documents' keys cover them
        full = [l | {"a": self.item_by_iri[a], "b": self.item_by_iri[b]} for a, b, l in links]
        groups = [{"relation": rel, "heading": heading,
                   "links": sorted((l for l in full if l["relation"] == rel),
                                   key=lambda l: (int(l["a"]["pos"]), -l["score"], l["b"]["item"]))}
                  for rel, heading in data.RELATIONS]
        only = self._only_in(pair, [(a, b, l["relation"]) for a, b, l in links])
        return dict(groups=groups, only_a=only[0], only_b=only[1])

    # -- everything else ------------------------------------------------------------------------------------------
    def resource_pages(self, done: set[str]) -> list["LazyPages"]:
        """A generic page for every other resource; a source span shows its lines of the source text. These are
        most of the site (a page per mention, span and line of every document), so each is made when it is written,
        from the resource's own triples, rather than planned: the plan holds their IRIs only. Two runs: those a build
        may leave to `serve` (generic_pages.servable), and the rest."""
        runs: dict[bool, list[str]] = {False: [], True: []}
        for s in self.view.subjects():
            if s not in done and (path := self.paths.page(s)) is not None:
                runs[generic_pages.servable(path)].append(s)
        make = GenericPages(self.view, self.paths, self.sources, self.source_text).page
        return [LazyPages(runs[flag], make, self.paths.page, generic_pages.TEMPLATE, servable=flag, recorded=True)
                for flag in (False, True)]


class LazyPages(Sequence):
    """Pages of one template made when asked for, one per key (a resource's IRI), in the keys' order."""

    def __init__(self, keys: list[str], make: Callable[[str], Page], path: Callable[[str], str], template: str,
                 servable: bool = False, recorded: bool = False):
        self.keys, self.make, self.path, self.template = keys, make, path, template
        self.servable = servable  # pages a build may leave to `serve`
        # `make` reads the graph and the source lines only through what records its reads (dependencies.py), so a
        # rebuild can tell an unchanged page by its key and its reads without making it (reuse.py)
        self.recorded = recorded

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.make(k) for k in self.keys[i]]
        return self.make(self.keys[i])

    def paths(self) -> Iterator[str]:
        return (self.path(k) for k in self.keys)


class SitePlan(Sequence):
    """The site's pages: those planned with their contexts, then those made when written."""

    def __init__(self, planned: list[Page], made: list[LazyPages],
                 facts: Callable[[], tuple[dict[str, bytes], dict[str, str]]] = lambda: ({}, {})):
        self.planned, self.made = planned, made
        self.facts = facts  # Planner.plan_facts: asked only by a build that keeps pages
        self._parts: list[Sequence[Page]] = [planned, *made]

    def __len__(self) -> int:
        return sum(len(part) for part in self._parts)

    def __getitem__(self, i):
        if not isinstance(i, slice):
            i = i + len(self) if i < 0 else i
            if not 0 <= i < len(self):
                raise IndexError(i)
            return self[i:i + 1][0]
        start, stop, step = i.indices(len(self))
        if step != 1:
            raise ValueError("a run of pages is contiguous")
        out: list[Page] = []
        for part in self._parts:  # each part's share of [start, stop), counted from the part's first page
            n = len(part)
            if start < n and stop > 0:
                out += part[max(start, 0):min(stop, n)]
            start, stop = start - n, stop - n
        return out

    def lazy_at(self, i: int) -> tuple["LazyPages", str] | None:
        """Where page i is one made when written: its part and key (None for a planned page)."""
        for part in self._parts:
            if i < len(part):
                return (part, part.keys[i]) if isinstance(part, LazyPages) else None
            i -= len(part)
        raise IndexError(i)

    def paths(self) -> Iterator[str]:
        yield from (p.path for p in self.planned)
        for part in self.made:
            yield from part.paths()

    def without_servable(self) -> "SitePlan":
        """The plan less the pages a build may leave to `serve`."""
        return SitePlan(self.planned, [m for m in self.made if not m.servable], self.facts)
