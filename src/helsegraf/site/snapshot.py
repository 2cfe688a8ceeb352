"""The graph held in memory for rendering: every subject's triples and every resource's incoming links, read from
the store in one pass.

Pages are rendered in forked worker processes; they read this snapshot (shared copy-on-write) and never touch the
store, so rendering needs no per-page queries and no store handle survives a fork.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# The first of these a resource has (in Bokmål or without language) is its label on every page that links to it.
# A measure's own words (schema:text) come before the label it has for generic browsers ("Boks 3.1, punkt 19: …").
LABEL_PROPS = ("http://purl.org/dc/terms/title", "http://www.w3.org/2004/02/skos/core#prefLabel",
               "https://schema.org/text", "http://www.w3.org/2000/01/rdf-schema#label",
               "https://w3id.org/helsegraf/ontology#locator", "https://w3id.org/helsegraf/ontology#surfaceForm")
LABEL_LENGTH = 90


def node_key(term: ox.NamedNode | ox.BlankNode) -> str:
    """The snapshot's key for a subject: the IRI, or '_:' and the blank node's id."""
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _sort_key(t: ox.Triple) -> tuple:
    return (t.predicate.value != RDF_TYPE, t.predicate.value, str(t.object))


@dataclass
class Snapshot:
    triples: dict[str, list[ox.Triple]]  # subject key → its triples (union of all graphs), types first, then sorted
    incoming: dict[str, list[tuple[str, str]]]  # IRI → sorted (property, subject IRI) of the triples pointing at it
    labels: dict[str, str]
    types: dict[str, frozenset[str]]
    graphs: dict[ox.Triple, tuple[str, ...]]  # triple → the named graphs that hold it: its provenance
    labels_en: dict[str, str] = None  # the English label, where the graph has one that differs from the Bokmål

    @classmethod
    def read(cls, store: ox.Store) -> "Snapshot":
        triples: dict[str, set[ox.Triple]] = defaultdict(set)
        graphs: dict[ox.Triple, set[str]] = defaultdict(set)
        incoming: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for q in store:
            s, p, o = q.subject, q.predicate, q.object
            t = ox.Triple(s, p, o)
            triples[node_key(s)].add(t)
            graphs[t].add(q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "")
            if isinstance(o, ox.NamedNode) and isinstance(s, ox.NamedNode):
                incoming[o.value].add((p.value, s.value))
        ordered = {k: sorted(v, key=_sort_key) for k, v in triples.items()}
        labels = _labels(ordered)
        english = {s: v for s, v in _labels(ordered, english=True).items() if v != labels.get(s)}
        return cls(ordered, {k: sorted(v) for k, v in incoming.items()}, labels, _types(ordered),
                   {t: tuple(sorted(g)) for t, g in graphs.items()}, english)

    def of(self, key: str) -> list[ox.Triple]:
        return self.triples.get(key, [])

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

    def instances(self) -> dict[str, list[str]]:
        """Class IRI → sorted IRIs of its named instances."""
        out: dict[str, list[str]] = defaultdict(list)
        for s, classes in self.types.items():
            if not s.startswith("_:"):
                for c in classes:
                    out[c].append(s)
        return {c: sorted(v) for c, v in out.items()}


def _labels(triples: dict[str, list[ox.Triple]], english: bool = False) -> dict[str, str]:
    """Subject → its label: in Bokmål or without language; or, for the English pages, an English one first."""
    out = {}
    rank = {p: i for i, p in enumerate(LABEL_PROPS)}
    for s, ts in triples.items():
        best = None
        for t in ts:
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
        if best:
            text = best[2]
            out[s] = text if len(text) <= LABEL_LENGTH else text[:LABEL_LENGTH - 3].rstrip() + "…"
    return out


def _types(triples: dict[str, list[ox.Triple]]) -> dict[str, frozenset[str]]:
    return {s: frozenset(t.object.value for t in ts if t.predicate.value == RDF_TYPE) for s, ts in triples.items()}
