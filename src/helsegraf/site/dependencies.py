"""What a page was made from, so that a rebuild can tell whether it would come out the same.

A page is a function of two things: its recipe (template, path, language, resource and context: what the plan
gives it, hashed by value here) and what the writer reads of the graph while rendering it. The second is recorded
as it is read, each read as a key naming what it depends on:

- TRIPLES + k: every triple of subject k (a resource's own rows, its Turtle, a blank node shown inline);
- LABEL + k: k's labels (LABEL_PROPS), which every link to k shows;
- TYPES + k: k's rdf:type triples;
- HAS + k: whether k is the subject of any triple (a link to a minted IRI is made only where it has a page);
- INCOMING + k: the triples whose object is k (a resource's "linked from");
- ENGLISH + path: whether the page at path has an English version;
- line_key(document, n): line n of the document's source text (a span's page shows its passage), whether it
  exists or not (a passage near the end shows up to the last line there is).

A link to a named graph reads its label, not its triples: so the counts the dataset's description gives each
graph, which change with any document, do not make every page that names a graph stale. Keys are kept as 8-byte
hashes: a site of a million pages depends on tens of millions of reads, and a collision can only make a page be
rendered again when it need not be.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import struct
import types
from pathlib import PurePath

import pyoxigraph as ox
from markupsafe import Markup

KEY_BYTES = 8
TRIPLES, LABEL, TYPES, HAS, INCOMING, ENGLISH, LINES_OF = "s:", "l:", "t:", "h:", "i:", "en:", "lines:"


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=KEY_BYTES).digest(), "little")


def line_key(document: str, n: int) -> str:
    return f"{LINES_OF}{document}#{n}"


def english_key(path: str) -> str:
    """The key of "does the page at `path` have an English version" (writer.py asks it for every link)."""
    return ENGLISH + path


class Recorder:
    """The keys read while one page is rendered. Off (None) outside a page: what planning reads reaches a page
    through its recipe."""

    def __init__(self) -> None:
        self.keys: set[str] | None = None

    def start(self) -> None:
        self.keys = set()

    def stop(self) -> bytes:
        """The keys read since `start`, as sorted 8-byte hashes."""
        keys, self.keys = self.keys or set(), None
        return pack(key_hash(k) for k in keys)

    def read(self, key: str) -> None:
        if self.keys is not None:
            self.keys.add(key)


def pack(hashes) -> bytes:
    values = sorted(set(hashes))
    return struct.pack(f"<{len(values)}Q", *values)


def unpack(data: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(data) // KEY_BYTES}Q", data)


def stable_digest(value) -> bytes:
    """A hash of a page's context by value, the same in every process (pickle is not: a set's order follows
    the process's string hashing). A type this does not know is an error, not a guess.

    Hashed as JSON where it can be (the C encoder: a fifth of a rebuild's time went to hashing contexts in
    Python), which keeps a dict's order and a set's members sorted, but not whether a string is markup or a
    sequence a tuple: the same code gives a value the same type, and the site's digest covers the code."""
    h = hashlib.blake2b(digest_size=16)
    try:
        h.update(b"j" + _JSON.encode(value).encode("utf-8", "surrogatepass"))
    except TypeError:  # a key JSON cannot have (a tuple): the slower walk, which knows every type JSON knows
        h = hashlib.blake2b(digest_size=16)
        _feed(h, value)
    return h.digest()


def _json_default(v):
    if isinstance(v, (set, frozenset)):
        return ["<set>", *sorted(_JSON.encode(x) for x in v)]
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return ["<dataclass>", type(v).__qualname__, {f.name: getattr(v, f.name) for f in dataclasses.fields(v)}]
    if isinstance(v, enum.Enum):
        return ["<enum>", type(v).__qualname__, v.value]
    if isinstance(v, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
        return ["<term>", type(v).__name__, str(v)]
    if isinstance(v, PurePath):
        return ["<path>", str(v)]
    if isinstance(v, bytes):
        return ["<bytes>", v.hex()]
    if isinstance(v, types.FunctionType) and "<" not in v.__qualname__:
        return ["<function>", v.__module__, v.__qualname__]
    raise TypeError(f"a page's context holds a {type(v).__qualname__}, which stable_digest cannot hash by value")


_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"), default=_json_default)


def _feed(h, v) -> None:
    if v is None or isinstance(v, (bool, int, float)):
        h.update(f"{type(v).__name__}:{v!r};".encode())
    elif isinstance(v, str):  # Markup too: its type is part of what it means to a template
        data = v.encode("utf-8", "surrogatepass")
        h.update(b"M" if isinstance(v, Markup) else b"s")
        h.update(len(data).to_bytes(8, "little") + data)
    elif isinstance(v, bytes):
        h.update(b"b" + len(v).to_bytes(8, "little") + v)
    elif isinstance(v, (list, tuple)):
        h.update(b"[" if isinstance(v, list) else b"(")
        for x in v:
            _feed(h, x)
        h.update(b"]")
    elif isinstance(v, dict):
        h.update(b"{")
        for k, x in v.items():  # in its order: the order a template iterates in
            _feed(h, k)
            _feed(h, x)
        h.update(b"}")
    elif isinstance(v, (set, frozenset)):
        h.update(b"<")
        for d in sorted(stable_digest(x) for x in v):
            h.update(d)
        h.update(b">")
    elif dataclasses.is_dataclass(v) and not isinstance(v, type):
        h.update(b"D" + type(v).__qualname__.encode() + b":")
        _feed(h, {f.name: getattr(v, f.name) for f in dataclasses.fields(v)})
    elif isinstance(v, enum.Enum):
        h.update(b"E" + type(v).__qualname__.encode() + b":")
        _feed(h, v.value)
    elif isinstance(v, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
        _feed(h, (type(v).__name__, str(v)))
    elif isinstance(v, PurePath):
        _feed(h, ("path", str(v)))
    elif isinstance(v, types.FunctionType) and "<" not in v.__qualname__:
        # a module's function (a template's helper) is its code, which the site's digest covers; a lambda or
        # a closure would carry values this cannot see
        _feed(h, ("function", v.__module__, v.__qualname__))
    else:
        raise TypeError(f"a page's context holds a {type(v).__qualname__}, which stable_digest cannot hash by value")
