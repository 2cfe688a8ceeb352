"""Whole, successful answers kept in memory: the data change only when a new build is swapped in.

Only complete 200 answers are ever put here (the evaluator hands over an answer only when it is whole), and the
endpoint empties the cache when the pool moves to a new store.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class Answer:
    content_type: str
    body: bytes
    etag: str = ""
    gzipped: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.etag:
            self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'

    def compressed(self) -> bytes:
        if self.gzipped is None:
            self.gzipped = gzip.compress(self.body, compresslevel=5, mtime=0)
        return self.gzipped


class ResultCache:
    """Least recently used, bounded in entries and in bytes."""

    def __init__(self, entries: int, size: int):
        self.entries, self.size = entries, size
        self.data: OrderedDict[tuple, Answer] = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = 0

    def get(self, key) -> Answer | None:
        hit = self.data.get(key)
        if hit is None:
            self.misses += 1
            return None
        self.hits += 1
        self.data.move_to_end(key)
        return hit

    def put(self, key, answer: Answer) -> None:
        if len(answer.body) > self.size // 8 or key in self.data:
            return
        self.data[key] = answer
        self.bytes += len(answer.body)
        while len(self.data) > self.entries or self.bytes > self.size:
            _, old = self.data.popitem(last=False)
            self.bytes -= len(old.body)

    def clear(self) -> None:
        self.data.clear()
        self.bytes = 0
