"""Keeping the pages of the previous build that would come out the same, so that a rebuild after one document
changed renders the pages that change rather than the whole site.

The previous build's ledger (kept in the build cache) says, for every page it wrote, its recipe and what it read of
the graph (dependencies.py). A page is kept — its files linked from the previous build's site — when

- the ledger belongs to that build: it names the hash of the sorted N-Quads dump the site was made from, and the
  previous build's dump has that hash;
- everything every page shares is the same: this package's code, the site's templates and assets, the mappings,
  the deployment, the class indexes, the Bokmål-to-English label table, the way generic pages are published
  (`site_digest`);
- the page's recipe is the same (`recipe_digest`: template, path, language, resource and context, by value);
- none of the keys it read is touched: a key is touched when a quad of the previous dump or of the new one, not
  both, has it as subject or object (a fragment's resource too: its page shows the fragment), or when a page
  gained or lost its English version; a PLAN key, when the plan's fact it names differs (pages.Planner.plan_facts),
  and a document's, also when one of its items' links came, went or changed ends (a triple naming the item).

The site is otherwise made as before, so a rebuild's pages are those a clean build writes
(tests/site/test_reuse.py and tests/test_document_work.py compare them byte for byte).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox

from .dependencies import (HAS, INCOMING, LABEL, PLAN, TRIPLES, TYPES, english_key, line_key, key_hash,
                           stable_digest, unpack)
from ..serialize import file_sha256
from .store_view import LABEL_PROPS, RDF_TYPE, node_key

LEDGER_FORMAT = "4"  # bump when the ledger or what a page's reads mean changes
LATER = "made when written, its reads recorded"  # in the recipe of a page with a `later`, in place of what it makes


@dataclass(frozen=True)
class PageRecord:
    path: str
    recipe: bytes
    suffixes: tuple[str, ...]  # the files written for it: ".html", and beside a resource's, ".ttl" …
    reads: bytes  # dependencies.pack of the keys it read
    kept: bool = False  # its files were taken from the previous build


@dataclass(frozen=True)
class Kept:
    suffixes: tuple[str, ...]
    reads: bytes


@dataclass
class Ledger:
    site: bytes  # site_digest of the build that wrote the pages
    graph: str  # sha256 of the sorted N-Quads dump it rendered them from
    english: frozenset[str]  # the pages that had an English version
    lines: dict[str, bytes]  # document IRI -> lines_digests' hash of its source lines
    pages: dict[str, tuple[bytes, tuple[str, ...], bytes]]  # path -> recipe, suffixes, reads
    facts: dict[int, bytes] = field(default_factory=dict)  # key_hash of a PLAN key -> fact_digest of what the plan held for it

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_bytes(pickle.dumps((LEDGER_FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "Ledger | None":
        """The ledger at `path`; None where there is none, or it cannot be read or is of another format (the
        site is then rendered whole)."""
        try:
            fmt, ledger = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            return None
        return ledger if fmt == LEDGER_FORMAT and isinstance(ledger, cls) else None


class Reuse:
    """What the writer asks, page by page: may this page's files be taken from the previous build?"""

    def __init__(self, previous_site: Path | None = None, previous: Ledger | None = None,
                 touched: set[int] | frozenset[int] = frozenset(), why_not: str = ""):
        self.previous_site = str(previous_site) if previous_site else ""
        self.previous, self.touched = previous, touched
        self.why_not = why_not  # why nothing can be kept, for the build's progress line

    def kept(self, path: str, recipe: bytes) -> Kept | None:
        if self.previous is None:
            return None
        entry = self.previous.pages.get(path)
        if entry is None or entry[0] != recipe:
            return None
        touched = self.touched
        if any(h in touched for h in unpack(entry[2])):
            return None
        return Kept(entry[1], entry[2])


def recipe_digest(page, later: dict | None) -> bytes:
    """What the plan gives the page (writer.Page), and what its `later` gave, hashed by value."""
    try:
        return stable_digest((page.path, page.template, page.iri, page.holds, page.lang, page.ctx, later))
    except TypeError as e:
        raise TypeError(f"{page.path} ({page.template}): {e}") from None


def made_recipe(template: str, path: str, key: str) -> bytes:
    """The recipe of a page made when written from its key alone (pages.LazyPages.recorded): what making it
    reads is recorded with what rendering it reads."""
    return stable_digest(("made", template, path, key))


def lines_digests(sources) -> dict[str, bytes]:
    """Document IRI → the 8-byte hashes of its source lines, one after the other (what line_key names)."""
    return {doc: b"".join(hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=8).digest()
                          for line in sources[doc]) for doc in sources}


def _changed_lines(doc: str, old: bytes, new: bytes) -> Iterator[str]:
    """The line_keys of the lines that differ between two lines_digests of a document, or exist in one only."""
    for n in range(1, max(len(old), len(new)) // 8 + 1):
        if old[(n - 1) * 8:n * 8] != new[(n - 1) * 8:n * 8]:
            yield line_key(doc, n)


def site_digest(*shared) -> bytes:
    return stable_digest((LEDGER_FORMAT, *shared))


def prepare(ledger_path: Path, previous_build: Path, dump: Path, site: bytes, english: set[str],
            lines: dict[str, bytes], quads_of: Callable[[ox.NamedNode | ox.BlankNode], int],
            facts: dict[int, bytes] | None = None, item_docs: dict[str, str] | None = None) -> Reuse:
    """What may be kept of `previous_build`'s site, given the new build's sorted N-Quads `dump`, its site_digest,
    its pages with an English version, its documents' lines (lines_digests), how to count a subject's quads in
    its graph (changed_keys), its plan's facts (hashed_facts) and each item's document."""
    ledger = Ledger.load(ledger_path)
    old_dump, old_site = previous_build / "helsegraf.nq", previous_build / "site"
    if ledger is None:
        return Reuse(why_not="no ledger of a previous site in the cache")
    if ledger.site != site:
        return Reuse(why_not="the code, templates, mappings or deployment changed")
    if not old_site.is_dir() or not old_dump.is_file() or file_sha256(old_dump) != ledger.graph:
        return Reuse(why_not="the previous build is not the one the cache's ledger describes")
    touched = changed_keys(old_dump, dump, quads_of) | {english_key(p) for p in ledger.english ^ english}
    for doc in ledger.lines.keys() | lines.keys():
        if ledger.lines.get(doc) != lines.get(doc):
            touched |= set(_changed_lines(doc, ledger.lines.get(doc, b""), lines.get(doc, b"")))
    item_docs, facts = item_docs or {}, facts or {}
    touched |= {PLAN + item_docs[k[len(INCOMING):]] for k in touched
                if k.startswith(INCOMING) and k[len(INCOMING):] in item_docs}
    hashes = {key_hash(k) for k in touched}
    hashes |= {h for h in ledger.facts.keys() | facts.keys() if ledger.facts.get(h) != facts.get(h)}
    return Reuse(old_site, ledger, frozenset(hashes))


def hashed_facts(facts: dict[str, bytes]) -> dict[int, bytes]:
    """PLAN key -> digest, keyed by the key's hash as a page's reads are (the ledger holds one per item)."""
    return {key_hash(k): v for k, v in facts.items()}


def changed_keys(old: Path, new: Path, quads_of: Callable[[ox.NamedNode | ox.BlankNode], int]) -> set[str]:
    """The keys (dependencies.py) that the quads in one of two sorted N-Quads dumps and not the other touch.
    `quads_of(subject)` counts the subject's quads in the new graph: whether it is described at all changed
    only where all its quads before, or all now, are among the differing ones."""
    keys: set[str] = set()
    balance: dict[str, list] = {}  # subject key -> [the term, quads added, quads removed]
    for line, added in _differing(old, new):
        [q] = ox.parse(line, format=ox.RdfFormat.N_QUADS)
        s, p, o = q.subject, q.predicate.value, q.object
        k = node_key(s)
        keys.add(TRIPLES + k)
        if isinstance(s, ox.NamedNode) and "#" in k:
            keys.add(TRIPLES + k.split("#", 1)[0])  # its resource's page shows the fragment
        if p in LABEL_PROPS:
            keys.add(LABEL + k)
        elif p == RDF_TYPE:
            keys.add(TYPES + k)
        if isinstance(o, (ox.NamedNode, ox.BlankNode)):
            keys.add(INCOMING + node_key(o))
        entry = balance.setdefault(k, [s, 0, 0])
        entry[1 if added else 2] += 1
    for k, (s, plus, minus) in balance.items():
        now = quads_of(s)
        if (now > 0) != (now - plus + minus > 0):
            keys.add(HAS + k)
    return keys


def _differing(a: Path, b: Path) -> Iterator[tuple[bytes, bool]]:
    """The lines of two sorted files that are in one and not the other (a merge of the two), each with whether it
    is in the second (added) or the first (removed)."""
    with open(a, "rb") as fa, open(b, "rb") as fb:
        x, y = fa.readline(), fb.readline()
        while x or y:
            if x == y:
                x, y = fa.readline(), fb.readline()
            elif not y or (x and x < y):
                yield x, False
                x = fa.readline()
            else:
                yield y, True
                y = fb.readline()


def ledger_of(records, site: bytes, graph: str, english: set[str], lines: dict[str, bytes],
              facts: dict[int, bytes] | None = None) -> Ledger:
    return Ledger(site, graph, frozenset(english), lines, {r.path: (r.recipe, r.suffixes, r.reads) for r in records},
                  facts or {})
