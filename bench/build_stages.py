"""Build time per stage on the real sources: runs the full build several times and reports the median.

Usage: python bench/build_stages.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from helsegraf.build import build  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    stages: dict[str, list[float]] = {}
    totals = []
    result = None
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            result = build(Path(tmp) / "build")
            totals.append(time.perf_counter() - t)
            for k, v in result.seconds.items():
                stages.setdefault(k, []).append(v)
    print(f"machine: {describe()}")
    print(f"runs: {args.runs}; triples: {result.triples}; pages: {result.pages}")
    print(f"{'stage':<12} {'median s':>9} {'min s':>7} {'max s':>7}")
    for k, v in stages.items():
        print(f"{k:<12} {statistics.median(v):>9.3f} {min(v):>7.3f} {max(v):>7.3f}")
    print(f"{'total':<12} {statistics.median(totals):>9.3f} {min(totals):>7.3f} {max(totals):>7.3f}")


if __name__ == "__main__":
    main()
