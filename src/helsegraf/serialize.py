"""Deterministic dumps: N-Quads sorted line by line, Turtle of the union with sorted subjects."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .rdf.namespaces import PREFIXES


def sorted_nquads(store: ox.Store) -> bytes:
    lines = store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()
    return ("\n".join(sorted(set(lines))) + "\n").encode("utf-8")


def union_triples(store: ox.Store) -> list[ox.Triple]:
    """Every triple of every graph, once, sorted."""
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in store},
                  key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def union_turtle(store: ox.Store) -> bytes:
    return ox.serialize(union_triples(store), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def union_ntriples(store: ox.Store) -> bytes:
    return ox.serialize(union_triples(store), format=ox.RdfFormat.N_TRIPLES)


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
