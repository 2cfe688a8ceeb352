"""The repository's directories, for the benchmarks (which run on this checkout's own corpus)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
MANIFEST = SOURCES / "manifest.toml"
ONTOLOGY_DIR = ROOT / "ontology"
DEFAULT_BUILD = ROOT / "build"
