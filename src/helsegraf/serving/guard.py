"""Checks a query's shape before anything evaluates it: size, nesting, federation, path closures and terms.

Oxigraph's parser is recursive: 5,000 nested brackets overflow its stack and abort the process. Evaluation runs in
worker processes, so a crash costs one worker; but a query refused here costs nothing at all, and its author gets a
400 that says what to change. The check is lexical — strings, IRIs and comments are skipped, so `"SERVICE"` in a
literal or `ex:service` as a name is not a keyword — and it runs on the query after SPARQL's `\\u` escapes are
decoded, as the parser sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .limits import Limits
from .refused import Refused

# SPARQL 1.1 §19.2: \uXXXX and \UXXXXXXXX are decoded in the whole query string before parsing.
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_TOKENS = re.compile(r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:[\w.\-%:\\\u00B7\u00C0-\uFFFF]*|_:[\w.\-]+)
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<closure>[*+])
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

_TERM_KINDS = frozenset({"string", "iri", "var", "pname"})
# A `*` or `+` right after these (no space between) closes a property path; after `(`, a space or a variable it is
# SELECT *, COUNT(*) or arithmetic. `(?a + ?b)*2` is counted too: the limit is far above what real queries use.
_PATH_ENDS = frozenset({"iri", "pname", "close"})


class QueryRefused(Refused):
    """A query that is not evaluated: the HTTP status and a message for its author."""


@dataclass(frozen=True)
class Shape:
    depth: int
    terms: int
    closures: int
    federated: bool


def decode_escapes(query: str) -> str:
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)
    return _ESCAPE.sub(one, query)


def shape(query: str) -> Shape:
    depth = deepest = terms = closures = 0
    federated = False
    previous = "space"
    for m in _TOKENS.finditer(decode_escapes(query)):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind in _TERM_KINDS:
            terms += 1
        elif kind == "word" and m.group().upper() == "SERVICE":
            federated = True
        elif kind == "closure" and previous in _PATH_ENDS:
            closures += 1
        if kind != "comment":
            previous = kind
    return Shape(deepest, terms, closures, federated)


def check(query: str, limits: Limits) -> Shape:
    """The query's shape, or QueryRefused when it is too large, too deep, federated or has too many closures."""
    size = len(query.encode("utf-8"))
    if size > limits.max_query_bytes:
        raise QueryRefused(413, f"The query is {size} bytes; this endpoint takes at most {limits.max_query_bytes}.")
    s = shape(query)
    if s.federated and not limits.allow_service:
        raise QueryRefused(400, "SERVICE (federated query) is not allowed on this endpoint: it does not fetch from "
                                "other servers. Run the query on your own store with helsegraf's dumps instead.")
    if s.depth > limits.max_depth:
        raise QueryRefused(400, f"The query nests brackets {s.depth} deep; this endpoint takes at most "
                                f"{limits.max_depth}.")
    if s.terms > limits.max_terms:
        raise QueryRefused(400, f"The query has {s.terms} terms (variables, IRIs, names and literals); this endpoint "
                                f"takes at most {limits.max_terms}.")
    if s.closures > limits.max_closures:
        raise QueryRefused(400, f"The query has {s.closures} property path closures (* or +); this endpoint takes at "
                                f"most {limits.max_closures}.")
    return s
