"""The repository's own directories, for tests that read its files (helsegraf itself resolves the project it works
on at run time: helsegraf.paths)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
MANIFEST = SOURCES / "manifest.toml"
MAPPINGS = ROOT / "mappings"
ONTOLOGY_DIR = ROOT / "ontology"
