"""SPARQL syntax errors said plainly. The engine's message for an undeclared prefix is a list of expected character
ranges ("expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | '\\u{00B7}' …"); a reader needs the prefix and
the line to add."""

from __future__ import annotations

import re

from .rdf.namespaces import PREFIXES

_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.I)
# a prefixed name's prefix: outside <IRIs>, "strings" and # comments (removed first)
_USED = re.compile(r"(?<![\w:/.#<?$-])([A-Za-z][\w-]*(?:\.[\w-]+)*)?:(?=[\w%-]|\s|[;,.)}\]])")
_STRIP = re.compile(r'<[^<>\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')


def undeclared_prefixes(query: str) -> list[str]:
    body = _STRIP.sub(" ", query)
    declared = {(m.group(1) or "") for m in _DECLARED.finditer(body)}
    body = _DECLARED.sub(" ", body)
    used = []
    for m in _USED.finditer(body):
        p = m.group(1) or ""
        if p not in declared and p not in used and p.lower() not in ("http", "https", "urn", "mailto"):
            used.append(p)
    return used


def explain(query: str, message: str) -> str:
    """The engine's message, or for an undeclared prefix a sentence naming it and the PREFIX line that declares it."""
    missing = undeclared_prefixes(query)
    if "Prefix not found" not in message and not missing:
        return message
    at = re.search(r"error at (\d+:\d+)", message)
    where = f" (at {at.group(1)})" if at else ""
    if not missing:
        return f"a prefix is used but not declared{where}: add a PREFIX line for it"
    lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in missing if p in PREFIXES]
    unknown = [p for p in missing if p not in PREFIXES]
    text = f"the prefix{'es' if len(missing) > 1 else ''} {', '.join(repr(p + ':') for p in missing)} " \
           f"{'are' if len(missing) > 1 else 'is'} not declared{where}."
    if lines:
        text += " Add: " + " ".join(lines)
    if unknown:
        text += f" ({', '.join(p + ':' for p in unknown)} is not one of helsegraf's prefixes: declare it with its IRI.)"
    return text
