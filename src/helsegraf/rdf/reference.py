"""Curated reference data from mappings/ (actors, genres) as RDF, checked row by row."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from ..errors import InputError
from ..tomlrows import load_rows, need_str
from .iris import Iris
from .namespaces import HG

ACTOR_TYPES = ("Actor", "Organisation", "Ministry", "Government", "PoliticalParty", "Office")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _check_slug(path: Path, line: int | None, slug: str, seen: set[str]) -> None:
    if not _SLUG.match(slug):
        raise InputError(path, f"slug {slug!r} must be lower-case ASCII words joined by '-'", line)
    if slug in seen:
        raise InputError(path, f"duplicate slug {slug!r}", line)
    seen.add(slug)


def actors_graph(path: Path, iris: Iris) -> tuple[Graph, set[str]]:
    _, rows = load_rows(path, "actor")
    g = Graph()
    seen: set[str] = set()
    links: list[tuple[int | None, str, str]] = []
    for line, row in rows:
        slug = need_str(path, line, row, "slug")
        _check_slug(path, line, slug, seen)
        kind = need_str(path, line, row, "type")
        if kind not in ACTOR_TYPES:
            raise InputError(path, f"unknown actor type {kind!r}; expected one of {', '.join(ACTOR_TYPES)}", line)
        node = iris.actor(slug)
        g.add((node, RDF.type, HG[kind]))
        g.add((node, SKOS.prefLabel, Literal(need_str(path, line, row, "pref_nb"), lang="nb")))
        if row.get("pref_en"):
            g.add((node, SKOS.prefLabel, Literal(row["pref_en"], lang="en")))
        for alt in row.get("alt", []):
            g.add((node, SKOS.altLabel, Literal(alt, lang="nb")))
        g.add((node, DCTERMS.identifier, Literal(slug)))
        if row.get("part_of"):
            links.append((line, slug, row["part_of"]))
    for line, slug, parent in links:
        if parent not in seen:
            raise InputError(path, f"'{slug}' is part_of unknown actor {parent!r}", line)
        g.add((iris.actor(slug), ORG.subOrganizationOf, iris.actor(parent)))
    return g, seen


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
        for lang in ("en",):
            if row.get(f"pref_{lang}"):
                g.add((node, SKOS.prefLabel, Literal(row[f"pref_{lang}"], lang=lang)))
        for lang in ("nb", "en"):
            if row.get(f"definition_{lang}"):
                g.add((node, SKOS.definition, Literal(row[f"definition_{lang}"], lang=lang)))
    return g, seen


def genre_iri(iris: Iris, slug: str) -> URIRef:
    return iris.concept("sjanger", slug)
