"""The real corpus as the tracing stage sees it: the manifest's documents parsed, with their mentions."""

from __future__ import annotations

from helsegraf.entities.catalogue import load_catalogue
from helsegraf.entities.matcher import Matcher
from helsegraf.entities.mentions import find_mentions
from helsegraf.entities.roles import load_roles
from helsegraf.graph import parse_all
from helsegraf.paths import manifest_path, mappings_dir
from helsegraf.sources import load_manifest


def real_inputs():
    """(documents, parsed documents, mentions by document slug, the mappings folder)."""
    manifest = load_manifest(manifest_path())
    docs = list(manifest.documents)
    parsed = parse_all(manifest)
    mappings = mappings_dir()
    matcher = Matcher(load_catalogue(mappings), load_roles(mappings / "roles.toml"))
    return docs, parsed, {d.slug: find_mentions(p, matcher) for d, p in zip(docs, parsed)}, mappings
