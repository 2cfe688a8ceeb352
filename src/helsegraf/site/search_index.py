"""The site's full-text search: Pagefind (pagefind[bin] from PyPI, run offline) indexes the rendered pages that
carry data-pagefind-body (documents, measures, entities, ontology terms) into site/pagefind/.

Pagefind reads every HTML file it is pointed at and holds them in memory until it writes the index, though it
indexes only the pages with data-pagefind-body once one page has it. So it is pointed at a folder of hard links to
those pages alone (a page that merely mentions the attribute comes too and is left out by Pagefind as before): the
same index, from a ninth of the files on the corpus, in a third of the time and 40 % of the memory
(bench/results/scale.txt).

What it holds grows with the pages it indexes (3.9 GiB for the 49,063 of the 64x synthetic corpus), so a large
site is indexed in bundles of at most PAGES_PER_BUNDLE pages, one Pagefind run each, one after the other:
site/pagefind/, then site/pagefind-2/, … The search page merges the others into the first (Pagefind's mergeIndex),
as BUNDLES lists them.

A bundle holds whole documents (a document's pages in both languages), put in a bucket by a hash of the document's
slug: a change to one document changes its bucket's bundle alone. A rebuild that kept a bundle's every page from
the previous build, the bundle the same pages as one of the previous build's and Pagefind the same version, links
that bundle from the previous build rather than running Pagefind on it (`Previous`).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import HelsegrafError

MARKER = b"data-pagefind-body"
# Pagefind's peak at this many pages: 1.2 GiB, 5 % more time than one bundle at 64x (bench/results/search_bundles.txt).
# The corpus's site (under 2,000 searchable pages) is one bundle.
PAGES_PER_BUNDLE = 10_000
BUNDLES = "pagefind-bundles.json"  # the bundles' folders, from the site's root, the first the one search.js loads


def bundle_folder(n: int) -> str:
    """The folder of the n-th bundle (from 0), from the site's root."""
    return "pagefind" if n == 0 else f"pagefind-{n + 1}"


# Buckets per bundle's worth of pages, at least: a hash does not share pages out evenly, and a bucket past
# PAGES_PER_BUNDLE is cut into bundles of that many (whose bounds move as pages come and go within it). The count is
# a power of two, so that it changes (and every document moves) only when the site doubles.
BUCKETS_PER_BUNDLE = 1.5


@dataclass(frozen=True)
class Previous:
    """What a rebuild can take of the previous build's search index: its site, the record index_site gave for it,
    and the paths of this build's pages that were not taken from that site (rendered anew)."""
    site: Path
    record: dict
    fresh: frozenset[str]


@dataclass(frozen=True)
class Indexed:
    pages: int  # given to Pagefind (or in a bundle kept)
    bundles: int
    kept: int = 0  # bundles linked from the previous build
    record: dict = field(default_factory=dict)  # Pagefind's version and each bundle's pages: for the next build


def document_of(path: str) -> str:
    """What a page changes with: its document (a document's page and those in its folder, in either language),
    else the folder it sits in."""
    parts = (path[3:] if path.startswith("en/") else path).split("/")
    if parts[0] == "id" and len(parts) > 1:
        return parts[1][:-5] if len(parts) == 2 and parts[1].endswith(".html") else parts[1]
    return "/".join(parts[:-1])


def plan_bundles(paths: list[str], pages_per_bundle: int) -> list[list[str]]:
    """The pages in bundles of at most `pages_per_bundle`: all in one where they fit, else a bucket per document
    by a hash of it (BUCKETS_PER_BUNDLE), each cut into bundles of at most that many."""
    paths = sorted(paths)
    if len(paths) <= pages_per_bundle:
        return [paths] if paths else []
    n = 1 << math.ceil(math.log2(BUCKETS_PER_BUNDLE * len(paths) / pages_per_bundle))
    buckets: list[list[str]] = [[] for _ in range(n)]
    for p in paths:
        h = hashlib.blake2b(document_of(p).encode("utf-8"), digest_size=8).digest()
        buckets[int.from_bytes(h, "little") % len(buckets)].append(p)
    return [b[i:i + pages_per_bundle] for b in buckets for i in range(0, len(b), pages_per_bundle)]


def index_site(site: Path, candidates: Iterable[str] | None = None, pages_per_bundle: int = PAGES_PER_BUNDLE,
               previous: Previous | None = None) -> Indexed:
    """Index the site. `candidates` are the paths (from the site's root) of the pages that may carry the marker,
    where the caller knows them (the pages of the templates that do): at 64x, reading every page of the site to
    find them was much of this stage. With `previous`, a bundle whose pages are all kept is linked from there."""
    if pages_per_bundle < 1:
        raise ValueError("pages_per_bundle must be at least 1")
    pages = ([str(p.relative_to(site)) for p in site.rglob("*.html")] if candidates is None else list(candidates))
    marked = [p for p in pages if MARKER in (site / p).read_bytes()]
    if not marked:
        raise HelsegrafError(f"no page of {site} carries {MARKER.decode()}: nothing to index")
    version = pagefind_version()
    before: dict[tuple[str, ...], str] = {}
    if previous is not None and previous.record.get("pagefind") == version:
        bundles = previous.record.get("bundles")
        if isinstance(bundles, dict):  # a record edited by hand into something else keeps nothing
            before = {tuple(ps): folder for folder, ps in bundles.items()
                      if isinstance(folder, str) and re.fullmatch(r"pagefind(-[0-9]+)?", folder)
                      and isinstance(ps, list) and all(isinstance(p, str) for p in ps)}
    bundles = plan_bundles(marked, pages_per_bundle)
    kept = 0
    for n, bundle in enumerate(bundles):
        was = before.get(tuple(bundle))
        if was is not None and previous.fresh.isdisjoint(bundle) and _link_bundle(previous.site / was,
                                                                                   site / bundle_folder(n)):
            kept += 1
        else:
            _index(site, [site / p for p in bundle], site / bundle_folder(n))
    (site / BUNDLES).write_text(json.dumps({"bundles": [bundle_folder(n) + "/" for n in range(len(bundles))]})
                                + "\n", encoding="utf-8")
    record = {"pagefind": version, "bundles": {bundle_folder(n): b for n, b in enumerate(bundles)}}
    return Indexed(len(marked), len(bundles), kept, record)


@lru_cache(maxsize=1)
def pagefind_version() -> str:
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise HelsegrafError(f"pagefind --version failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()[:500]}")
    return proc.stdout.strip()


def _link_bundle(old: Path, new: Path) -> bool:
    """The previous build's bundle at `old`, linked file by file to `new` (its files are never written to again);
    False, with nothing left, where it is not whole there."""
    if not (old / "pagefind-entry.json").is_file():
        return False
    try:
        shutil.copytree(old, new, copy_function=_link_or_copy)
    except (OSError, shutil.Error):
        shutil.rmtree(new, ignore_errors=True)
        return False
    return True


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system, or no hard links there
        shutil.copy2(src, dst)


def _index(site: Path, pages: list[Path], output: Path) -> None:
    """One Pagefind run over `pages`, its bundle written to `output`."""
    with tempfile.TemporaryDirectory(dir=site.parent, prefix=".pagefind-") as staging:
        _link(site, pages, Path(staging))
        cmd = [sys.executable, "-m", "pagefind", "--site", staging, "--output-path", str(output),
               "--force-language", "nb"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise HelsegrafError(f"pagefind failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()[:500]}")
    if not (output / "pagefind.js").is_file():
        raise HelsegrafError(f"pagefind wrote no search bundle in {output}")


def marked_templates(folder: Path) -> set[str]:
    """The names of the templates that carry the marker."""
    return {t.name for t in folder.glob("*.html") if MARKER in t.read_bytes()}


def _link(site: Path, pages: list[Path], staging: Path) -> None:
    for page in pages:
        target = staging / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(str(page), str(target))
