"""The store on disk that the endpoint serves and the site is rendered from, loaded from the build's N-Quads dump.

Oxigraph's bulk loader holds the quads of one call in memory: the whole dump in one call added 439 MiB above the
graph at 4× the corpus; calls of CHUNK quads add 65 MiB, in the same time. Many calls leave many small files, so
the store is compacted at the end (reads then are as fast as after one call). The dump is parsed with `ox.parse`,
which keeps blank node labels (`Store.load` and `bulk_load` rename them at random): the store's blank nodes are the
dump's, build after build.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pyoxigraph as ox

CHUNK = 50_000


def load(nquads: Path, path: Path, chunk: int = CHUNK) -> None:
    store = ox.Store(str(path))
    quads = ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    while part := list(itertools.islice(quads, chunk)):
        store.bulk_extend(part)
    store.optimize()
    store.flush()
