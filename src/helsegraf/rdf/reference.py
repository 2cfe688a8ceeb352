"""Curated reference data from mappings/ that is not an entity of the catalogue: the document genres."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ..errors import InputError
from ..tomlrows import load_rows, need_str
from .iris import Iris

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _check_slug(path: Path, line: int | None, slug: str, seen: set[str]) -> None:
    if not _SLUG.match(slug):
        raise InputError(path, f"slug {slug!r} must be lower-case ASCII words joined by '-'", line)
    if slug in seen:
        raise InputError(path, f"duplicate slug {slug!r}", line)
    seen.add(slug)


def genres_graph(path: Path, iris: Iris) -> tuple[Graph, set[str]]:
    data, rows = load_rows(path, "concept")
    scheme_row = data.get("scheme") or {}
    scheme_slug = scheme_row.get("slug") or "sjanger"
    g = Graph()
    scheme = iris.concept(scheme_slug)
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    for lang in ("nb", "en"):
        if scheme_row.get(f"pref_{lang}"):
            g.add((scheme, SKOS.prefLabel, Literal(scheme_row[f"pref_{lang}"], lang=lang)))
    seen: set[str] = set()
    for line, row in rows:
        slug = need_str(path, line, row, "slug")
        _check_slug(path, line, slug, seen)
        node = iris.concept(scheme_slug, slug)
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, scheme))
        g.add((scheme, SKOS.hasTopConcept, node))
        g.add((node, SKOS.prefLabel, Literal(need_str(path, line, row, "pref_nb"), lang="nb")))
        for lang in ("en", "nn"):
            if row.get(f"pref_{lang}"):
                g.add((node, SKOS.prefLabel, Literal(row[f"pref_{lang}"], lang=lang)))
        for lang in ("nb", "nn", "en"):
            if row.get(f"definition_{lang}"):
                g.add((node, SKOS.definition, Literal(row[f"definition_{lang}"], lang=lang)))
    return g, seen


def genre_iri(iris: Iris, slug: str) -> URIRef:
    return iris.concept("sjanger", slug)
