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
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
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


def index_site(site: Path, candidates: Iterable[str] | None = None, pages_per_bundle: int = PAGES_PER_BUNDLE) -> int:
    """Index the site; returns how many pages were given to Pagefind. `candidates` are the paths (from the site's
    root) of the pages that may carry the marker, where the caller knows them (the pages of the templates that
    do): at 64x, reading every page of the site to find them was much of this stage."""
    if pages_per_bundle < 1:
        raise ValueError("pages_per_bundle must be at least 1")
    pages = sorted(site.rglob("*.html")) if candidates is None else [site / p for p in sorted(candidates)]
    marked = [p for p in pages if MARKER in p.read_bytes()]
    if not marked:
        raise HelsegrafError(f"no page of {site} carries {MARKER.decode()}: nothing to index")
    bundles = [marked[i:i + pages_per_bundle] for i in range(0, len(marked), pages_per_bundle)]
    for n, bundle in enumerate(bundles):
        _index(site, bundle, site / bundle_folder(n))
    (site / BUNDLES).write_text(json.dumps({"bundles": [bundle_folder(n) + "/" for n in range(len(bundles))]})
                                + "\n", encoding="utf-8")
    return len(marked)


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
        try:
            os.link(page, target)
        except OSError:  # another file system, or no hard links there
            shutil.copyfile(page, target)
