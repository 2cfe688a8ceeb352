"""The counts the dataset's VoID description states, read from the sorted N-Quads dump in one pass instead of asked of
the store: SPARQL's COUNT(DISTINCT …) holds every distinct triple, subject and object in memory at once, which at
64× the corpus is gigabytes. In the sorted dump a triple's quads and a subject's triples are neighbours, so they
are counted as they go by; only the objects need a second sort (serialize.sort_lines, on disk).

The description counts itself (its own graph is part of the dataset it describes), so the counts of everything
else are taken once and those of the description's graph added to them round by round (`with_graph`), looking up
in the store whether each of its triples, subjects and objects is new.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from .. import serialize
from ..disk_store import matching

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Statistics:
    triples: int = 0  # distinct triples of the union of the graphs
    entities: int = 0  # distinct IRI subjects
    subjects: int = 0  # distinct subjects
    objects: int = 0  # distinct objects
    properties: dict[str, int] = field(default_factory=dict)  # predicate -> quads using it (as SPARQL's COUNT(*))
    classes: dict[str, int] = field(default_factory=dict)  # class -> distinct subjects typed with it
    graphs: dict[str, int] = field(default_factory=dict)  # named graph -> its quads

    @classmethod
    def of_sorted_nquads(cls, path: Path) -> Statistics:
        """The counts of a sorted, duplicate-free N-Quads dump (serialize.write_sorted_nquads). Its lines are cut
        into their terms as bytes (`_terms`), not parsed: at 16x the corpus, parsing every quad into Python took
        7.4 s of a rebuild."""
        graphs: Counter = Counter()
        properties: Counter = Counter()
        classes: Counter = Counter()
        triples = entities = subjects = 0
        last_triple = last_subject = None
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".objects-") as scratch:
            objects_file = Path(scratch) / "objects"
            with open(objects_file, "wb") as objects, open(path, "rb") as lines:
                for line in lines:
                    subject, predicate, obj, graph = _terms(line)
                    if graph is not None:
                        graphs[graph] += 1
                    properties[predicate] += 1
                    triple = (subject, predicate, obj)
                    if triple == last_triple:
                        continue
                    last_triple = triple
                    triples += 1
                    objects.write(obj + b"\n")
                    if subject != last_subject:
                        last_subject = subject
                        subjects += 1
                        entities += subject.startswith(b"<")
                    if predicate == _TYPE:
                        classes[obj] += 1
            distinct = Path(scratch) / "distinct"
            serialize.sort_lines(objects_file, distinct, Path(scratch))
            with open(distinct, "rb") as f:
                n_objects = sum(1 for _ in f)
        return cls(triples, entities, subjects, n_objects, _iris(properties), _iris(classes), _iris(graphs))

    @classmethod
    def of_store(cls, store: ox.Store, without: str) -> Statistics:
        """The counts of every graph of `store` but `without`, through a sorted dump in a temporary folder."""
        with tempfile.TemporaryDirectory(prefix="helsegraf-statistics-") as scratch:
            raw, nq = Path(scratch) / "raw.nq", Path(scratch) / "sorted.nq"
            with open(raw, "wb") as f:
                rest = (q for q in store if q.graph_name != ox.NamedNode(without))
                ox.serialize(rest, f, format=ox.RdfFormat.N_QUADS)
            serialize.sort_lines(raw, nq, Path(scratch))
            return cls.of_sorted_nquads(nq)

    def with_graph(self, store: ox.Store, name: str, quads: list[ox.Quad] | None = None,
                   seen: dict | None = None) -> Statistics:
        """These counts (of every graph but `name`) with those of graph `name` of the store added: what is in
        `name` and in no other graph is new. `quads`: the graph's quads, where the store holds none of graph `name`
        yet; `seen`: what earlier calls over the same other graphs found in them, kept and reused (describe_into
        counts its graph round by round)."""
        graph = ox.NamedNode(name)
        quads = list(store.quads_for_pattern(None, None, None, graph)) if quads is None else quads
        if not quads:
            return self
        seen = {} if seen is None else seen

        def elsewhere(s, p, o) -> bool:
            key = (s, p, o)
            if key not in seen:
                seen[key] = any(q.graph_name != graph for q in matching(store, s, p, o))
            return seen[key]

        properties, classes = Counter(self.properties), Counter(self.classes)
        triples = 0
        for q in quads:
            properties[q.predicate.value] += 1
            if not elsewhere(q.subject, q.predicate, q.object):
                triples += 1
                if q.predicate == RDF_TYPE:
                    classes[q.object.value] += 1
        # each distinct term asked about once: asked per quad, a subject with n quads here and nowhere else cost
        # n² reads (2 s of a one-document build)
        subjects = {s for s in {q.subject for q in quads} if not elsewhere(s, None, None)}
        objects = {o for o in {q.object for q in quads} if not elsewhere(None, None, o)}
        return replace(self, triples=self.triples + triples, subjects=self.subjects + len(subjects),
                       entities=self.entities + sum(isinstance(s, ox.NamedNode) for s in subjects),
                       objects=self.objects + len(objects), properties=dict(properties), classes=dict(classes),
                       graphs={**self.graphs, name: len(quads)})


_TYPE = f"<{RDF_TYPE.value}>".encode()


def _iris(counts: Counter) -> dict[str, int]:
    """Counts keyed by terms as N-Triples bytes, keyed by their values (an IRI's, or whatever a class is)."""
    return {_value(k): n for k, n in counts.items()}


def _value(term: bytes) -> str:
    if term.startswith(b"<"):
        return term[1:-1].decode("utf-8")
    return next(iter(ox.parse(b"<urn:s> <urn:p> " + term + b" .\n", format=ox.RdfFormat.N_TRIPLES))).object.value


def _terms(line: bytes) -> tuple[bytes, bytes, bytes, bytes | None]:
    """A dump's line as its terms' N-Triples text (None for the default graph). Cut as bytes where the line is a
    quad of a named graph, as every line of a build's dump is: neither a subject, a predicate nor a graph name holds
    a space, and a graph name holds no quote, so the graph is the last term and the object what is between. Any
    other line (a triple of the default graph) is parsed."""
    cut = line.split(b" ", 2)
    if len(cut) == 3:
        subject, predicate, rest = cut
        head, _, graph = rest[:-3].rpartition(b" ")  # rest ends with b" .\n"
        if head and graph[:1] == b"<" and graph[-1:] == b">" and b'"' not in graph and rest.endswith(b" .\n"):
            return subject, predicate, head, graph
    # parsed, which says what is wrong with a line that is no quad
    q = next(iter(ox.parse(line, format=ox.RdfFormat.N_QUADS)))
    graph_name = None if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name).encode("utf-8")
    return (str(q.subject).encode("utf-8"), str(q.predicate).encode("utf-8"), str(q.object).encode("utf-8"),
            graph_name)
