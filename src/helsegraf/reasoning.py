"""Reasoning: owlrl closes the (small) ontology; fast SPARQL rules derived from that closure infer instance facts.

owlrl over the whole graph takes minutes, while the ontology alone closes in well under a second. The closure
yields the subclass, subproperty, inverse, domain and range axioms; each becomes a SPARQL INSERT run by
pyoxigraph to a fixpoint. tests/test_reasoning.py checks the rules against owlrl's own result on a sample.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

import owlrl
import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from . import disk_store
from .disk_store import matching
from .serialize import SortedRuns

# Classes and properties every OWL RL closure relates everything to; they say nothing about the data.
_TRIVIAL = {OWL.Thing, RDFS.Resource, OWL.Nothing, RDFS.Class, OWL.Class, RDF.Property, OWL.ObjectProperty,
            OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.topObjectProperty, OWL.topDataProperty,
            OWL.bottomObjectProperty, OWL.bottomDataProperty, RDFS.Literal}
_BUILTIN_NS = (str(RDF), str(RDFS), str(OWL))


def _named(t) -> bool:
    return isinstance(t, URIRef) and t not in _TRIVIAL


@dataclass(frozen=True)
class Axioms:
    subclass: frozenset[tuple[str, str]]
    subproperty: frozenset[tuple[str, str]]
    inverse: frozenset[tuple[str, str]]
    domain: frozenset[tuple[str, str]]
    range: frozenset[tuple[str, str]]

    def is_empty(self) -> bool:
        return not (self.subclass or self.subproperty or self.inverse or self.domain or self.range)


def close_ontology(ontology: Graph) -> Graph:
    """The OWL RL closure of the ontology (read only: the same graph is given back for the same triples)."""
    return _closure(frozenset(ontology))


@functools.lru_cache(maxsize=2)
def _closure(triples: frozenset) -> Graph:
    # 0.8 s a build: once per process for tests and `serve`, which build many times over the same ontology
    closed = Graph()
    for t in triples:
        closed.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    return closed


def axioms_from(closed: Graph) -> Axioms:
    def pairs(pred) -> frozenset[tuple[str, str]]:
        return frozenset(
            (str(s), str(o)) for s, o in closed.subject_objects(pred)
            if _named(s) and _named(o) and s != o and not str(s).startswith(_BUILTIN_NS)
        )

    inverse = set(pairs(OWL.inverseOf))
    inverse |= {(b, a) for a, b in inverse}
    return Axioms(pairs(RDFS.subClassOf), pairs(RDFS.subPropertyOf), frozenset(inverse),
                  pairs(RDFS.domain), pairs(RDFS.range))


def schema_entailments(ontology: Graph, closed: Graph) -> Graph:
    """What the closure adds to the ontology's own class and property hierarchy, minus the trivia."""
    out = Graph()
    for pred in (RDFS.subClassOf, RDFS.subPropertyOf):
        for s, o in closed.subject_objects(pred):
            if _named(s) and _named(o) and s != o and (s, pred, o) not in ontology and not isinstance(s, BNode):
                if not str(s).startswith(_BUILTIN_NS):
                    out.add((s, pred, o))
    return out


def _values(pairs: frozenset[tuple[str, str]]) -> str:
    return " ".join(f"(<{a}> <{b}>)" for a, b in sorted(pairs))


# One INSERT per kind of axiom: (axiom pairs, head triple, body pattern), both over ?a ?b bound by VALUES.
# consequences held before they are written to the store in one load (250,000 held 270 MiB more at 8x)
INFERRED_PER_LOAD = 50_000

# The body reads every named graph; the FILTER keeps a rule from adding what is already there.
_RULES = (
    ("subproperty", "?s ?b ?o", "?s ?a ?o", ""),
    ("inverse", "?o ?b ?s", "?s ?a ?o", "FILTER(!isLiteral(?o))"),
    ("domain", "?s a ?b", "?s ?a ?o", ""),
    ("range", "?o a ?b", "?s ?a ?o", "FILTER(!isLiteral(?o))"),
    ("subclass", "?s a ?b", "?s a ?a", ""),
)


def rules(ax: Axioms, inferred_graph: str) -> list[str]:
    """SPARQL updates that each add one kind of consequence to the inferred graph."""
    out = []
    for name, head, body, extra in _RULES:
        pairs = getattr(ax, name)
        if pairs:
            out.append(f"INSERT {{ GRAPH <{inferred_graph}> {{ {head} }} }} WHERE {{ VALUES (?a ?b) {{ {_values(pairs)} }} "
                       f"GRAPH ?x {{ {body} }} {extra} FILTER NOT EXISTS {{ GRAPH ?y {{ {head} }} }} }}")
    return out


def infer(store: ox.Store, ax: Axioms, inferred_graph: str, data_graphs: list[str], max_rounds: int = 20,
          chunk: int = 50_000, kept: dict[str, Path] | None = None, runs: SortedRuns | None = None) -> int:
    """Add to `inferred_graph` what the rules derive from `data_graphs` and is in none of them (nor already
    inferred); returns how many triples were added.

    Each rule reads one triple, so what the graphs entail is the union of what each of their triples entails, and
    what a triple entails depends on its predicate alone (and for rdf:type on its class; and on whether its
    object is a literal): `Entailed` works that out by the rules once per kind of triple, and every triple of the
    data is answered from it, a chunk of quads at a time. Only the consequences the data graphs and the inferred
    graph do not already hold are added. Memory stays that of a chunk and of INFERRED_PER_LOAD consequences
    however large the store (on disk). Only the data graphs are read, so that the
    ontology's own axioms are not mistaken for instance data.

    For the same reason what one graph entails depends on that graph and the axioms alone: `kept` names, for the
    graphs whose content a key fixes (a document's, by its cache key and `axioms_digest`), the file their
    consequences are read from when it exists and written to when not (N-Triples). `runs`, where given, hold
    every quad the store was given (serialize.SortedRuns): the data graphs are read from them, and what is added
    goes to them too.
    """
    if ax.is_empty():
        return 0
    target = ox.NamedNode(inferred_graph)
    scope = set(data_graphs) | {inferred_graph}
    entailed = Entailed(rules(ax, inferred_graph), target, max_rounds)
    kept = kept or {}
    added = 0
    # Each consequence is looked up in the store, and a lookup costs more the more files the store's bulk loads
    # have left (19 µs after one load of 50,000 quads, 61 µs after 22, 24 µs compacted: bench/results/scale.txt):
    # so the store is compacted first, and what is inferred is written INFERRED_PER_LOAD at a time rather than
    # a load per chunk (8x: 37.3 s before, 26.5 s).
    store.optimize()
    pending: dict[ox.Triple, None] = {}  # not yet in the store: a later chunk may find the same consequence
    for name in data_graphs:
        for found in _graph_consequences(store, name, entailed, chunk, kept.get(name), runs):
            for t in found:
                if t not in pending and not any(q.graph_name.value in scope
                                                for q in matching(store, t.subject, t.predicate, t.object)):
                    pending[t] = None
            if len(pending) >= INFERRED_PER_LOAD:
                added += _load(store, pending, target, runs)
    return added + _load(store, pending, target, runs)


def axioms_digest(ax: Axioms) -> str:
    """What the axioms are, for a key: a graph's consequences kept under it hold while the axioms do."""
    h = hashlib.sha256()
    for name in ("subclass", "subproperty", "inverse", "domain", "range"):
        h.update(name.encode() + b"\0" + "\0".join(f"{a} {b}" for a, b in sorted(getattr(ax, name))).encode() + b"\0")
    return h.hexdigest()


def _graph_consequences(store: ox.Store, name: str, entailed: "Entailed", chunk: int, kept: Path | None,
                        runs: SortedRuns | None = None):
    """What graph `name` entails, a chunk at a time; from and to the file `kept` where one is given. The graph is
    read from `runs` where they hold what the store was given, else from the store."""
    if kept is not None and kept.is_file():
        try:
            # as triples, as the consequences made below are: ox.parse gives quads of the default graph, which
            # are not equal to the same triples (the same consequence was pending twice)
            yield [q.triple for q in ox.parse(path=str(kept), format=ox.RdfFormat.N_TRIPLES)]
            return
        except (OSError, SyntaxError, ValueError):
            pass  # unreadable (edited or torn by hand): a miss, reasoned on again and written anew, as the cache's pickles are
    found: list[ox.Triple] = []
    quads = (store.quads_for_pattern(None, None, None, ox.NamedNode(name)) if runs is None else
             runs.quads_of(ox.NamedNode(name)))
    while part := list(itertools.islice(quads, chunk)):
        # what the chunk states itself is left out here rather than looked up in the store (a lookup is ~15 µs)
        own = {q.triple for q in part}
        consequences = [t for q in part for t in entailed.of(q) if t not in own]
        if kept is not None:
            found += consequences
        yield consequences
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(kept.name + ".partial")
        ox.serialize(sorted(set(found), key=str), str(partial), format=ox.RdfFormat.N_TRIPLES)
        partial.replace(kept)  # whole or not at all: a build stopped while writing leaves no torn file


# Stand-ins for a triple's subject and object while the rules close it: no rule joins two triples or compares a
# subject with anything, so what the rules entail of (S p O) is what they entail of any (s p o), S and O replaced.
_S = ox.NamedNode("urn:helsegraf:reasoning:subject")
_O = ox.NamedNode("urn:helsegraf:reasoning:object")
_O_LITERAL = ox.Literal("urn:helsegraf:reasoning:object")  # two rules ask whether the object is a literal
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_STATED = ox.NamedNode("urn:helsegraf:reasoning:stated")  # the stand-ins' graph, beside the one inferred into
_SUBJECT, _OBJECT = object(), object()  # where a consequence takes the triple's own subject or object


class Entailed:
    """What one triple entails, closed by the rules once per kind of triple — its predicate and whether its object
    is a literal; for rdf:type, its class — on a triple of stand-ins, then given for every triple of that kind
    with its own subject and object put in. (Closing each chunk of the data in a store of its own took most of
    reasoning's time; a corpus has a few hundred kinds of triple.)"""

    def __init__(self, updates: list[str], target: ox.NamedNode, max_rounds: int):
        self._updates, self._target, self._max_rounds = updates, target, max_rounds
        self._kinds: dict[tuple, list[tuple]] = {}

    def of(self, q: ox.Quad) -> list[ox.Triple]:
        p, o = q.predicate, q.object
        if p == _RDF_TYPE:
            kind, stand_in = (p, o), o
        else:
            literal = isinstance(o, ox.Literal)
            kind, stand_in = (p, literal), _O_LITERAL if literal else _O
        found = self._kinds.get(kind)
        if found is None:
            found = self._kinds[kind] = self._close(p, stand_in)
        s = q.subject
        return [ox.Triple(s if a is _SUBJECT else o if a is _OBJECT else a, b,
                          s if c is _SUBJECT else o if c is _OBJECT else c) for a, b, c in found]

    def _close(self, p: ox.NamedNode, stand_in: ox.Term) -> list[tuple]:
        def slot(term):
            return _SUBJECT if term == _S else _OBJECT if term == stand_in else term

        closed = _consequences([ox.Quad(_S, p, stand_in, _STATED)], self._updates, self._target,
                               self._max_rounds)
        return [(slot(t.subject), t.predicate, slot(t.object)) for t in sorted(closed, key=str)]


def _load(store: ox.Store, pending: dict[ox.Triple, None], target: ox.NamedNode, runs: SortedRuns | None) -> int:
    """Write the pending consequences into the inferred graph, straight to the store's files (a transaction would
    hold them in memory), and forget them."""
    disk_store.add_quads(store, [ox.Quad(t.subject, t.predicate, t.object, target) for t in pending],
                         len(pending) or 1, runs)
    n = len(pending)
    pending.clear()
    return n


def _consequences(quads: list[ox.Quad], updates: list[str], target: ox.NamedNode, max_rounds: int) -> list[ox.Triple]:
    """What the rules derive from `quads` alone, to a fixpoint."""
    scope = ox.Store()
    scope.extend(quads)
    previous = -1
    for _ in range(max_rounds):
        for update in updates:
            scope.update(update)
        count = len(list(scope.quads_for_pattern(None, None, None, target)))
        if count == previous:
            break
        previous = count
    return [q.triple for q in scope.quads_for_pattern(None, None, None, target)]
