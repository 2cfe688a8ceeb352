"""Minting IRIs: readable, derived from the source (document slug, box, item number), never from run order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from ..errors import UsageError

_SAFE = re.compile(r"^[A-Za-z0-9._~\-/]+$")
# The first path segments of minted IRIs that have pages on the site (the rest of the site's top level is its own).
PUBLISHED = ("id", "graph", "dataset", "sparql-service")


@dataclass(frozen=True)
class Iris:
    base: str

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^\s]+/$", self.base):
            raise UsageError(f"base IRI {self.base!r} must be an http(s) IRI ending in '/'")

    def _id(self, path: str) -> URIRef:
        if not _SAFE.match(path):
            raise ValueError(f"unsafe IRI path {path!r}")
        return URIRef(f"{self.base}id/{path}")

    def document(self, slug: str) -> URIRef:
        return self._id(slug)

    def source_text(self, slug: str) -> URIRef:
        return self._id(f"{slug}/kildetekst")

    def part(self, slug: str, key: str) -> URIRef:
        return self._id(f"{slug}/{key}")

    def item(self, slug: str, key: str) -> URIRef:
        return self._id(f"{slug}/{key}")

    def group(self, slug: str, key: str) -> URIRef:
        return self._id(f"{slug}/{key}")

    def span(self, slug: str, start: int, end: int) -> URIRef:
        return self._id(f"{slug}/linjer/{start}-{end}")

    def trace(self, a_doc: str, a_key: str, b_doc: str, b_key: str) -> URIRef:
        return self._id(f"spor/{a_doc}/{a_key}/til/{b_doc}/{b_key}")

    def trace_method(self, name: str, version: str) -> URIRef:
        return self._id(f"spor/metode/{name}/{version}")

    def period(self, slug: str, key: str, n: int) -> URIRef:
        return self._id(f"{slug}/{key}/tid/{n}")

    def actor(self, slug: str) -> URIRef:
        return self._id(f"aktor/{slug}")

    def concept(self, scheme: str, slug: str | None = None) -> URIRef:
        return self._id(f"{scheme}/{slug}" if slug else scheme)

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}dataset")

    def is_local(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def site_path(self, iri: str) -> str | None:
        """The path of a resource's page relative to the site root, without suffix: 'id/…' for the things the
        documents are about, 'graph/…' for the named graphs, 'dataset…' and 'sparql-service' for the dataset's VoID and service
        description;
        None for outside IRIs (the ontology's terms have pages of their own, under 'ontologi/')."""
        if not iri.startswith(self.base):
            return None
        rest = iri[len(self.base) :]
        first = rest.split("/", 1)[0]
        if first in PUBLISHED and (first == rest or rest.startswith(first + "/")) and _SAFE.match(rest):
            return rest
        return None
