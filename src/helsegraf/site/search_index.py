"""The site's full-text search: Pagefind (pagefind[bin] from PyPI, run offline) indexes the rendered pages that
carry data-pagefind-body (documents, measures, entities, ontology terms) into site/pagefind/.

Pagefind reads every HTML file it is pointed at and holds them in memory until it writes the index, though it
indexes only the pages with data-pagefind-body once one page has it. So it is pointed at a folder of hard links to
those pages alone (a page that merely mentions the attribute comes too and is left out by Pagefind as before): the
same index, from a ninth of the files on the corpus, in a third of the time and 40 % of the memory
(bench/results/scale.txt).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import HelsegrafError

MARKER = b"data-pagefind-body"


def index_site(site: Path, candidates: Iterable[str] | None = None) -> int:
    """Index the site; returns how many pages were given to Pagefind. `candidates` are the paths (from the site's
    root) of the pages that may carry the marker, where the caller knows them (the pages of the templates that
    do): at 64x, reading every page of the site to find them was much of this stage."""
    with tempfile.TemporaryDirectory(dir=site.parent, prefix=".pagefind-") as staging:
        pages = sorted(site.rglob("*.html")) if candidates is None else [site / p for p in sorted(candidates)]
        n = _link_indexed_pages(site, pages, Path(staging))
        if not n:
            raise HelsegrafError(f"no page of {site} carries {MARKER.decode()}: nothing to index")
        cmd = [sys.executable, "-m", "pagefind", "--site", staging, "--output-path", str(site / "pagefind"),
               "--force-language", "nb"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise HelsegrafError(f"pagefind failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()[:500]}")
    if not (site / "pagefind" / "pagefind-ui.js").is_file():
        raise HelsegrafError("pagefind wrote no search bundle")
    return n


def marked_templates(folder: Path) -> set[str]:
    """The names of the templates that carry the marker."""
    return {t.name for t in folder.glob("*.html") if MARKER in t.read_bytes()}


def _link_indexed_pages(site: Path, pages: list[Path], staging: Path) -> int:
    n = 0
    for page in pages:
        if MARKER in page.read_bytes():
            target = staging / page.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(page, target)
            except OSError:  # another file system, or no hard links there
                shutil.copyfile(page, target)
            n += 1
    return n
