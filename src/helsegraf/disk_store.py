"""Filling the store on disk that the build assembles the graph in, the endpoint serves and the site is rendered
from: N-Triples (a document's graph) or rdflib triples (what is made over the whole corpus) into a named graph,
a chunk at a time.

Oxigraph's bulk loader holds the quads of one call in memory: one call for the whole graph added 439 MiB at 4× the
corpus; calls of CHUNK quads add 65 MiB, in the same time. Many calls leave many small files, so the build compacts
the store at the end (`Store.optimize`: reads are then as fast as after one call). Data is parsed with `ox.parse`,
which keeps blank node labels (`Store.load` and `bulk_load` rename them at random): the store's blank nodes, and so
the dumps', are the same build after build.
"""

from __future__ import annotations

import functools
import itertools
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .serialize import SortedRuns

CHUNK = 50_000


def matching(store: ox.Store, s=None, p=None, o=None, g=None) -> Iterator[ox.Quad]:
    """`store.quads_for_pattern`, keeping only the quads that match the pattern: the store on disk of pyoxigraph
    0.5.13 also returns quads of a neighbouring key when a bound term is a number whose encoding ends in the byte
    0xFF (asked for the xsd:integer 5375 it gives 5377; its SPARQL is right). tests/test_disk_store.py holds the
    case, so an upgrade that fixes it shows."""
    for q in store.quads_for_pattern(s, p, o, g):
        if ((s is None or q.subject == s) and (p is None or q.predicate == p) and (o is None or q.object == o)
                and (g is None or q.graph_name == g)):
            yield q


def add_quads(store: ox.Store, quads: Iterable[ox.Quad], chunk: int = CHUNK, runs: SortedRuns | None = None) -> None:
    """`quads` into the store, and into `runs` (where the build keeps what it loads for its sorted dump)."""
    quads = iter(quads)
    while part := list(itertools.islice(quads, chunk)):
        store.bulk_extend(part)
        if runs is not None:
            runs.add(part)


def add_ntriples(store: ox.Store, data: bytes, graph: str, chunk: int = CHUNK, runs: SortedRuns | None = None) -> None:
    name = ox.NamedNode(graph)
    add_quads(store, (ox.Quad(t.subject, t.predicate, t.object, name)
                      for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)), chunk, runs)


def add_triples(store: ox.Store, triples: Iterable, graph: str, chunk: int = CHUNK,
                runs: SortedRuns | None = None) -> None:
    """rdflib triples into `graph`, each term made the Oxigraph term its N-Triples would parse to (the store
    reads what rdflib would write; going through rdflib's own graph and serializer took 2 s of a 4x rebuild)."""
    name = ox.NamedNode(graph)
    add_quads(store, (ox.Quad(ox_term(s), ox_term(p), ox_term(o), name) for s, p, o in triples), chunk, runs)


@functools.lru_cache(maxsize=65_536)  # IRIs repeat (predicates, classes, the method): one Oxigraph term each
def _named(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def ox_term(t) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(t, URIRef):
        return _named(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype is not None:
            return ox.Literal(str(t), datatype=_named(str(t.datatype)))
        return ox.Literal(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    raise TypeError(f"not an RDF term: {t!r}")
