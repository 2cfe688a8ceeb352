"""Deterministic dumps: N-Quads sorted line by line (an external sort: a run of lines at a time in memory), the
union of the graphs as a stream of sorted triples read back from it, and gzip files without a time."""

from __future__ import annotations

import functools
import gzip
import hashlib
import heapq
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

import pyoxigraph as ox

from .rdf.namespaces import PREFIXES

RUN_BYTES = 64 << 20  # the lines sorted in memory at once; a larger dump is sorted in runs and merged


def write_sorted_nquads(store: ox.Store, path: Path, run_bytes: int = RUN_BYTES) -> None:
    """The store's quads as N-Quads, one line each, sorted, each line once. Sorted as bytes: UTF-8 keeps the order
    of code points, so this is the text's order without a decoded copy of the dump. The store writes its dump to a
    file beside `path`, which is sorted from there in runs of `run_bytes`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".sort-") as scratch:
        raw = Path(scratch) / "unsorted.nq"
        store.dump(str(raw), format=ox.RdfFormat.N_QUADS)
        sort_lines(raw, path, Path(scratch), run_bytes)


MERGED_AT_ONCE = 256  # the most runs merged at once: each is an open file


class SortedRuns:
    """The quads the build gives the store, kept as they go in: each load's quads as N-Quads lines, sorted, in a run
    file of its own. Their merge (`merge_into`) is the store's sorted dump, made without reading the store back,
    whose reads decode every term: at 16x the corpus, 2 million quads took 10 s to dump from the store and 7 s to
    sort, against 1.6 s to serialize as they were loaded and under a second each to sort the runs and merge them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.runs: list[Path] = []
        self._graph_of: list[ox.NamedNode | ox.DefaultGraph | None] = []  # each run's one graph (None: several)
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)
        graphs = {q.graph_name for q in quads}
        data = ox.serialize(map(_as_stored, quads), format=ox.RdfFormat.N_QUADS)
        # split at b"\n" only: a literal may hold U+2028 (and N-Quads escapes a line feed or return in a literal)
        lines = sorted(set(data.split(b"\n")) - {b""})
        if lines:
            run = self.folder / f"run-{len(self.runs)}"
            run.write_bytes(b"\n".join(lines) + b"\n")
            self.runs.append(run)
            self._graph_of.append(graphs.pop() if len(graphs) == 1 else None)

    def quads_of(self, graph: ox.NamedNode) -> Iterator[ox.Quad]:
        """The quads given for `graph`, as the store holds them, run by run: read from the runs rather than the
        store (at 16x the corpus, the graphs reasoning reads whole took 4.5 s from the store)."""
        for run, of in zip(self.runs, self._graph_of):
            if of is None or of == graph:
                yield from (q for q in ox.parse(path=str(run), format=ox.RdfFormat.N_QUADS) if q.graph_name == graph)

    def merge_into(self, path: Path, at_once: int = MERGED_AT_ONCE) -> int:
        """Every run merged, each line once, to `path`; the runs are deleted. Returns how many lines it holds.
        More than `at_once` runs are merged in rounds, so as many files are open at most."""
        runs, level = self.runs, 0
        while len(runs) > at_once:
            level += 1
            merged = []
            for i in range(0, len(runs), at_once):
                merged.append(self.folder / f"merged-{level}-{len(merged)}")
                _merge(runs[i:i + at_once], merged[-1])
            runs = merged
        n = _merge(runs, path)
        self.runs, self._graph_of = [], []
        return n


# A typed literal's text is what a store gives back, not what it was given: the store keeps a value of a type it
# knows in its own form, in which xsd:decimal "1.0" is "1" and xsd:int "+5" is xsd:integer "5".
_PLAIN = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_SCRATCH_TERM = ox.NamedNode("urn:helsegraf:serialize:scratch")


def _as_stored(q: ox.Quad) -> ox.Quad:
    o = q.object
    if isinstance(o, ox.Literal) and o.datatype.value not in _PLAIN:
        stored = _stored_literal(o.value, o.datatype.value)
        if stored != o:
            return ox.Quad(q.subject, q.predicate, stored, q.graph_name)
    return q


@functools.lru_cache(maxsize=65_536)  # a corpus's typed values repeat: positions, lines, dates, scores
def _stored_literal(value: str, datatype: str) -> ox.Literal:
    """The literal as a store gives it back, asked of a store in memory (Oxigraph's rules, not a copy of them)."""
    scratch = ox.Store()
    scratch.add(ox.Quad(_SCRATCH_TERM, _SCRATCH_TERM, ox.Literal(value, datatype=ox.NamedNode(datatype))))
    [q] = scratch
    return q.object


def _merge(runs: list[Path], dst: Path) -> int:
    """The sorted files `runs` merged, each line once, into `dst` (the runs deleted); the count of its lines."""
    files = [open(r, "rb") for r in runs]
    n = 0
    try:
        with open(dst, "wb") as out:
            for line in _unique(heapq.merge(*files)):
                out.write(line)
                n += 1
    finally:
        for f in files:
            f.close()
        for r in runs:
            r.unlink()
    return n


def changed_lines(old: Path, new: Path) -> Iterator[bytes]:
    """The lines one of two sorted dumps (each line once) holds and the other does not, in order."""
    with open(old, "rb") as a, open(new, "rb") as b:
        x, y = next(a, b""), next(b, b"")
        while x and y:
            if x == y:
                x, y = next(a, b""), next(b, b"")
            elif x < y:
                yield x
                x = next(a, b"")
            else:
                yield y
                y = next(b, b"")
        while x:
            yield x
            x = next(a, b"")
        while y:
            yield y
            y = next(b, b"")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def add_graph(sorted_nquads: Path, store: ox.Store, graph: str, path: Path) -> None:
    """A sorted dump (`sorted_nquads`, without `graph`) with the store's graph `graph` merged in, to `path`."""
    lines = ox.serialize(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)), format=ox.RdfFormat.N_QUADS)
    with open(sorted_nquads, "rb") as f, open(path, "wb") as out:
        out.writelines(_unique(heapq.merge(f, sorted(line + b"\n" for line in set(lines.split(b"\n")) - {b""}))))


def sort_lines(src: Path, dst: Path, scratch: Path, run_bytes: int = RUN_BYTES) -> None:
    """The lines of `src`, sorted as bytes and each once, to `dst`. Split at b"\\n" only: a literal may hold
    U+2028, which text splitting would break a line at."""
    runs: list[Path] = []
    with open(src, "rb") as f:
        while True:
            lines = f.readlines(run_bytes)
            if not lines:
                break
            if not lines[-1].endswith(b"\n"):
                lines[-1] += b"\n"
            run = scratch / f"run-{len(runs)}"
            with open(run, "wb") as out:
                out.writelines(_unique(sorted(lines)))
            runs.append(run)
    files = [open(r, "rb") for r in runs]
    try:
        with open(dst, "wb") as out:
            out.writelines(line for line in _unique(heapq.merge(*files)) if line != b"\n")
    finally:
        for f in files:
            f.close()
        for r in runs:
            r.unlink()


def _unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
        previous = line


def union_triples(sorted_nquads: Path) -> Iterator[ox.Triple]:
    """Every triple of every graph, once, in order (subject, predicate, object as N-Triples text), read from a
    sorted N-Quads dump. A line's bytes order it as its terms do one after the other: no term's text is a prefix of
    another's but for a literal's language tag or datatype (`"a"` before `"a"@nb`), and the space after a term
    sorts before either. So the quads of one triple are neighbours."""
    previous = None
    for q in ox.parse(path=str(sorted_nquads), format=ox.RdfFormat.N_QUADS):
        t = q.triple
        if t != previous:
            yield t
        previous = t


def turtle(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def write_turtle(triples: Iterable[ox.Triple], out: IO[bytes]) -> None:
    ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def graph_turtle(graph) -> bytes:
    """An rdflib graph as Turtle with sorted subjects, like every other file the build writes."""
    return turtle(sorted(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES), key=str))


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@contextmanager
def gzipped(path: Path):
    """A gzip file to write, with neither a name nor a timestamp in its header: the same bytes on every build.
    Level 6 rather than gzip's 9: on the corpus's N-Quads 3.2x faster for a file 5 % larger."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as out:
        yield out


def gzip_file(src: Path, dst: Path) -> None:
    with open(src, "rb") as f, gzipped(dst) as out:
        shutil.copyfileobj(f, out, 1 << 20)
