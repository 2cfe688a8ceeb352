"""The work each document needs on its own — read and parse it, map it to RDF, find what it mentions, type its
items and find their features for tracing — as one function of the document and its inputs, so that it runs on
every core (or on a Dask cluster) and is done again only when one of those inputs changed.

A document's result is cached under a key that hashes everything it is made from: the source file's bytes, its
manifest entry, every file of the mappings folder, the code of this package and the base IRI. A rebuild finds
the results of unchanged documents there and redoes the rest. What comes after runs over the whole corpus, taking
from the same cache folder what it can tell is unchanged — a pair of documents' trace links (traces/pairs.py), a
subject's SHACL verdict (validation.py), a page of the site (site/reuse.py) — so an incremental build writes the
same bytes as a clean one (tests/test_document_work.py compares them).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Iterable

from rdflib import Graph

from .entities.catalogue import load_catalogue
from .fingerprints import code_fingerprint, folder_fingerprint
from .entities.matcher import Matcher
from .entities.mentions import find_mentions
from .entities.roles import load_roles
from .parse import parse_document
from .rdf.documents import map_document
from .rdf.entities import mentions_graph
from .rdf.iris import Iris
from .records import Mention, ParsedDocument
from .cores import default_jobs
from .sources import SourceDoc
from .traces import Prepared, prepare_document

CACHE_FORMAT = "2"  # bump when DocumentResult changes shape


@dataclass
class DocumentResult:
    slug: str
    parsed: ParsedDocument
    mentions: list[Mention]
    own: bytes  # the document's named graph (its parts, items and mentions) as N-Triples, sorted
    curated: bytes  # its curated metadata (manifest facts the text does not state), N-Triples, sorted
    traced: Prepared  # what tracing needs of it: its items typed, their features, their time expressions


@functools.lru_cache(maxsize=4)
def _matcher(mappings: Path, fingerprint: str) -> Matcher:
    """One matcher per process and version of the mappings (a worker maps many documents with it; an edited
    mappings folder at the same path gets a new one)."""
    return Matcher(load_catalogue(mappings), load_roles(mappings / "roles.toml"))


def _ntriples(*graphs: Graph) -> bytes:
    """The union of the graphs as N-Triples, a line each, sorted. Serialized one by one: a triple's line is the
    same whichever graph holds it, and adding the mentions to the document's graph in rdflib took longer than
    writing both (0.45 s of a white paper's work)."""
    lines = {line for g in graphs for line in g.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)}
    return b"".join(sorted(line for line in lines if line.strip()))


def work(doc: SourceDoc, base_iri: str, mappings: Path, check_sha256: bool = True,
         mappings_hash: str | None = None) -> DocumentResult:
    """Parse, map and find the mentions of one document, and type its items for tracing."""
    iris = Iris(base_iri)
    fingerprint = mappings_hash or folder_fingerprint(mappings)
    parsed = parse_document(doc, check_sha256=check_sha256)
    own, curated = map_document(doc, parsed, iris)
    mentions = find_mentions(parsed, _matcher(mappings, fingerprint))
    return DocumentResult(doc.slug, parsed, mentions, _ntriples(own, mentions_graph(doc.slug, mentions, iris)),
                          _ntriples(curated),
                          prepare_document(doc, parsed, mentions, mappings, fingerprint))


def cache_key(doc: SourceDoc, base_iri: str, mappings_hash: str) -> str:
    """What the document's result depends on. The manifest entry counts field by field, but not where the file or
    the entry sit (a moved checkout reuses its cache); the file counts by its bytes."""
    h = hashlib.sha256()
    entry = {f.name: getattr(doc, f.name) for f in fields(doc) if f.name not in ("path", "manifest_line")}
    for part in (CACHE_FORMAT, code_fingerprint(), mappings_hash, base_iri, repr(sorted(entry.items())),
                 hashlib.sha256(doc.path.read_bytes()).hexdigest() if doc.path.is_file() else "missing"):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


class Cache:
    """Documents' results on disk, one file per document and key; a file that cannot be read is a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, slug: str, key: str) -> Path:
        return self.folder / f"{slug}.{key[:32]}.pickle"

    def has(self, slug: str, key: str) -> bool:
        return self._path(slug, key).is_file()

    def get(self, slug: str, key: str) -> DocumentResult | None:
        path = self._path(slug, key)
        try:
            result = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
        return result if isinstance(result, DocumentResult) and result.slug == slug else None

    def keep_only(self, slugs: set[str]) -> None:
        """Forget the documents the manifest no longer names, so the cache does not outgrow the corpus."""
        for path in self.folder.glob("*.pickle"):
            if path.name.split(".", 1)[0] not in slugs:
                path.unlink(missing_ok=True)

    def put(self, key: str, result: DocumentResult) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob(f"{result.slug}.*.pickle"):  # one entry per document: the latest
            old.unlink(missing_ok=True)
        path = self._path(result.slug, key)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)


@dataclass
class Outcome:
    results: Iterable[DocumentResult]  # in the manifest's order
    redone: list[str]  # slugs of the documents worked on (not found in the cache); complete once results are read
    keys: list[str] = field(default_factory=list)  # each document's cache key, in the manifest's order (with a cache)


def run_all(docs: list[SourceDoc], base_iri: str, mappings: Path, check_sha256: bool = True,
            jobs: int | None = None, cache: Cache | None = None, executor: Executor | None = None) -> Outcome:
    """Every document's result, in a list: `run_each` read to the end."""
    outcome = run_each(docs, base_iri, mappings, check_sha256, jobs, cache, executor)
    return Outcome(list(outcome.results), outcome.redone, outcome.keys)


def run_each(docs: list[SourceDoc], base_iri: str, mappings: Path, check_sha256: bool = True,
             jobs: int | None = None, cache: Cache | None = None, executor: Executor | None = None) -> Outcome:
    """Every document's result, one at a time as they come (so that a large corpus is never held whole), from the
    cache where its key is there, else worked out: on `executor` if one is given (e.g. a Dask client's), else on
    `jobs` processes (default: every core), else in this process. A cache entry found but unreadable is worked
    out here when its turn comes."""
    mappings_hash = folder_fingerprint(mappings)
    keys = [cache_key(d, base_iri, mappings_hash) for d in docs] if cache else [""] * len(docs)
    if cache:
        cache.keep_only({d.slug for d in docs})
    todo = [i for i, (d, k) in enumerate(zip(docs, keys)) if not (cache and cache.has(d.slug, k))]
    redone = [docs[i].slug for i in todo]
    return Outcome(_each(docs, keys, set(todo), redone, base_iri, mappings, check_sha256, mappings_hash, jobs, cache,
                         executor), redone, keys if cache else [])


# Cached documents read ahead, at most, while the main process waits for a document being worked on: their reading
# (unpickling) then overlaps the work rather than following it.
READ_AHEAD = 16


def _each(docs, keys, todo, redone, base_iri, mappings, check_sha256, mappings_hash, jobs, cache, executor):
    order = [docs[i] for i in sorted(todo)]
    jobs = max(1, min(jobs or default_jobs(), len(order) or 1))
    with contextlib.ExitStack() as stack:
        submit = None
        if executor is not None:
            submit = executor.submit
        elif jobs > 1 and "fork" in get_all_start_methods():
            submit = stack.enter_context(ProcessPoolExecutor(jobs, mp_context=get_context("fork"))).submit
        if submit is not None:
            worked = iter([submit(work, d, base_iri, mappings, check_sha256, mappings_hash) for d in order])
        else:
            worked = (work(d, base_iri, mappings, check_sha256, mappings_hash) for d in order)
        ahead: dict[int, DocumentResult | None] = {}
        for i, (doc, key) in enumerate(zip(docs, keys)):
            fresh = i in todo
            if fresh:
                result = next(worked)
                if submit is not None:
                    _read_ahead(result, i, docs, keys, todo, cache, ahead)
                    result = result.result()
            else:
                result = ahead.pop(i) if i in ahead else cache.get(doc.slug, key)
            if result is None:  # in the cache, but not readable
                fresh, result = True, work(doc, base_iri, mappings, check_sha256, mappings_hash)
                redone.append(doc.slug)
            if cache and fresh:
                cache.put(key, result)
            yield result


def _read_ahead(future, i, docs, keys, todo, cache, ahead) -> None:
    """While `future` (document i's work) runs, read the cached documents after it, up to READ_AHEAD."""
    j = i + 1
    while not future.done() and j < len(docs) and len(ahead) < READ_AHEAD:
        if j not in todo and j not in ahead:
            ahead[j] = cache.get(docs[j].slug, keys[j])
        j += 1
