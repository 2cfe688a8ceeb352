"""The generic pages a build left to `serve` (`helsegraf build --generic-pages served`), made when asked for.

A build of a national corpus has millions of generic pages (a page per mention, span, line and trace link, each
with its Turtle, N-Triples and JSON-LD); writing them all on every build is most of its files and of its site
stage. Left to `serve`, each is made on request by the code that writes it as a file (site/generic_pages.py,
site/writer.py), from the store on disk opened read-only and what the build saved beside it (served/), so a made
page is byte for byte the file a build would have written (tests/serving/test_page_maker.py)."""

from __future__ import annotations

from pathlib import Path

from ..rdf.iris import Iris
from ..site.generic_pages import LINES, SERVED, GenericPages, ServedContext, servable
from ..site.links import Paths
from ..site.source_lines import SourceLines
from ..site.store_view import ResourceView
from ..site.vocabulary import load_vocabulary_labels
from ..site.writer import Writer


class PageMaker:
    """Makes the generic pages of the build in `out` (its store, site and served/ folders)."""

    def __init__(self, out: Path):
        served = out / SERVED
        context = ServedContext.load(served)
        self.iris = Iris(context.deployment.base_iri)
        self.paths = Paths(self.iris)
        self.view = ResourceView(out / "store")
        self.writer = Writer(out / "site", self.view, self.paths, load_vocabulary_labels())
        self.writer.set_global("deployment", context.deployment)
        self.writer.set_global("class_pages", context.class_pages)
        self.writer.use_fragments(context.fragments)
        self.pages = GenericPages(self.view, self.paths, SourceLines(served / LINES), context.source_text)

    def files(self, stem: str) -> dict[str, bytes] | None:
        """The files of the page at `stem` (from the site's root, without suffix: 'id/omtale/…') by suffix, or None
        when no resource the graph describes has its page there."""
        iri = self.iris.base + stem
        if not servable(stem + ".html") or self.paths.page(iri) != stem + ".html" or not self.view.has(iri):
            return None
        return self.writer.render(self.pages.page(iri))
