"""The links of each pair of documents, kept between builds.

With weights fixed in advance (traces.weights) the links between two documents are a function of the two alone, so
a pair's links are kept under a key made of the two documents' own cache keys (document_work.cache_key: the source's
bytes, its manifest entry, the mappings and the code), and a rebuild after one document changed links only the pairs
it is in. One SQLite file holds every pair: written in one transaction per build, so an interrupted build leaves the
previous pairs whole, and a corpus of hundreds of documents (tens of thousands of pairs) is not as many small files.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from pathlib import Path

from .features import ItemFeatures
from .link import Link, Method, by_document, link_pair
from .weights import Weights

FORMAT = "1"  # bump when Link changes shape


def pair_key(earlier: str, later: str) -> str:
    """The key of a pair from its documents' keys, the earlier document's first (the order links read in)."""
    return hashlib.sha256(f"{FORMAT}\0{earlier}\0{later}".encode()).hexdigest()


class PairCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path)
        try:
            self._db.execute("CREATE TABLE IF NOT EXISTS pair (key TEXT PRIMARY KEY, links BLOB NOT NULL)")
        except sqlite3.DatabaseError:  # not a database (a torn or foreign file): start again
            self._db.close()
            path.unlink()
            self._db = sqlite3.connect(path)
            self._db.execute("CREATE TABLE pair (key TEXT PRIMARY KEY, links BLOB NOT NULL)")
        self._db.commit()
        self._fresh: dict[str, bytes] = {}

    def get(self, key: str) -> list[Link] | None:
        row = self._db.execute("SELECT links FROM pair WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            links = pickle.loads(row[0])
        except (pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            return None
        return links if isinstance(links, list) and all(isinstance(l, Link) for l in links) else None

    def put(self, key: str, links: list[Link]) -> None:
        """Kept until `commit`: the pairs of a build go in together."""
        self._fresh[key] = pickle.dumps(links, protocol=pickle.HIGHEST_PROTOCOL)

    def commit(self, keep: set[str]) -> None:
        """Write the new pairs and forget those no longer in the corpus (`keep`: every pair key of this build), so the
        file does not outgrow the corpus."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO pair VALUES (?, ?)", sorted(self._fresh.items()))
            stale = [(k,) for (k,) in self._db.execute("SELECT key FROM pair") if k not in keep]
            self._db.executemany("DELETE FROM pair WHERE key = ?", stale)
        self._fresh.clear()

    def close(self) -> None:
        self._db.close()


def link_corpus(items: list[ItemFeatures], w: Weights, method: Method, order: dict[str, int],
                keys: dict[str, str] | None = None, cache: PairCache | None = None) -> tuple[list[Link], int]:
    """Every link between items of different documents, pair of documents by pair, and how many pairs were linked
    rather than taken from `cache` (which needs every document's key in `keys`)."""
    groups = by_document(items, order)
    links: list[Link] = []
    kept: set[str] = set()
    linked = 0
    for a, (da, xs) in enumerate(groups):
        for db, ys in groups[a + 1:]:
            key = pair_key(keys[da], keys[db]) if cache is not None and keys is not None else None
            found = cache.get(key) if key is not None else None
            if found is None:
                found = link_pair(xs, ys, w, method)
                linked += 1
                if key is not None:
                    cache.put(key, found)
            if key is not None:
                kept.add(key)
            links += found
    if cache is not None:
        cache.commit(kept)
    return sorted(links, key=lambda l: (str(l.a), str(l.b))), linked


def link(items: list[ItemFeatures], w: Weights, method: Method, order: dict[str, int]) -> list[Link]:
    """Every link between items of different documents; `order` ranks the documents (oldest first) so that a
    link reads from the earlier document to the later one."""
    return link_corpus(items, w, method, order)[0]
