"""Where a resource's page lives on the site, and relative links between pages (the site works from any folder)."""

from __future__ import annotations

from functools import lru_cache

from ..rdf.iris import Iris
from ..rdf.namespaces import HG, ONTOLOGY_IRI, PREFIXES

# Per process. These caches were unbounded and, keyed by page folder and target, grew with every link the site
# writes (290 MiB over a site of 92,000 pages); pages come in reading order, so a bounded cache keeps its hits.
LINKS_CACHED = 20_000
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


@lru_cache(maxsize=LINKS_CACHED)
def relative(target: str, from_dir: str) -> str:
    """posixpath.relpath for paths inside the site (no '..' in either), without its calls to the file system."""
    t = target.split("/")
    f = [p for p in from_dir.split("/") if p]
    common = 0
    while common < len(f) and common < len(t) - 1 and f[common] == t[common]:
        common += 1
    return "/".join([".."] * (len(f) - common) + t[common:])


def last_segment(iri: str) -> str:
    """The last path segment of an IRI: a document's slug, the key its pages and filters use."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


@lru_cache(maxsize=LINKS_CACHED)
def qname(iri: str) -> str:
    for p, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{p}:{iri[len(ns):]}"
    return iri


class Paths:
    """Resource IRI → page path ('id/…/x.html', 'ontologi/Term.html'); None for IRIs the site has no page for."""

    def __init__(self, iris: Iris):
        self.iris = iris
        self._hg = str(HG)

    def page(self, iri: str) -> str | None:
        if iri.startswith(self._hg) and len(iri) > len(self._hg):
            return f"ontologi/{iri[len(self._hg):]}.html"
        if iri == ONTOLOGY_IRI:
            return "ontologi/index.html"
        rest = self.iris.site_path(iri)
        return f"{rest}.html" if rest else None

    def href(self, from_dir: str, iri: str, prefix: str = "") -> str | None:
        """A link from a page in `from_dir` to the resource: relative to its page (under `prefix`, the folder of
        a language's pages), or the IRI itself when it is an outside http(s) IRI, or None."""
        target = self.page(iri)
        if target is None and "#" in iri:
            # A fragment of a minted resource (a concept's term, an actor's organisation number) is shown on the
            # resource's own page, under an anchor of its name.
            whole, fragment = iri.split("#", 1)
            page = self.page(whole) if not whole.startswith(self._hg) else None
            if page is not None:
                return f"{relative(prefix + page, from_dir)}#{fragment}"
        if target is None:
            return iri if iri.startswith(("http://", "https://")) else None
        return relative(prefix + target, from_dir)
