"""The generic page of a resource no other page is about (a mention, a span, a line, a trace link: most of the
site), made from the resource's own triples. The build writes these pages as files, or leaves them to `serve`,
which makes the same page when it is asked for (serving/page_maker.py): the same code, so the same bytes."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

from ..deployment import Contact, Deployment, Publisher
from ..rdf.namespaces import HG
from .indexes import IN_DOCUMENT, START_LINE
from .dependencies import LINES_OF, line_ref
from .links import Paths
from .store_view import StoreView
from .writer import Page

CONTEXT_LINES = 4
END_LINE, SOURCE_SPAN = str(HG.endLine), str(HG.SourceSpan)
TEMPLATE = "resource.html"
# The generic pages a build may leave to `serve`: the fine-grained resources', all under id/ (a mention, a span, a
# line, a trace link). The few under dataset/ and graph/ (the dataset's partitions, the named graphs) are written.
SERVABLE_UNDER = "id/"


def servable(path: str) -> bool:
    """Whether the generic page at `path` (from the site's root) may be left to `serve`."""
    return path.startswith(SERVABLE_UNDER)


def passage(lines: list[str] | None, start: int, end: int) -> list[dict]:
    """The item's source lines with a few lines of context either side, numbered, the item's own marked."""
    if not lines:
        return []
    first, last = max(1, start - CONTEXT_LINES), min(len(lines), end + CONTEXT_LINES)
    return [{"n": n, "text": lines[n - 1], "own": start <= n <= end} for n in range(first, last + 1)]


class GenericPages:
    def __init__(self, view: StoreView, paths: Paths, sources: Mapping[str, list[str]], source_text: Mapping[str, str]):
        self.view, self.paths = view, paths
        self.sources = sources  # document IRI → its source lines
        self.source_text = source_text  # document IRI → its source text's IRI

    def page(self, s: str) -> Page:
        """The page of resource `s`; a source span's shows its lines of the source text."""
        types = sorted(self.view.types(s), key=lambda t: f"<{t}>")  # as the page's own rows list them
        first = _first_values(self.view.of(s), (IN_DOCUMENT, START_LINE, END_LINE))
        doc, start, end = (first.get(p) for p in (IN_DOCUMENT, START_LINE, END_LINE))
        shown = []
        if SOURCE_SPAN in types and start and end:
            for n in range(max(1, int(start) - CONTEXT_LINES), int(end) + CONTEXT_LINES + 1):
                self.view.recorder.read(LINES_OF, line_ref(doc or "", n))
            shown = passage(self.sources.get(doc or ""), int(start), int(end))
        return Page(self.paths.page(s), TEMPLATE, s, dict(types=types, passage=shown, start=start, end=end,
                                                           source_text=self.source_text.get(doc or "")))


def _first_values(triples, props: tuple[str, ...]) -> dict[str, str]:
    """Property → its first value among the resource's triples (sorted by property and value, as StoreView.of
    gives them: the value StoreView.first_values gives too)."""
    out: dict[str, str] = {}
    for t in triples:
        p = t.predicate.value
        if p in props and p not in out:
            out[p] = t.object.value
    return out


# -- left to `serve` --------------------------------------------------------------------------------------------------
# A build that leaves the generic pages to `serve` writes, beside the site, what making one needs that is not in the
# store: the documents' lines, and what the build knew of the whole graph when it planned the pages.
SERVED = "served"  # the folder, in a build's output beside its site
CONTEXT = "context.json"
LINES = "lines"


@dataclasses.dataclass(frozen=True)
class ServedContext:
    deployment: Deployment
    class_pages: dict[str, str]  # class IRI → its index page
    fragments: dict[str, list[str]]  # resource IRI → the fragments the graph describes (Writer.fragments)
    source_text: dict[str, str]  # document IRI → its source text's IRI

    def save(self, folder: Path) -> None:
        deploy = {k: v for k, v in dataclasses.asdict(self.deployment).items() if k != "path"}
        data = {"deployment": deploy, "class_pages": self.class_pages, "fragments": self.fragments,
                "source_text": self.source_text}
        (folder / CONTEXT).write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "ServedContext":
        data = json.loads((folder / CONTEXT).read_text(encoding="utf-8"))
        d = data["deployment"]
        deploy = Deployment(**{**d, "publisher": Publisher(**d["publisher"]), "contact": Contact(**d["contact"])})
        return cls(deploy, data["class_pages"], data["fragments"], data["source_text"])
