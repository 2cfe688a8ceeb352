"""SHACL validation of the built graph with pyshacl, and a report a person can read."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from . import serialize
from .disk_store import matching

SH = Namespace("http://www.w3.org/ns/shacl#")


def check(data: Graph, shapes_path: Path, ontology: Graph | None = None) -> tuple[bool, str, int]:
    """(conforms, readable report, number of violations)."""
    shapes = Graph().parse(shapes_path, format="turtle")
    conforms, report, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                   advanced=False, allow_warnings=True)
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    violations = [r for r in results if report.value(r, SH.resultSeverity) == SH.Violation]
    lines = [_line(report, r) for r in sorted(violations, key=lambda r: (str(report.value(r, SH.focusNode)),
                                                                       str(report.value(r, SH.resultPath))))]
    return conforms, _readable(lines), len(violations)


def _line(report: Graph, result) -> str:
    return (f"- {report.value(result, SH.focusNode)}\n    path: {report.value(result, SH.resultPath)}\n"
            f"    {report.value(result, SH.resultMessage)}")


def _readable(lines: list[str], most: int = 50) -> str:
    return "\n".join(lines[:most] + ([f"... and {len(lines) - most} more"] if len(lines) > most else []))


# -- validation in parts, so that rdflib never holds the whole graph -------------------------------------------------
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
TYPES_KEPT = 100_000  # the nodes whose types a worker keeps across parts (_PartJudge._types)
PART_TRIPLES = 40_000  # the triples of the subjects validated at once (their neighbours' types come on top)
# Up to this many triples the graph is validated whole. On the corpus graph (171,230 triples) parts take 1.2x the
# time (10.4 s against 8.7 s) for half the memory (266 against 521 MiB); the seed corpus and the test builds stay
# whole, a corpus that would make rdflib's copy the build's peak goes in parts (bench/validation_parts.py).
WHOLE_UP_TO = 250_000


@dataclass(frozen=True)
class Since:
    """What lets a rebuild judge only what changed since the last good build: its sorted dump (`previous`), the
    record of that dump's validation (`record`, in the build cache: the shapes' fingerprint and the dump's
    sha256, written when a graph conforms) and this build's sorted dump (`dump`)."""
    previous: Path
    record: Path
    dump: Path


def check_store(triples: Iterable[ox.Triple], store: ox.Store, shapes_path: Path,
                part_triples: int = PART_TRIPLES, store_path: Path | None = None,
                jobs: int = 1, verdicts: Path | None = None, since: Since | None = None) -> tuple[bool, str, int]:
    """`check` over the union of the store's graphs, given also as its triples sorted by subject
    (serialize.union_triples): whole when it is small, else in parts (on `jobs` processes, each opening the store
    at `store_path` read-only). With `verdicts` (a file the previous build left), always in parts, and a subject
    whose data is what it was when it last conformed is not judged again (check_in_parts). With `since`, where
    the record shows the previous dump conformed to these shapes, only the subjects a change between the two dumps
    can touch are judged (check_changed), and a graph that conforms is recorded for the next build."""
    if since is not None:
        verdict = check_changed(since, store, shapes_path, part_triples, store_path, jobs)
        if verdict is not None:
            return verdict
    verdict = _check_all(triples, store, shapes_path, part_triples, store_path, jobs, verdicts)
    if since is not None and verdict[0]:
        _record(since, _PartJudge(Graph().parse(shapes_path, format="turtle"), store, text=shapes_path.read_bytes()))
    return verdict


def _check_all(triples: Iterable[ox.Triple], store: ox.Store, shapes_path: Path, part_triples: int,
               store_path: Path | None, jobs: int, verdicts: Path | None) -> tuple[bool, str, int]:
    triples = iter(triples)
    head = list(itertools.islice(triples, WHOLE_UP_TO + 1))
    if len(head) > WHOLE_UP_TO or verdicts is not None:
        return check_in_parts(itertools.chain(head, triples), store, shapes_path, part_triples, store_path, jobs,
                              verdicts)
    return check(rdflib_graph(head), shapes_path)


def check_changed(since: Since, store: ox.Store, shapes_path: Path, part_triples: int = PART_TRIPLES,
                  store_path: Path | None = None, jobs: int = 1) -> tuple[bool, str, int] | None:
    """The verdict on the graph in the store judging only the subjects whose data (their unit: _PartJudge.unit)
    a line that differs between the previous dump and this one can touch, the rest having conformed in the previous
    build to the same shapes; None where that cannot be told (no record, another dump or other shapes than it
    names, or a blank node on the way: _PartJudge.affected), and everything is to be judged."""
    judge = _PartJudge(Graph().parse(shapes_path, format="turtle"), store, text=shapes_path.read_bytes())
    try:
        record = json.loads(since.record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (not isinstance(record, dict) or record.get("shapes") != judge.fingerprint.hex()
            or not since.previous.is_file() or record.get("dump") != serialize.file_sha256(since.previous)):
        return None
    affected = judge.affected(_parsed(serialize.changed_lines(since.previous, since.dump)), store)
    if affected is None:
        return None
    verdict = check_in_parts(_triples_of(store, affected), store, shapes_path, part_triples, store_path, jobs)
    if verdict[0]:
        _record(since, judge)
    return verdict


def _parsed(lines: Iterable[bytes], chunk: int = 50_000) -> Iterator[ox.Quad]:
    """N-Quads lines parsed a chunk at a time: however much changed, only a chunk is held."""
    lines = iter(lines)
    while part := list(itertools.islice(lines, chunk)):
        yield from ox.parse(b"".join(part), format=ox.RdfFormat.N_QUADS)


def _record(since: Since, judge: "_PartJudge") -> None:
    since.record.parent.mkdir(parents=True, exist_ok=True)
    tmp = since.record.with_name(f".{since.record.name}.tmp")
    tmp.write_text(json.dumps({"shapes": judge.fingerprint.hex(), "dump": serialize.file_sha256(since.dump)}) + "\n",
                   encoding="utf-8")
    tmp.replace(since.record)


def _triples_of(store: ox.Store, subjects: set[ox.NamedNode]) -> Iterator[ox.Triple]:
    """The subjects' triples (the union of the graphs), a subject after another in order, as check_in_parts takes
    them."""
    for s in sorted(subjects, key=str):
        yield from sorted({q.triple for q in matching(store, s)}, key=str)


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """The triples in an rdflib graph, which pySHACL reads: each term made directly, an IRI once. Written out as
    N-Triples and parsed by rdflib instead, the corpus's 171,230 triples took 4.6 s against 2.5 s."""
    iris: dict[str, URIRef] = {}

    def term(t):
        if isinstance(t, ox.NamedNode):
            iri = iris.get(t.value)
            if iri is None:
                iri = iris[t.value] = URIRef(t.value)
            return iri
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        datatype = t.datatype.value
        return Literal(t.value) if datatype == XSD_STRING else Literal(t.value, datatype=term(t.datatype))

    g = Graph()
    g.addN((term(t.subject), term(t.predicate), term(t.object), g) for t in triples)
    return g


def check_in_parts(triples: Iterable[ox.Triple], store: ox.Store, shapes_path: Path,
                   part_triples: int = PART_TRIPLES, store_path: Path | None = None,
                   jobs: int = 1, verdicts: Path | None = None) -> tuple[bool, str, int]:
    """The same verdict as `check` over the whole graph, with rdflib holding one part at a time and nothing held
    whole: `triples` is the union of the store's graphs sorted by subject (a stream), and the store answers for
    the nodes a part points to. Parts are independent: with `jobs` > 1 and the store's path, forked processes
    judge them, a few parts ahead of them at a time (the verdict is the same, the violations merged and sorted).

    The subjects are taken in order, a part at a time. A part's graph holds its subjects' triples (blank nodes
    whole with whoever points to them) and the types of every node they point to (what sh:class asks of a value).
    A violation counts where its focus is one of the part's subjects, with one exception: a node some shape
    targets as the object of a property (sh:targetObjectsOf) is validated against that shape in the part of a
    subject that points to it with that property, with the properties that shape reads. The shapes use no property
    paths longer than one step, no sh:node and no SPARQL; tests/test_validation.py holds this to the whole-graph
    verdict. Neighbours never come whole: an entity named from every part (and holding an inferred hg:mentionedIn
    for each mention) would come into each, and the parts would grow with the corpus (bench/results/scale.txt
    measured that).

    What a subject's verdict depends on is its unit: the data its part holds for it (its triples, its blank nodes,
    the targeted objects' triples, its neighbours' types) and the shapes. With `verdicts`, the keys (hashes) of the
    units that conformed are read from that file before and written to it after: a unit whose key is there is not
    judged again, so a rebuild runs pySHACL over what changed only. Only conforming units are kept, and only from a
    part whose judged units all conformed, so a violation is always found anew."""
    judge = _PartJudge(Graph().parse(shapes_path, format="turtle"), store, _read_verdicts(verdicts),
                       shapes_path.read_bytes())
    found: dict[tuple, str] = {}
    conformed: set[bytes] = set()
    if jobs > 1 and store_path is not None and "fork" in multiprocessing.get_all_start_methods():
        judged = _in_workers(judge, _parts(triples, part_triples), store_path, jobs)
    else:
        judged = (judge.violations(part, store) for part in _parts(triples, part_triples))
    for v, keys in judged:
        found.update(v)
        conformed.update(keys)
    lines = [found[k] for k in sorted(found)]
    if verdicts is not None:
        _write_verdicts(verdicts, conformed)
    return not lines, _readable(lines), len(lines)


_KEY_BYTES = 16


def _read_verdicts(path: Path | None) -> frozenset[bytes]:
    """The keys of the units that conformed when last judged; a missing or torn file is no keys (all judged)."""
    try:
        data = path.read_bytes() if path is not None else b""
    except OSError:
        return frozenset()
    if len(data) % _KEY_BYTES:
        return frozenset()
    return frozenset(data[i:i + _KEY_BYTES] for i in range(0, len(data), _KEY_BYTES))


def _write_verdicts(path: Path, keys: set[bytes]) -> None:
    """This build's conforming units only, so the file is the size of the graph, not of its history."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(b"".join(sorted(keys)))
    tmp.replace(path)


Part = list[tuple[ox.NamedNode, list[ox.Triple]]]


class _PartJudge:
    """The shapes, prepared once, and what one part of the graph breaks of them."""

    def __init__(self, shapes: Graph, store: ox.Store, known: frozenset[bytes] = frozenset(), text: bytes = b""):
        self.known = known  # the keys of units that conformed before (check_in_parts)
        object_shapes = set(shapes.subjects(SH.targetObjectsOf, None))
        self.object_targets = {str(o) for s in object_shapes for o in shapes.objects(s, SH.targetObjectsOf)}
        their_properties = {ps for s in object_shapes for ps in shapes.objects(s, SH.property)}
        self.read = {str(path) for ps in their_properties for path in shapes.objects(ps, SH.path)} | {RDF_TYPE}
        self.sources = {s.n3() for s in object_shapes | their_properties}  # the shapes a targeted object answers to
        # A neighbour's types are in the part (for sh:class on values), so a class-targeted shape would take it as
        # a focus node too and report all it lacks there, tens of thousands of results thrown away per part. So
        # each part's shapes target its own subjects by name (sh:targetNode) instead of by class.
        self.kinds = _kinds(store, {str(c) for c in shapes.objects(None, SH.targetClass)})
        self.class_shapes = [(shape, str(c)) for shape, c in shapes.subject_objects(SH.targetClass)]
        self.base_shapes = Graph()
        for t in shapes:
            if t[1] != SH.targetClass:
                self.base_shapes.add(t)
        # what every unit's verdict depends on besides its data: the shapes (as written: parsed, their blank nodes
        # differ from run to run), and the classes each targets
        h = hashlib.sha256(text)
        for c, k in sorted(self.kinds.items()):
            h.update(f"\n{c} {' '.join(sorted(k))}".encode())
        self.fingerprint = h.digest()
        self._types_store: ox.Store | None = None
        self._types_of: dict = {}

    def _types(self, store: ox.Store) -> dict:
        """The types the store gave of nodes, kept from part to part while it is the same (read-only) store: the
        actors, documents and classes every part points to are read once, not once a part (a one-document rebuild
        at 16x: validation 19.3-19.9 -> 17.9-18.7 s). Emptied when it has held TYPES_KEPT nodes, so a worker's
        memory stays bounded however large the graph; a node's other triples, which can be many (an entity's
        mentions), are kept for one part only."""
        if self._types_store is not store or len(self._types_of) >= TYPES_KEPT:
            self._types_store, self._types_of = store, {}
        return self._types_of

    def unit(self, s: ox.NamedNode, ts: list[ox.Triple], store: ox.Store, memo: dict,
             known_types: dict) -> list[ox.Triple]:
        """The data a part holds for subject `s`: its triples (blank nodes whole with it), the triples of the
        objects some shape targets that a targeted object's shape reads, and the types of every node they point to
        (what sh:class asks of a value). `memo` keeps what the store said for the part's other subjects: they
        share most of their neighbours; `known_types`, the types it gave of nodes, for longer (_types)."""
        rdf_type = ox.NamedNode(RDF_TYPE)

        def about(node) -> list[ox.Triple]:
            if node not in memo:
                memo[node] = sorted({q.triple for q in matching(store, node)}, key=str)
            return memo[node]

        def types(node) -> list[ox.Triple]:
            if node not in known_types:
                known_types[node] = sorted({q.triple for q in matching(store, node, rdf_type)}, key=str)
            return known_types[node]

        def closure(node, into: list, seen: set, only: set[str] | None = None, triples: list | None = None) -> None:
            """A node's triples (or those of the predicates `only` names) and, recursively, those of the blank
            nodes it points to."""
            if node in seen:
                return
            seen.add(node)
            for t in about(node) if triples is None else triples:
                if only is None or t.predicate.value in only:
                    into.append(t)
                    if isinstance(t.object, ox.BlankNode):
                        closure(t.object, into, seen)

        data: list[ox.Triple] = []
        seen: set = set()
        closure(s, data, seen, triples=ts)
        # a targeted object the graph says nothing about is there all the same: all it has (nothing) is in the part
        targets = {t.object for t in ts if t.predicate.value in self.object_targets and isinstance(t.object, ox.NamedNode)}
        for n in sorted(targets - {s}, key=str):
            closure(n, data, seen, self.read)
        for n in sorted({t.object for t in data if isinstance(t.object, (ox.NamedNode, ox.BlankNode))} - seen, key=str):
            if isinstance(n, ox.BlankNode):
                closure(n, data, seen)
            else:
                data += types(n)
        return data

    def affected(self, changed: Iterable[ox.Quad], store: ox.Store) -> set[ox.NamedNode] | None:
        """The subjects whose unit holds a triple of `changed` (quads that differ between two graphs), as the graph
        in `store` (the newer) links them: the subject of each; whoever points to a node whose types changed (its
        neighbours' types are in a unit), and, where that pointer holds the node by a property a targeted object's
        shape reads, whoever targets the pointer; whoever targets a node whose read properties changed. An edge
        that came or went is itself a changed triple, of its subject. None where a blank node is met: its unit is
        its owner's, which this does not look for."""
        targeting = [ox.NamedNode(p) for p in sorted(self.object_targets)]
        out: set[ox.NamedNode] = set()
        typed, read = set(), set()

        def targeted_by(node) -> bool:
            for p in targeting:
                for q in matching(store, None, p, node):
                    if isinstance(q.subject, ox.BlankNode):
                        return False
                    out.add(q.subject)
            return True

        for q in changed:
            u, p = q.subject, q.predicate.value
            if isinstance(u, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                return None
            out.add(u)
            if p in self.read and u not in read:
                read.add(u)
                if not targeted_by(u):
                    return None
            if p == RDF_TYPE and u not in typed:
                typed.add(u)
                for pointer in matching(store, None, None, u):
                    x = pointer.subject
                    if isinstance(x, ox.BlankNode):
                        return None
                    out.add(x)
                    if pointer.predicate.value in self.read and x not in read:
                        read.add(x)
                        if not targeted_by(x):
                            return None
        return out

    def key(self, s: ox.NamedNode, data: list[ox.Triple]) -> bytes:
        h = hashlib.sha256(self.fingerprint)
        h.update(str(s).encode())
        for line in sorted({str(t) for t in data}):
            h.update(b"\n" + line.encode())
        return h.digest()[:_KEY_BYTES]

    def violations(self, part: Part, store: ox.Store) -> tuple[dict[tuple, str], set[bytes]]:
        """What the part's subjects break, and the keys of its units known to conform: those judged conforming
        before, and the part's others if none of them breaks anything."""
        rdf_type = ox.NamedNode(RDF_TYPE)
        todo, keys, known, memo = [], [], set(), {}
        types = self._types(store)
        for s, ts in part:
            data = self.unit(s, ts, store, memo, types)
            k = self.key(s, data)
            if k in self.known:
                known.add(k)
            else:
                todo.append((s, ts, data))
                keys.append(k)
        if not todo:
            return {}, known
        own = {s for s, _, _ in todo}
        targets = {t.object for _, ts, _ in todo for t in ts
                   if t.predicate.value in self.object_targets and isinstance(t.object, ox.NamedNode)} - own
        data = list(dict.fromkeys(t for _, _, d in todo for t in d))
        g = rdflib_graph(data)
        part_shapes = Graph()
        part_shapes += self.base_shapes
        types = {s.value: {t.object.value for t in ts if t.predicate == rdf_type} for s, ts, _ in todo}
        for shape, cls in self.class_shapes:
            for n in sorted(n for n, ts in types.items() if ts & self.kinds[cls]):
                part_shapes.add((shape, SH.targetNode, URIRef(n)))
        own_n3 = {str(s) for s in own}
        targets_n3 = {str(n) for n in targets}
        _, report, _ = validate(g, shacl_graph=part_shapes, inference="none", advanced=False, allow_warnings=True)
        found: dict[tuple, str] = {}
        for r in report.subjects(RDF.type, SH.ValidationResult):
            if report.value(r, SH.resultSeverity) != SH.Violation:
                continue
            focus = report.value(r, SH.focusNode).n3()
            if not (focus.startswith("_:") or focus in own_n3 or
                    focus in targets_n3 and report.value(r, SH.sourceShape).n3() in self.sources):
                continue  # a neighbour, or a targeted object against a shape the part cannot judge it by
            key = tuple(str(report.value(r, p)) for p in (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent,
                                                          SH.resultMessage))
            found[key] = _line(report, r)
        return found, known if found else known | set(keys)


# -- the parts on several processes: forked, so each has the prepared shapes; a part travels as N-Triples ----------
_WORKER: tuple[_PartJudge, str] | None = None
_WORKER_STORE: ox.Store | None = None


def _judge_part(data: bytes) -> tuple[dict[tuple, str], set[bytes]]:
    global _WORKER_STORE
    judge, path = _WORKER
    if _WORKER_STORE is None:  # the parent's handle is not used across the fork: each worker opens its own
        _WORKER_STORE = ox.Store.read_only(path)
    part = [(s, list(ts)) for s, ts in itertools.groupby(ox.parse(data, format=ox.RdfFormat.N_TRIPLES),
                                                            key=lambda t: t.subject)]
    return judge.violations(part, _WORKER_STORE)


def _in_workers(judge: _PartJudge, parts: Iterator[Part], store_path: Path,
                jobs: int) -> Iterator[tuple[dict[tuple, str], set[bytes]]]:
    global _WORKER
    _WORKER = (judge, str(store_path))
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            running: set = set()
            for part in parts:
                if len(running) >= 2 * jobs:  # a few parts ahead, not the whole graph queued
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
                running.add(pool.submit(_judge_part, ox.serialize([t for _, ts in part for t in ts],
                                                                  format=ox.RdfFormat.N_TRIPLES)))
            yield from (f.result() for f in running)
    finally:
        _WORKER = None


def _parts(triples: Iterable[ox.Triple], part_triples: int) -> Iterator[list[tuple[ox.NamedNode, list[ox.Triple]]]]:
    """The named subjects with their triples, in order, in parts of about `part_triples` triples (a subject's
    triples are never split). Blank nodes come with whoever points to them."""
    part, size = [], 0
    for subject, ts in itertools.groupby(triples, key=lambda t: t.subject):
        if isinstance(subject, ox.BlankNode):
            continue
        ts = list(ts)
        part.append((subject, ts))
        size += len(ts)
        if size >= part_triples:
            yield part
            part, size = [], 0
    if part:
        yield part


def _kinds(store: ox.Store, classes: set[str]) -> dict[str, set[str]]:
    """For each class, itself and its subclasses (rdfs:subClassOf in the graph, transitively): the types whose
    instances sh:targetClass finds."""
    below: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(SUBCLASS), None):
        if isinstance(q.object, ox.NamedNode) and isinstance(q.subject, ox.NamedNode):
            below.setdefault(q.object.value, set()).add(q.subject.value)
    out: dict[str, set[str]] = {}
    for cls in classes:
        todo, kinds = [cls], {cls}
        while todo:
            for c in below.get(todo.pop(), ()):
                if c not in kinds:
                    kinds.add(c)
                    todo.append(c)
        out[cls] = kinds
    return out
