"""The graph as the pages see it: a resource's triples (types first), the named graphs each comes from, the links to
it, its label and its types — read from the store on disk a resource at a time, when a page asks.

Nothing holds the whole graph in memory: what a process has read is kept in a bounded cache (a page's neighbours
are mostly the next page's too). Pages are written in forked worker processes; a store handle does not survive a
fork, so each process opens the store read-only the first time it asks (what its parent had read is still good).
"""

from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# The first of these a resource has (in Bokmål or without language) is its label on every page that links to it.
# A measure's own words (schema:text) come before the label it has for generic browsers ("Boks 3.1, punkt 19: …").
LABEL_PROPS = ("http://purl.org/dc/terms/title", "http://www.w3.org/2004/02/skos/core#prefLabel",
               "https://schema.org/text", "http://www.w3.org/2000/01/rdf-schema#label",
               "https://w3id.org/helsegraf/ontology#locator", "https://w3id.org/helsegraf/ontology#surfaceForm")
LABEL_LENGTH = 90
CACHED_RESOURCES = 20_000  # per process: a resource's triples are a few kB at most; a page touches some dozens


def node_key(term: ox.NamedNode | ox.BlankNode) -> str:
    """A subject's key: the IRI, or '_:' and the blank node's id."""
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _term(key: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)


def _sort_key(t: ox.Triple) -> tuple:
    return (t.predicate.value != RDF_TYPE, t.predicate.value, str(t.object))


class StoreView:
    def __init__(self, path: Path):
        self.path = str(path)
        self._store: ox.Store | None = None
        self._pid = 0
        self._inherited: list[ox.Store] = []  # a parent's handle, kept unused in a forked child rather than closed
        self._read = lru_cache(maxsize=CACHED_RESOURCES)(self._read_resource)
        self._incoming = lru_cache(maxsize=CACHED_RESOURCES)(self._read_incoming)
        self._labels = lru_cache(maxsize=CACHED_RESOURCES)(self._read_labels)
        self._english: dict[str, str] | None = None
        self._subjects: list[str] | None = None

    @property
    def store(self) -> ox.Store:
        if self._pid != os.getpid():
            if self._store is not None:
                self._inherited.append(self._store)
            self._store, self._pid = ox.Store.read_only(self.path), os.getpid()
        return self._store

    # -- one resource ---------------------------------------------------------------------------------------------
    def _read_resource(self, key: str) -> tuple[list[ox.Triple], dict[ox.Triple, tuple[str, ...]]]:
        graphs: dict[ox.Triple, set[str]] = defaultdict(set)
        try:
            subject = _term(key)
        except ValueError:  # not an IRI (a filter's value, say): nothing to say about it
            return [], {}
        for q in self.store.quads_for_pattern(subject, None, None, None):
            graphs[ox.Triple(q.subject, q.predicate, q.object)].add(
                q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "")
        return sorted(graphs, key=_sort_key), {t: tuple(sorted(g)) for t, g in graphs.items()}

    def of(self, key: str) -> list[ox.Triple]:
        """The resource's triples (the union of all graphs), types first, then by property and value."""
        return self._read(key)[0]

    def graphs(self, key: str, triple: ox.Triple) -> tuple[str, ...]:
        """The named graphs that hold one of the resource's triples: its provenance."""
        return self._read(key)[1][triple]

    def has(self, key: str) -> bool:
        """Whether the graph says anything about the resource (as a subject)."""
        return bool(self.of(key))

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

    def props(self, key: str) -> list[tuple[str, ox.Term]]:
        return [(t.predicate.value, t.object) for t in self.of(key)]

    def values(self, key: str, prop: str) -> list[ox.Term]:
        return [t.object for t in self.of(key) if t.predicate.value == prop]

    def value(self, key: str, prop: str) -> str | None:
        found = self.values(key, prop)
        return found[0].value if found else None

    def types(self, key: str) -> frozenset[str]:
        return frozenset(t.object.value for t in self.of(key) if t.predicate.value == RDF_TYPE)

    def _read_labels(self, key: str) -> tuple[str | None, str | None]:
        nb, en = _label(self.of(key), english=False), _label(self.of(key), english=True)
        return nb, (en if en != nb else None)

    def label(self, key: str) -> str | None:
        """The resource's label: in Bokmål or without language, by LABEL_PROPS' order, shortened."""
        return self._labels(key)[0]

    def label_en(self, key: str) -> str | None:
        """The resource's English label, where the graph has one that differs from the Bokmål."""
        return self._labels(key)[1]

    def _read_incoming(self, iri: str) -> list[tuple[str, str]]:
        return sorted({(q.predicate.value, q.subject.value)
                       for q in self.store.quads_for_pattern(None, None, ox.NamedNode(iri), None)
                       if isinstance(q.subject, ox.NamedNode)})

    def incoming(self, iri: str) -> list[tuple[str, str]]:
        """Sorted (property, subject IRI) of the triples pointing at the resource."""
        return self._incoming(iri)

    # -- the whole graph, streamed --------------------------------------------------------------------------------
    def subjects(self) -> list[str]:
        """Every named subject, sorted (read once: planning asks more than once)."""
        if self._subjects is None:
            self._subjects = sorted({q.subject.value for q in self.store if isinstance(q.subject, ox.NamedNode)})
        return self._subjects

    def instances(self) -> dict[str, list[str]]:
        """Class IRI → sorted IRIs of its named instances."""
        out: dict[str, set[str]] = defaultdict(set)
        for q in self.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                out[q.object.value].add(q.subject.value)
        return {c: sorted(v) for c, v in out.items()}

    def property_uses(self) -> dict[str, int]:
        """Property IRI → how many triples use it (each triple once, in however many graphs)."""
        rows = self.store.query("SELECT ?p (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE "
                                "{ { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } } } } GROUP BY ?p")
        return {r["p"].value: int(r["n"].value) for r in rows}

    def english_labels(self) -> dict[str, str]:
        """Resource → its English label, for every resource whose English label differs from its Bokmål one."""
        if self._english is None:
            having = {node_key(q.subject) for p in LABEL_PROPS
                      for q in self.store.quads_for_pattern(None, ox.NamedNode(p), None, None)
                      if isinstance(q.object, ox.Literal) and q.object.language == "en"}
            self._english = {s: en for s in sorted(having) if (en := self.label_en(s))}
        return self._english


def _label(triples: list[ox.Triple], english: bool) -> str | None:
    """In Bokmål or without language; or, for the English pages, an English one first."""
    rank = {p: i for i, p in enumerate(LABEL_PROPS)}
    best = None
    for t in triples:
        i = rank.get(t.predicate.value)
        o = t.object
        if i is None or not isinstance(o, ox.Literal):
            continue
        if o.language in (None, "nb"):
            key = (1 if english else 0, i, o.value)
        elif english and o.language == "en":
            key = (0, i, o.value)
        else:
            continue
        if best is None or key < best:
            best = key
    if best is None:
        return None
    text = best[2]
    return text if len(text) <= LABEL_LENGTH else text[:LABEL_LENGTH - 3].rstrip() + "…"
