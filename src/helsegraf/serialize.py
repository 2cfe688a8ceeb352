"""Deterministic dumps: N-Quads sorted line by line, Turtle of the union with sorted subjects."""

from __future__ import annotations

import gzip
import shutil
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .rdf.namespaces import PREFIXES


def write_sorted_nquads(store: ox.Store, path: Path) -> None:
    """The store's quads as N-Quads, one line each, sorted. Sorted as bytes: UTF-8 keeps the order of code points,
    so this is the text's order without a decoded copy of the whole dump."""
    lines = sorted(set(store.dump(format=ox.RdfFormat.N_QUADS).split(b"\n")) - {b""})
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        for line in lines:
            f.write(line + b"\n")


def union_triples(store: ox.Store) -> list[ox.Triple]:
    """Every triple of every graph, once, sorted."""
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in store},
                  key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def turtle(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def graph_turtle(graph) -> bytes:
    """An rdflib graph as Turtle with sorted subjects, like every other file the build writes."""
    return turtle(sorted(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES), key=str))


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@contextmanager
def gzipped(path: Path):
    """A gzip file to write, with neither a name nor a timestamp in its header: the same bytes on every build."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        yield out


def gzip_file(src: Path, dst: Path) -> None:
    with open(src, "rb") as f, gzipped(dst) as out:
        shutil.copyfileobj(f, out, 1 << 20)
