"""Hashes of what a cached result depends on beyond its data: this package's code and a folder of inputs (the
mappings, the site's templates). A cache entry made under another version is never taken."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of this package's files (code, rules and templates it ships): a new version redoes every document."""
    return folder_fingerprint(Path(__file__).resolve().parent)


def folder_fingerprint(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()
