"""Reading curated TOML tables ([[row]] arrays) with the line of each row, for errors that point at it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from .errors import InputError


_URL = re.compile(r'^https?://[^\s<>"{}|\\^`]+$')


def is_http_url(value) -> bool:
    """An absolute http(s) address that can stand in an IRI (no spaces, no <>"{}|\\^`)."""
    return isinstance(value, str) and bool(_URL.match(value))


def load_document(path: Path) -> tuple[dict, str]:
    """The parsed document and its text; a missing, non-UTF-8 or invalid file is an error naming it (and the line)."""
    if not path.is_file():
        raise InputError(path, "file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(path, f"not UTF-8 ({e.reason})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise InputError(path, f"not valid TOML: {e}", int(m.group(1)) if m else None) from None
    return data, text


def load_rows(path: Path, table: str) -> tuple[dict, list[tuple[int | None, dict]]]:
    """The whole document and its [[table]] rows, each with the line its header stands on."""
    data, text = load_document(path)
    starts = [i for i, ln in enumerate(text.splitlines(), 1) if ln.strip() == f"[[{table}]]"]
    rows = data.get(table, [])
    if not isinstance(rows, list):
        raise InputError(path, f"'{table}' must be an array of tables ([[{table}]])")
    return data, [(starts[i] if i < len(starts) else None, r) for i, r in enumerate(rows)]


def opt_str(path: Path, line: int | None, row: dict, key: str) -> str | None:
    """A key a row may leave out; given, it is a non-empty string."""
    if key not in row:
        return None
    return need_str(path, line, row, key)


def need_str(path: Path, line: int | None, row: dict, key: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(path, f"row lacks a non-empty string '{key}'", line)
    return value
