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
  exists or not (a passage near the end shows up to the last line there is);
- PLAN + k: what the plan holds of item or document k (pages.Planner.plan_facts), read by the part of a page's
  context made when it is written (`Page.later`: an item's links, a pair of documents' links). That part is not
  in the recipe: a page kept is not made again, and making it (reading every link of an item into every other
  document) cost more than rendering the page.

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

KEY_BYTES = 8
TRIPLES, LABEL, TYPES, HAS, INCOMING, ENGLISH, LINES_OF, PLAN = "s:", "l:", "t:", "h:", "i:", "en:", "lines:", "p:"


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=KEY_BYTES).digest(), "little")


def fact_digest(value) -> bytes:
    """A plan fact's hash (PLAN keys): of its repr, which for the dicts, lists, strings, numbers and None the plan
    holds is its value, written in the order the code builds it (and the site's digest covers the code)."""
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=KEY_BYTES).digest()


def line_key(document: str, n: int) -> str:
    return LINES_OF + line_ref(document, n)


def line_ref(document: str, n: int) -> str:
    return f"{document}#{n}"


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

    def read(self, kind: str, key: str) -> None:
        """Record key `kind + key` (kind: TRIPLES, LABEL, …), joined only while a page records: the store's
        reads call this on every build."""
        if self.keys is not None:
            self.keys.add(kind + key)


def pack(hashes) -> bytes:
    values = sorted(set(hashes))
    return struct.pack(f"<{len(values)}Q", *values)


def unpack(data: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(data) // KEY_BYTES}Q", data)


def stable_digest(value) -> bytes:
    """A hash of a page's context by value, the same in every process (pickle is not: a set's order follows
    the process's string hashing). A type this does not know is an error, not a guess.

    Hashed as JSON by the C encoder (a fifth of a rebuild's time went to hashing contexts in Python), which keeps a
    dict's order and a set's members sorted, but not whether a string is markup or a sequence a tuple: the same
    code gives a value the same type, and the site's digest covers the code."""
    try:
        text = _JSON.encode(value)
    except TypeError:  # a dict key JSON cannot have (a tuple): such dicts as lists of pairs; other errors stand
        text = _JSON.encode(_keyed(value))
    return hashlib.blake2b(b"j" + text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _keyed(v):
    if isinstance(v, dict):
        if all(isinstance(k, str) for k in v):
            return {k: _keyed(x) for k, x in v.items()}
        return ["<dict>", [[_keyed(k), _keyed(x)] for k, x in v.items()]]
    if isinstance(v, (list, tuple)):
        return [_keyed(x) for x in v]
    return v


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
