"""Index pages per class: every instance listed, grouped (by document and chapter for what comes from a document,
by kind for actors, laws and the like) and sorted in reading order or by label; large classes split per group."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox

from ..rdf.namespaces import HG
from .data import Part
from .links import Paths, last_segment, qname
from .store_view import RDF_TYPE, StoreView
from .words import norwegian
from .writer import Page

ROWS_PER_PAGE = 500
IN_DOCUMENT, IN_PART, POSITION, START_LINE = (str(HG.inDocument), str(HG.inPart), str(HG.position), str(HG.startLine))
SPAN = str(HG.span)
PLACES = (IN_DOCUMENT, IN_PART, POSITION, SPAN, START_LINE)  # where an instance sits: for grouping and ordering


def natural(text: str) -> list:
    """A sort key that puts "boks-3.2" before "boks-3.10"."""
    return [int(x) if i % 2 else norwegian(x) for i, x in enumerate(re.split(r"(\d+)", text))]


def class_slug(cls: str) -> str:
    q = qname(cls)
    return q.replace(":", "-") if q != cls else re.sub(r"[^A-Za-z0-9]+", "-", cls).strip("-")


class _ByLabel:
    """Orders as (natural(label(iri)), natural(iri)), found only when compared: a class's members mostly differ
    by position or line first, and making every member's natural keys was a fifth of planning the site."""

    __slots__ = ("iri", "label", "_key")

    def __init__(self, iri: str, label):
        self.iri, self.label, self._key = iri, label, None

    def key(self) -> tuple:
        if self._key is None:
            self._key = (natural(self.label(self.iri)), natural(self.iri))
        return self._key

    def __eq__(self, other) -> bool:
        return self.iri == other.iri or self.key() == other.key()

    def __lt__(self, other) -> bool:
        return self.key() < other.key()


class PropertyUse:
    """What ClassIndexes.properties_used counts, a subject at a time (`add`: its values, property → objects, as
    StoreView.values gives them): for each class of every subject with a page, how many of its instances use each
    property, in how many triples, and the first instance in IRI order with its first value. Given to the view, it
    is fed by the view's pass over the sorted dump (a second pass of its own was a tenth of the site's plan at 16x
    the corpus)."""

    def __init__(self, page: Callable[[str], str | None]):
        self.page = page
        self.on: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.example: dict[str, dict[str, tuple[str, ox.Term]]] = defaultdict(dict)

    def add(self, s: str, values: dict[str, set[ox.Term]]) -> None:
        classes = values.get(RDF_TYPE)
        if not classes or not self.page(s):
            return
        for c in {o.value for o in classes}:
            on, total, example = self.on[c], self.total[c], self.example[c]
            for p, objects in values.items():
                total[p] += len(objects)
                on[p] += 1
                # the first instance in IRI order (in whatever order they come), its first value as its page lists it
                if p not in example or s < example[p][0]:
                    example[p] = (s, min(objects, key=str))


@dataclass
class Group:
    key: tuple
    title: str
    slug: str
    members: list[str]


class ClassIndexes:
    def __init__(self, view: StoreView, paths: Paths, documents: list[dict], outlines: dict[str, list[Part]],
                 top: dict[str, Part], label, used: PropertyUse | None = None):
        """`used`: the properties each class's instances use, counted as the view read its tables (else read from
        the store, resource by resource)."""
        self.view, self.paths, self.top, self.label, self.used = view, paths, top, label, used
        self.doc_order = {d["iri"]: (i, d["short"]) for i, d in enumerate(documents)}
        self.part_order = {p.iri: i for roots in outlines.values() for i, p in enumerate(roots)}
        self.instances = {c: [s for s in v if paths.page(s)] for c, v in view.instances().items()}
        self.instances = {c: v for c, v in self.instances.items() if v}
        self.count = {c: len(v) for c, v in self.instances.items()}
        # where each instance sits (with the view's tables where it reads them from a dump: render_site)
        self.in_document, self.in_part, self.position, self.span, self.start_line = (
            view.first_values(p) for p in PLACES)

    def paths_by_class(self) -> dict[str, str]:
        return {c: f"indeks/{class_slug(c)}.html" for c in self.instances}

    def _group_of(self, cls: str, s: str) -> tuple[tuple, str, str]:
        doc = self.in_document.get(s)
        if doc:
            order, short = self.doc_order.get(doc, (len(self.doc_order), doc))
            top = self.top.get(self.in_part.get(s, ""))
            doc_slug = last_segment(doc)
            if top:
                return ((0, order, self.part_order.get(top.iri, 0)), f"{short} › {' '.join(x for x in (top.number, top.title) if x)}",
                        f"{doc_slug}--{top.iri.rsplit('/', 1)[-1]}")
            return (0, order, -1), short, doc_slug
        # the most specific of its types in the ontology's namespace: the one with the fewest instances
        kinds = sorted((self.count.get(t, 0), t) for t in self.view.types(s) if t.startswith(str(HG)) and t != cls)
        kind = kinds[0][1] if kinds else cls
        return (1, natural(self.label(kind))), self.label(kind), class_slug(kind)

    def _sort_key(self, s: str) -> tuple:
        pos = self.position.get(s)
        span = self.span.get(s)
        line = self.start_line.get(span) if span else self.start_line.get(s)
        return (int(pos) if pos else -1, int(line) if line else -1, _ByLabel(s, self.label))

    def groups(self, cls: str) -> list[Group]:
        found: dict[str, Group] = {}
        for s in self.instances[cls]:
            key, title, slug = self._group_of(cls, s)
            found.setdefault(slug, Group(key, title, slug, [])).members.append(s)
        for g in found.values():
            g.members.sort(key=self._sort_key)
        return sorted(found.values(), key=lambda g: (g.key, g.slug))

    def properties_used(self) -> dict[str, list[dict]]:
        """Per class, the properties its instances use: on how many of them, how often in all, and one example (the
        value on the first instance that has it, in IRI order) — what a query writer needs to know of a class.
        Counted as the view read its tables from the sorted dump (`used`, given: plan_site), else from the store,
        resource by resource."""
        used = self.used
        if used is None:
            used = PropertyUse(self.paths.page)
            for s in sorted({s for members in self.instances.values() for s in members}):
                used.add(s, self.view.values(s))
        on, total, example = used.on, used.total, used.example

        def shown(o: ox.Term) -> dict:
            if isinstance(o, ox.NamedNode):
                return {"object_iri": o.value, "object_text": ""}
            text = o.value if not isinstance(o, ox.BlankNode) else "[blank node]"
            return {"object_iri": None, "object_text": text if len(text) <= 80 else text[:79] + "…"}

        return {c: [{"iri": p, "instances": on[c][p], "triples": total[c][p], "subject": example[c][p][0]}
                    | shown(example[c][p][1]) for p in sorted(on[c], key=lambda p: (-on[c][p], qname(p)))]
                for c in self.instances}

    def pages(self) -> list[Page]:
        term_label = self.label
        paths = self.paths_by_class()
        classes = sorted(self.instances, key=lambda c: (not c.startswith(str(HG)), natural(qname(c))))
        used = self.properties_used()
        pages = [Page("indeks/index.html", "class_index.html", ctx=dict(
            classes=[{"iri": c, "path": paths[c], "count": self.count[c], "label": term_label(c)} for c in classes]))]
        for c in classes:
            groups = self.groups(c)
            base = paths[c][:-5]
            split = self.count[c] > ROWS_PER_PAGE
            listed = []
            for g in groups:
                chunks = [g.members[i:i + ROWS_PER_PAGE] for i in range(0, len(g.members), ROWS_PER_PAGE)]
                hrefs = [f"{base}/{g.slug}{'' if n == 0 else f'-{n + 1}'}.html" for n in range(len(chunks))] if split else []
                listed.append({"title": g.title, "count": len(g.members), "members": [] if split else g.members,
                               "pages": hrefs})
                for n, (href, chunk) in enumerate(zip(hrefs, chunks)):
                    pages.append(Page(href, "class_group.html", ctx=dict(
                        cls=c, cls_label=term_label(c), cls_page=paths[c], group=g.title, members=chunk,
                        part=n + 1, parts=len(chunks), pages=hrefs, start=n * ROWS_PER_PAGE)))
            pages.append(Page(paths[c], "class.html", ctx=dict(cls=c, cls_label=term_label(c), count=self.count[c],
                                                              groups=listed, split=split, used=used[c])))
        return pages

