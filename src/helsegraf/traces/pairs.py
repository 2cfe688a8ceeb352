"""The links of each pair of documents, kept between builds.

With weights fixed in advance (traces.weights) the links between two documents are a function of the two alone, so
a pair's links are kept under a key made of the two documents' own cache keys (document_work.cache_key: the source's
bytes, its manifest entry, the mappings and the code), and a rebuild after one document changed links only the pairs
it is in. One SQLite file holds every pair: written in one transaction per build, so an interrupted build leaves the
previous pairs whole, and a corpus of hundreds of documents (tens of thousands of pairs) is not as many small files.
What is kept is a pair's links before the bound over the whole corpus (link.BestLinks), which a document added
elsewhere may move: that bound is applied again on every build, over every pair's links.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Iterator

from ..cores import default_jobs
from .features import ItemFeatures
from .link import BestLinks, Link, Method, by_document, link_pair, side
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
        """Written in the build's open transaction (on disk, not held in memory): the pairs of a build go in
        together at `commit`, or not at all."""
        self._db.execute("INSERT OR REPLACE INTO pair VALUES (?, ?)",
                         (key, pickle.dumps(links, protocol=pickle.HIGHEST_PROTOCOL)))

    def commit(self, keep: set[str]) -> None:
        """Write the new pairs and forget those no longer in the corpus (`keep`: every pair key of this build), so the
        file does not outgrow the corpus."""
        with self._db:
            stale = [(k,) for (k,) in self._db.execute("SELECT key FROM pair") if k not in keep]
            self._db.executemany("DELETE FROM pair WHERE key = ?", stale)

    def close(self) -> None:
        self._db.close()


def link_corpus(items: list[ItemFeatures], w: Weights, method: Method, order: dict[str, int],
                keys: dict[str, str] | None = None, cache: PairCache | None = None,
                jobs: int | None = None) -> tuple[list[Link], int]:
    """Every link between items of different documents that is among the best of both its items (BestLinks), and
    how many pairs of documents were linked rather than taken from `cache` (which needs every document's key in
    `keys`). The pairs to link are shared out to `jobs` processes (default: every core): each pair's links are a
    function of its two documents alone. A pair's links are let go once the bound has seen them."""
    groups = by_document(items, order)
    pairs = [(a, b) for a in range(len(groups)) for b in range(a + 1, len(groups))]
    key_of = {}
    if cache is not None and keys is not None:
        key_of = {(a, b): pair_key(keys[groups[a][0]], keys[groups[b][0]]) for a, b in pairs}
    best = BestLinks(items, method.links_per_item)
    todo = []
    for pair in pairs:
        got = cache.get(key_of[pair]) if key_of else None
        if got is None:
            todo.append(pair)
        else:
            best.add(got)
    for pair, links in _link_all(groups, todo, w, method, jobs or default_jobs()):
        if key_of:
            cache.put(key_of[pair], links)
        best.add(links)
    if cache is not None:
        cache.commit(set(key_of.values()))
    return best.links(), len(todo)


_WORK: tuple | None = None  # (groups, sides, weights, method), set before the fork: the workers inherit it
PAIRS_PER_TASK = 8


def _link_all(groups, todo: list[tuple[int, int]], w: Weights, method: Method,
              jobs: int) -> Iterator[tuple[tuple[int, int], list[Link]]]:
    """Each pair of `todo` with its links, as they are made (in no set order on several processes)."""
    sides = {n: side(groups[n][1], w, method) for n in sorted({n for pair in todo for n in pair})}
    if jobs < 2 or len(todo) < 2 or "fork" not in get_all_start_methods():
        for a, b in todo:
            yield (a, b), link_pair(groups[a][1], groups[b][1], w, method, (sides[a], sides[b]))
        return
    global _WORK
    _WORK = (groups, sides, w, method)
    try:
        tasks = [todo[i:i + PAIRS_PER_TASK] for i in range(0, len(todo), PAIRS_PER_TASK)]
        with get_context("fork").Pool(min(jobs, len(todo))) as pool:
            for done in pool.imap_unordered(_link_task, tasks):
                yield from done
    finally:
        _WORK = None


def _link_task(pairs: list[tuple[int, int]]) -> list:
    groups, sides, w, method = _WORK
    return [((a, b), link_pair(groups[a][1], groups[b][1], w, method, (sides[a], sides[b]))) for a, b in pairs]


def link(items: list[ItemFeatures], w: Weights, method: Method, order: dict[str, int]) -> list[Link]:
    """Every link between items of different documents; `order` ranks the documents (oldest first) so that a
    link reads from the earlier document to the later one."""
    return link_corpus(items, w, method, order)[0]
