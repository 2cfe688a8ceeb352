"""A build's site as a client reads it: the files the build wrote, and, when the build left its generic pages to
`serve` (`--generic-pages served`, the corpus build of `make test`: conftest.CORPUS_PAGES), those pages as `serve`
makes them (serving/page_maker.py, the same bytes a files build writes: tests/serving/test_page_maker.py)."""

from __future__ import annotations

import fnmatch
import functools
import posixpath
from pathlib import Path

import pyoxigraph as ox

from helsegraf.site.generic_pages import SERVED, servable


class BuiltSite:
    def __init__(self, out: Path):
        self.root = out / "site"
        self._out = out

    @functools.cached_property
    def _maker(self):
        from helsegraf.serving.page_maker import PageMaker

        return PageMaker(self._out)

    @functools.cached_property
    def left_to_serve(self) -> frozenset[str]:
        """The pages (from the site's root, without suffix) the build left to `serve`: every resource of the graph
        whose page is servable and was not written."""
        if not (self._out / SERVED).is_dir():
            return frozenset()
        base, paths = self._maker.iris.base, self._maker.paths
        store = ox.Store.read_only(str(self._out / "store"))
        stems = set()
        for iri in {q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)}:
            if iri.startswith(base) and "#" not in iri:
                page = paths.page(iri)
                if servable(page) and not (self.root / page).is_file():
                    stems.add(page[:-len(".html")])
        assert stems, f"a build with {SERVED}/ left no page to serve"
        return frozenset(stems)

    @functools.cached_property
    def _served_suffixes(self) -> frozenset[str]:
        return frozenset(self._files(min(self.left_to_serve))) if self.left_to_serve else frozenset()

    @functools.lru_cache(maxsize=256)
    def _files(self, stem: str) -> dict[str, bytes]:
        files = self._maker.files(stem)
        assert files is not None, f"serve makes no page at {stem}"
        return files

    def exists(self, path: str) -> bool:
        """Whether a client finds a file at `path` (from the site's root)."""
        stem, suffix = posixpath.splitext(path)
        return (self.root / path).is_file() or (stem in self.left_to_serve and suffix in self._served_suffixes)

    def read(self, path: str) -> bytes:
        """The file at `path` (from the site's root), written or made."""
        if (self.root / path).is_file():
            return (self.root / path).read_bytes()
        stem, suffix = posixpath.splitext(path)
        if stem not in self.left_to_serve:
            raise FileNotFoundError(self.root / path)
        return self._files(stem)[suffix]

    def pages(self, pattern: str = "*") -> list[str]:
        """The site's HTML pages (from its root) matching `pattern` (fnmatch's: `*` crosses
        folders), written or left to `serve`, sorted; Pagefind's own excepted."""
        written = [p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html") if "pagefind" not in p.parts]
        return sorted(p for p in written + [s + ".html" for s in self.left_to_serve] if fnmatch.fnmatchcase(p, pattern))
