"""The graph as the pages see it: a resource's triples (types first), the named graphs each comes from, the links to
it, its label and its types — from the store on disk.

The whole graph is never held in memory. What every page needs of its neighbours (their labels and types, whether
the graph describes them) is read once, in a pass per property, into small tables; a resource's own triples are
read when its page is written, and kept in a bounded cache (a page's blank nodes and fragments are read with it);
the links to it are read then too, not cached, and counted by the store where they are many. Pages are written in
forked worker processes; a store handle does not survive a fork, so each
process opens the store read-only the first time it asks (what its parent had read is still good).
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable
from pathlib import Path

import pyoxigraph as ox

from .. import serialize
from ..disk_store import matching
from .dependencies import HAS, INCOMING, LABEL, TRIPLES, TYPES, Recorder

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# The first of these a resource has (in Bokmål or without language) is its label on every page that links to it.
# A measure's own words (schema:text) come before the label it has for generic browsers ("Boks 3.1, punkt 19: …").
LABEL_PROPS = ("http://purl.org/dc/terms/title", "http://www.w3.org/2004/02/skos/core#prefLabel",
               "https://schema.org/text", "http://www.w3.org/2000/01/rdf-schema#label",
               "https://w3id.org/helsegraf/ontology#locator", "https://w3id.org/helsegraf/ontology#surfaceForm")
LABEL_LENGTH = 90
CACHED_RESOURCES = 2_000  # per process: a page reads its own resource, its blank nodes and fragments
INCOMING_READ = 10_000  # links to a resource read into Python at most; beyond, the store counts them


def node_key(term: ox.NamedNode | ox.BlankNode) -> str:
    """A subject's key: the IRI, or '_:' and the blank node's id."""
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _shared_key(term: ox.NamedNode | ox.BlankNode) -> str:
    """node_key, as one string object however many tables hold it: the tables are keyed by every resource of the
    graph, and each read of a term makes a new string (a third of the tables' memory was copies of the same IRIs)."""
    return sys.intern(node_key(term))


def _term(key: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)


def _sort_key(t: ox.Triple) -> tuple:
    return (t.predicate.value != RDF_TYPE, t.predicate.value, str(t.object))


class StoreView:
    def __init__(self, path: Path, dump: Path | None = None, first: tuple[str, ...] = ()):
        """The store at `path`. With `dump`, the store's sorted N-Quads, the tables of the whole graph are read from
        it in one pass rather than from the store, whose reads decode every term (at 16x the corpus, the passes over
        the store took 12 s of planning the site), and with them the first values of the properties `first`."""
        self.path = str(path)
        self.dump, self._first = dump, first
        self._visitors: list[Callable[[str, dict[str, set[ox.Term]]], None]] = []
        self._store: ox.Store | None = None
        self._pid = 0
        self._inherited: list[ox.Store] = []  # a parent's handle, kept unused in a forked child rather than closed
        self._read = lru_cache(maxsize=CACHED_RESOURCES)(self._read_resource)
        self._tables: _Tables | None = None
        self._subjects: list[str] | None = None
        # the keys the page being written reads (dependencies.py): each per-resource read below names its key
        self.recorder = Recorder()

    @property
    def store(self) -> ox.Store:
        if self._pid != os.getpid():
            if self._store is not None:
                self._inherited.append(self._store)
            self._store, self._pid = ox.Store.read_only(self.path), os.getpid()
        return self._store

    def release(self) -> None:
        """Close this process's store handle and forget what was read through it, keeping the tables (before
        forking the workers, which open their own)."""
        self._read.cache_clear()
        self._store, self._pid = None, 0

    # -- one resource ---------------------------------------------------------------------------------------------
    def _read_resource(self, key: str) -> tuple[list[ox.Triple], dict[ox.Triple, tuple[str, ...]]]:
        graphs: dict[ox.Triple, set[str]] = defaultdict(set)
        try:
            subject = _term(key)
        except ValueError:  # not an IRI (a filter's value, say): nothing to say about it
            return [], {}
        for q in matching(self.store, subject):
            graphs[ox.Triple(q.subject, q.predicate, q.object)].add(
                q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "")
        return sorted(graphs, key=_sort_key), {t: tuple(sorted(g)) for t, g in graphs.items()}

    def of(self, key: str) -> list[ox.Triple]:
        """The resource's triples (the union of all graphs), types first, then by property and value."""
        self.recorder.read(TRIPLES, key)
        return self._read(key)[0]

    def graphs(self, key: str, triple: ox.Triple) -> tuple[str, ...]:
        """The named graphs that hold one of the resource's triples: its provenance."""
        self.recorder.read(TRIPLES, key)
        return self._read(key)[1][triple]

    @property
    def tables(self) -> "_Tables":
        if self._tables is None:
            self._tables = (_Tables.read(self.store) if self.dump is None else
                            _Tables.from_dump(self.dump, self._first, self._visitors))
        return self._tables

    @property
    def visitable(self) -> bool:
        """Whether `visit` can still take a visitor: the tables are to be read from a dump, and not read yet."""
        return self.dump is not None and self._tables is None

    def visit(self, visitor: Callable[[str, dict[str, set[ox.Term]]], None]) -> None:
        """Have the pass over the dump that reads the tables give `visitor` each named subject's values (property →
        objects, as `values` gives them), so that what else needs every resource is read in the same pass."""
        if not self.visitable:
            raise ValueError("a visitor needs the tables still to be read, from a dump")
        self._visitors.append(visitor)

    def has(self, key: str) -> bool:
        """Whether the graph says anything about the resource (as a subject)."""
        self.recorder.read(HAS, key)
        return key in self.tables.subjects

    def description(self, key: str) -> list[ox.Triple]:
        """The resource's triples and, recursively, those of the blank nodes it points to (its bounded
        description): what its Turtle, N-Triples and JSON-LD carry."""
        out, todo, seen = [], [key], {key}
        while todo:
            for t in self.of(todo.pop(0)):
                out.append(t)
                if isinstance(t.object, ox.BlankNode) and (k := node_key(t.object)) not in seen:
                    seen.add(k)
                    todo.append(k)
        return out

    def values(self, iri: str) -> dict[str, set[ox.Term]]:
        """Property → the resource's values of it (the union of all graphs), unsorted and uncached: for a pass over
        every resource, where `of` would sort and keep what is read once."""
        subject = ox.NamedNode(iri)
        out: dict[str, set[ox.Term]] = defaultdict(set)
        for q in self.store.quads_for_pattern(subject, None, None, None):
            if q.subject == subject:  # pyoxigraph 0.5.13 may add a neighbouring key's quads: disk_store.matching
                out[q.predicate.value].add(q.object)
        return out

    def quads_of(self, subject: ox.NamedNode | ox.BlankNode) -> int:
        """How many quads of any graph have this subject (not recorded: for telling what a change touched)."""
        return sum(1 for _ in matching(self.store, subject))

    def props(self, key: str) -> list[tuple[str, ox.Term]]:
        return [(t.predicate.value, t.object) for t in self.of(key)]

    def types(self, key: str) -> frozenset[str]:
        self.recorder.read(TYPES, key)
        return self.tables.types.get(key, frozenset())

    def label(self, key: str) -> str | None:
        """The resource's label: in Bokmål or without language, by LABEL_PROPS' order, shortened."""
        self.recorder.read(LABEL, key)
        return self.tables.labels.get(key)

    def label_en(self, key: str) -> str | None:
        """The resource's English label, where the graph has one that differs from the Bokmål."""
        self.recorder.read(LABEL, key)
        return self.tables.labels_en.get(key)

    def first_values(self, prop: str) -> dict[str, str]:
        """Subject → the first value (in the order of `of`) of the property, for every subject that has it: one pass
        for planning what would otherwise be a read per resource."""
        if prop in self._first and self.dump is not None:
            return self.tables.first[prop]
        out: dict[str, tuple[str, str]] = {}
        for q in self.store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
            k, order = _shared_key(q.subject), str(q.object)
            if k not in out or order < out[k][0]:
                out[k] = (order, sys.intern(q.object.value))  # values repeat too: a document, a part
        return {k: v for k, (_, v) in out.items()}

    def incoming(self, iri: str, first: int) -> list[tuple[str, list[str], int]]:
        """The links to the resource from resources with IRIs, by property (sorted): the property, its first
        `first` subjects (sorted), and how many there are. A resource with more than INCOMING_READ links (a class
        has every instance's) has them counted and the first chosen by the store, for a page that shows fifty of
        each: read whole into Python (37 MiB for hg:SourceSpan's 28,969 at 8x) and cached for 2,000 resources,
        they were the likely cause of the 64x site's largest worker peaking at 4,136 MiB."""
        self.recorder.read(INCOMING, iri)
        links: set[tuple[str, str]] = set()
        for q in self.store.quads_for_pattern(None, None, ox.NamedNode(iri), None):
            if isinstance(q.subject, ox.NamedNode):
                links.add((q.predicate.value, q.subject.value))
                if len(links) > INCOMING_READ:
                    return self._incoming_counted(iri, first)
        grouped: dict[str, list[str]] = {}
        for p, subject in sorted(links):
            grouped.setdefault(p, []).append(subject)
        return [(p, subjects[:first], len(subjects)) for p, subjects in grouped.items()]

    def _incoming_counted(self, iri: str, first: int) -> list[tuple[str, list[str], int]]:
        def ask(q: str):
            return self.store.query(q, use_default_graph_as_union=True)

        # STR order is code point order in the store as in Python: the subjects come as `sorted` gives them
        counts = {r["p"].value: int(r["n"].value) for r in ask(
            f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} GROUP BY ?p")}
        return [(p, [r["s"].value for r in ask(f"SELECT DISTINCT ?s WHERE {{ ?s <{p}> <{iri}> FILTER(isIRI(?s)) }} "
                                                f"ORDER BY STR(?s) LIMIT {first}")], counts[p])
                for p in sorted(counts)]

    def all_values(self, prop: str) -> dict[str, list[ox.Term]]:
        """Subject → every value of the property, for every subject that has it (one pass)."""
        out: dict[str, list[ox.Term]] = defaultdict(list)
        for q in self.store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
            out[_shared_key(q.subject)].append(q.object)
        return out

    # -- the whole graph, streamed --------------------------------------------------------------------------------
    def subjects(self) -> list[str]:
        """Every named subject, sorted (once: planning and the writer each go through them)."""
        if self._subjects is None:
            self._subjects = sorted(k for k in self.tables.subjects if not k.startswith("_:"))
        return self._subjects

    def instances(self) -> dict[str, list[str]]:
        """Class IRI → sorted IRIs of its named instances, by class IRI (a page's context holds it, and a rebuild
        compares contexts by value and order: dependencies.stable_digest)."""
        out: dict[str, list[str]] = defaultdict(list)
        for s, classes in self.tables.types.items():
            if not s.startswith("_:"):
                for c in classes:
                    out[c].append(s)
        return {c: sorted(v) for c, v in sorted(out.items())}

    def property_uses(self) -> dict[str, int]:
        """Property IRI → how many triples use it (each triple once, in however many graphs). Counted a property at
        a time: the distinct triples of the whole graph at once (one query) held every triple in the store's memory
        (the 64x site's planning peaked at 3.8 GiB for 12.8 million triples); one property's are at most the
        largest property's share (rdf:type's, a sixth there). With a dump, counted in the tables' pass."""
        if self.dump is not None:
            return self.tables.uses
        properties = [r["p"] for r in self.store.query(
            "SELECT DISTINCT ?p WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }")]
        out = {}
        for p in properties:
            [row] = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE "
                                     f"{{ {{ GRAPH ?g {{ ?s {p} ?o }} }} UNION {{ ?s {p} ?o }} }} }}")
            out[p.value] = int(row["n"].value)
        return dict(sorted(out.items()))

    def english_labels(self) -> dict[str, str]:
        """Resource → its English label, for every resource whose English label differs from its Bokmål one."""
        return self.tables.labels_en


@dataclass
class _Tables:
    """What pages need of every resource they link to, read in a pass per property rather than a read per resource."""
    subjects: set[str]
    types: dict[str, frozenset[str]]
    labels: dict[str, str]
    labels_en: dict[str, str]
    first: dict[str, dict[str, str]] = field(default_factory=dict)  # property → StoreView.first_values(property)
    uses: dict[str, int] = field(default_factory=dict)  # StoreView.property_uses, where read from a dump

    @classmethod
    def read(cls, store: ox.Store) -> "_Tables":
        subjects = {_shared_key(r["s"]) for r in store.query(
            "SELECT DISTINCT ?s WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }")}
        found: dict[str, set[str]] = defaultdict(set)
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, None):
            found[_shared_key(q.subject)].add(q.object.value)
        best_nb: dict[str, tuple] = {}
        best_en: dict[str, tuple] = {}
        for rank, prop in enumerate(LABEL_PROPS):
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                _offer(best_nb, best_en, _shared_key(q.subject), rank, q.object)
        return cls(subjects, _shared_types(found), *_labels(best_nb, best_en))

    @classmethod
    def from_dump(cls, dump: Path, first: tuple[str, ...] = (),
                  visitors: list[Callable[[str, dict[str, set[ox.Term]]], None]] = ()) -> "_Tables":
        """The same tables from the store's sorted N-Quads, in one pass, with the first values of the properties
        `first` and how many triples use each property; each named subject's values given to the `visitors`."""
        subjects: set[str] = set()
        found: dict[str, set[str]] = defaultdict(set)
        best_nb: dict[str, tuple] = {}
        best_en: dict[str, tuple] = {}
        rank_of = {prop: rank for rank, prop in enumerate(LABEL_PROPS)}
        firsts: dict[str, dict[str, tuple[str, str]]] = {prop: {} for prop in first}
        uses: dict[str, int] = defaultdict(int)
        last = k = None
        values: dict[str, set[ox.Term]] = defaultdict(set)  # the subject's, for the visitors

        def visited() -> None:
            if visitors and isinstance(last, ox.NamedNode):
                for visit in visitors:
                    visit(k, values)
            values.clear()

        for t in serialize.union_triples(dump):
            if t.subject != last:
                visited()
                last, k = t.subject, _shared_key(t.subject)
                subjects.add(k)
            p, o = t.predicate.value, t.object
            uses[p] += 1
            if visitors:
                values[p].add(o)
            if p == RDF_TYPE:
                found[k].add(o.value)
            elif (rank := rank_of.get(p)) is not None:
                _offer(best_nb, best_en, k, rank, o)
            if (kept := firsts.get(p)) is not None:
                order = str(o)
                if k not in kept or order < kept[k][0]:
                    kept[k] = (order, sys.intern(o.value))
        visited()
        return cls(subjects, _shared_types(found), *_labels(best_nb, best_en),
                   first={prop: {k: v for k, (_, v) in values.items()} for prop, values in firsts.items()},
                   uses=dict(sorted(uses.items())))


def _shared_types(found: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    shared: dict[frozenset, frozenset] = {}  # most resources share their set of types with thousands of others
    return {k: shared.setdefault(frozenset(v), frozenset(v)) for k, v in found.items()}


def _labels(best_nb: dict[str, tuple], best_en: dict[str, tuple]) -> tuple[dict[str, str], dict[str, str]]:
    labels = {k: _shorten(v[2]) for k, v in best_nb.items()}
    return labels, {k: text for k, v in best_en.items() if (text := _shorten(v[2])) != labels.get(k)}


def _offer(best_nb: dict[str, tuple], best_en: dict[str, tuple], k: str, rank: int, o: ox.Term) -> None:
    """Keep the value `o` of the rank-th of LABEL_PROPS as resource k's label where it is better than the one kept:
    a Bokmål label is any in Bokmål or without language; an English one any in English, else the Bokmål one."""
    if not isinstance(o, ox.Literal) or o.language not in (None, "nb", "en"):
        return
    if o.language == "en":
        keys = ((best_en, (0, rank, o.value)),)
    else:
        keys = ((best_nb, (0, rank, o.value)), (best_en, (1, rank, o.value)))
    for best, key in keys:
        if k not in best or key < best[k]:
            best[k] = key


class ResourceView(StoreView):
    """The view for a process that makes a page now and then (`serve`, serving/page_maker.py): what a page needs of
    the resources it links to is read per resource when asked, and the last few thousand kept, rather than read for
    the whole graph in passes (minutes and gigabytes at the scale of a national corpus). The same answers as
    StoreView's tables (tests/site/test_store_view.py); the whole-graph passes are not offered. Its reads are not
    recorded (dependencies.py): a page made on request is not kept for a rebuild."""

    def __init__(self, path: Path):
        super().__init__(path)
        self._facts = lru_cache(maxsize=CACHED_RESOURCES)(self._read_facts)

    def _read_facts(self, key: str) -> tuple[bool, frozenset[str], str | None, str | None]:
        try:
            subject = _term(key)
        except ValueError:
            return False, frozenset(), None, None
        has = next(matching(self.store, subject), None) is not None
        types = frozenset(q.object.value for q in matching(self.store, subject, ox.NamedNode(RDF_TYPE)))
        best_nb: dict[str, tuple] = {}
        best_en: dict[str, tuple] = {}
        for rank, prop in enumerate(LABEL_PROPS):
            for q in matching(self.store, subject, ox.NamedNode(prop)):
                _offer(best_nb, best_en, key, rank, q.object)
        label = _shorten(best_nb[key][2]) if key in best_nb else None
        english = _shorten(best_en[key][2]) if key in best_en else None
        return has, types, label, (english if english != label else None)

    def release(self) -> None:
        super().release()
        self._facts.cache_clear()

    def has(self, key: str) -> bool:
        return self._facts(key)[0]

    def types(self, key: str) -> frozenset[str]:
        return self._facts(key)[1]

    def label(self, key: str) -> str | None:
        return self._facts(key)[2]

    def label_en(self, key: str) -> str | None:
        return self._facts(key)[3]

    @property
    def tables(self) -> "_Tables":
        raise TypeError("a ResourceView reads per resource: it has no tables of the whole graph")


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[:LABEL_LENGTH - 3].rstrip() + "…"
