"""Pagefind's memory and time against the size of the search index's bundles, side by side in one run, on a built
site: the whole index in one run of Pagefind, then in bundles of each size given (site/search_index.py).

The searchable pages of SITE (those with the marker) are hard-linked into a scratch folder, which each size indexes
afresh; the peak resident memory of every Pagefind process is read from /proc while it runs
(bench/process_peaks.py), and the largest is reported with the bundles' count, the wall time and the index's size.

Usage: python bench/search_bundles.py SITE [--sizes 0 10000 5000] [--out bench/results/search_bundles.txt]
       (a size of 0: the whole index in one bundle)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe, report  # noqa: E402
from process_peaks import ProcessPeaks  # noqa: E402

from helsegraf.site.search_index import MARKER, index_site  # noqa: E402


def searchable_copy(site: Path, into: Path) -> int:
    """Hard links to the pages of `site` that carry the marker, at their paths under `into`; how many."""
    n = 0
    for page in sorted(site.rglob("*.html")):
        if "pagefind" in page.relative_to(site).parts[0] or MARKER not in page.read_bytes():
            continue
        target = into / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, target)
        n += 1
    return n


def measure(scratch: Path, size: int, pages: int) -> dict:
    for old in scratch.glob("pagefind*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    with ProcessPeaks(os.getpid(), every=0.2) as peaks:
        t = time.perf_counter()
        indexed = index_site(scratch, None, size or pages)
        wall = time.perf_counter() - t
    bundles = sorted(p for p in scratch.glob("pagefind*") if p.is_dir())
    size_bytes = sum(f.stat().st_size for b in bundles for f in b.rglob("*") if f.is_file())
    pagefind = [mib for (pid, name), mib in peaks.peaks.items() if pid != os.getpid()]
    return {"size": size or pages, "bundles": len(bundles), "indexed": indexed.pages, "wall": wall,
            "peak": max(pagefind, default=0.0), "bytes": size_bytes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000, 5_000])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.site.parent, prefix=".search-bundles-") as tmp:
        scratch = Path(tmp) / "site"
        pages = searchable_copy(args.site, scratch)
        if not pages:
            sys.exit(f"no page of {args.site} carries {MARKER.decode()}")
        rows = [measure(scratch, size, pages) for size in args.sizes]
    lines = [f"machine: {describe()}", f"site: {args.site} ({pages:,} searchable pages)", "",
             f"{'pages per bundle':>16} {'bundles':>7} {'indexed':>8} {'seconds':>8} {'largest Pagefind':>17} "
             f"{'index MiB':>9}"]
    for r in rows:
        lines.append(f"{r['size']:>16,} {r['bundles']:>7} {r['indexed']:>8,} {r['wall']:>8.1f} "
                     f"{r['peak']:>13.0f} MiB {r['bytes'] / 2**20:>9.1f}")
    report(lines, args.out)


if __name__ == "__main__":
    main()
