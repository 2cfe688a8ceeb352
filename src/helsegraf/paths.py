"""Where the project's own files live: the package is always run from its checkout (editable install)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "sources"
MANIFEST = SOURCES / "manifest.toml"
ONTOLOGY_DIR = ROOT / "ontology"
MAPPINGS = ROOT / "mappings"
QUERIES = ROOT / "queries"
SITE_TEMPLATES = ROOT / "site" / "templates"
SITE_STATIC = ROOT / "site" / "static"
DEFAULT_BUILD = ROOT / "build"

DEFAULT_BASE = "https://w3id.org/helsegraf/"
# Where `helsegraf serve` answers by default; set another with --endpoint-url when the endpoint is public.
DEFAULT_ENDPOINT = "http://127.0.0.1:7878/query"
