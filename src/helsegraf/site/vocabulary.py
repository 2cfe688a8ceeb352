"""Labels for the outside vocabulary terms the site shows (mappings/vocabulary_labels.toml), so a property reads
"utgiver" rather than "dcterms:publisher" without fetching anything."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..paths import mappings_dir
from ..rdf.namespaces import PREFIXES
from ..tomlrows import load_document

@dataclass(frozen=True)
class TermLabel:
    nb: str
    en: str


def load_vocabulary_labels(path: Path | None = None) -> dict[str, TermLabel]:
    """Full IRI → labels. A key with an unknown prefix or a row without both labels is an error naming its line."""
    path = path or mappings_dir() / "vocabulary_labels.toml"
    data, text = load_document(path)
    terms = data.get("terms")
    if not isinstance(terms, dict):
        raise InputError(path, "needs a [terms] table")
    lines = text.splitlines()

    def line_of(key: str) -> int | None:
        return next((i for i, ln in enumerate(lines, 1) if ln.startswith(f'"{key}"')), None)

    out = {}
    for key, value in terms.items():
        prefix, _, local = key.partition(":")
        if prefix not in PREFIXES or not local:
            raise InputError(path, f"'{key}' is not a compact IRI with a known prefix ({', '.join(PREFIXES)})", line_of(key))
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k].strip() for k in ("nb", "en")):
            raise InputError(path, f"'{key}' needs non-empty 'nb' and 'en' labels", line_of(key))
        out[PREFIXES[prefix] + local] = TermLabel(value["nb"], value["en"])
    return out
