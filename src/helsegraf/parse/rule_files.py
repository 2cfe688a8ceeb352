"""Reading the genre rule files in mappings/: TOML with regular expressions, each error naming the file and line."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..tomlrows import load_document


def line_of(text: str, needle: str) -> int | None:
    return next((i for i, ln in enumerate(text.splitlines(), 1) if needle in ln), None)


def compile_pattern(path: Path, text: str, pattern: object, what: str) -> re.Pattern:
    """A case-insensitive pattern from a rule file; a bad one is an error at its line."""
    if not isinstance(pattern, str) or not pattern:
        raise InputError(path, f"{what}: expected a non-empty string, got {pattern!r}")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        raise InputError(path, f"{what}: bad regular expression {pattern!r}: {e}", line_of(text, pattern)) from None


def check_example(path: Path, text: str, compiled: re.Pattern, row: dict, what: str, full: bool = True) -> None:
    """A rule row's `example` must be matched by its own pattern: a rule that does not match what it was written for
    is caught when the file is read, not by a build that silently finds less."""
    example = row.get("example")
    if example is None:
        return
    found = compiled.fullmatch(example) if full else compiled.search(example)
    if not found:
        raise InputError(path, f"{what} {compiled.pattern!r} does not match its own example {example!r}",
                         line_of(text, example))


def load_rule_file(path: Path) -> tuple[dict, str]:
    try:
        return load_document(path)
    except InputError as e:
        if "file not found" in str(e):
            raise InputError(path, "rules file not found") from None
        raise


def item_opener(path: Path, text: str, markers: object, enumerations: object = (), indent: str = r"\s*",
                gap: str = r"\s*") -> re.Pattern:
    """The pattern of a line that opens a list item: `indent`, one of the markers or enumerations, `gap`; group
    "text" is the rest."""
    if not isinstance(markers, list) or not markers or not all(isinstance(m, str) and m for m in markers):
        raise InputError(path, "expected 'markers', a list of non-empty strings", line_of(text, "markers"))
    enums = [compile_pattern(path, text, e, "enumerations").pattern for e in (enumerations or [])]
    opener = "|".join([re.escape(m) for m in sorted(markers, key=len, reverse=True)] + enums)
    return re.compile(rf"^{indent}(?:{opener}){gap}(?P<text>\S.*)$")


def pattern_rows(path: Path, text: str, data: dict, table: str, full: bool = False, required: bool = True,
                 group: str | None = None) -> tuple[re.Pattern, ...]:
    """The compiled `pattern` of every [[table]] row, each checked against its own `example` (whole-string match
    when `full`); `group` names a group every pattern must have."""
    rows = data.get(table, [])
    if not isinstance(rows, list) or (required and not rows):
        raise InputError(path, f"expected at least one [[{table}]] row with a 'pattern'", line_of(text, f"[[{table}]]"))
    out = []
    for r in rows:
        p = compile_pattern(path, text, r.get("pattern"), table)
        if group and group not in p.groupindex:
            raise InputError(path, f"{table} {p.pattern!r} has no group '(?P<{group}>…)'", line_of(text, p.pattern))
        check_example(path, text, p, r, table, full=full)
        out.append(p)
    return tuple(out)
