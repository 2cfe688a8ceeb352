"""The documents' source lines, which the site shows (a measure's passage, a span's lines, the whole source text),
kept on disk between the stages rather than in memory: at the scale of a national corpus the texts of every
document, held from parsing until the last page, were a large share of the build's memory. A page reads its
document's lines when written; the few documents last read are kept, and pages are written in reading order, so
a document is read about once per process."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

DOCUMENTS_KEPT = 4
INDEX = "index.json"


class SourceLines(Mapping):
    """Document IRI → its source lines, read from a folder written by `write`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._files: dict[str, str] = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        self._read = lru_cache(maxsize=DOCUMENTS_KEPT)(self._read_file)

    @classmethod
    def write(cls, folder: Path, lines: Mapping[str, list[str]]) -> "SourceLines":
        """One JSON file per document (a line may hold any character, so no line-based format will do), and an
        index of them."""
        folder.mkdir(parents=True)
        files = {}
        for n, (iri, text) in enumerate(sorted(lines.items())):
            files[iri] = f"{n}.json"
            (folder / files[iri]).write_text(json.dumps(text, ensure_ascii=False), encoding="utf-8")
        (folder / INDEX).write_text(json.dumps(files, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        return cls(folder)

    def _read_file(self, name: str) -> list[str]:
        return json.loads((self.folder / name).read_text(encoding="utf-8"))

    def __getitem__(self, iri: str) -> list[str]:
        return self._read(self._files[iri])

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)
