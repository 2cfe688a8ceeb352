"""Pages made on request against pages written as files, side by side in one run: `helsegraf serve`'s site over a
build that wrote every page (`--generic-pages files`: Starlette's StaticFiles under granian) and over a build of the
same corpus that left its generic pages to `serve` (`--generic-pages served`: each made from the store when asked).

Each peer is asked for the same generic pages (the pages under id/ the served build did not write), every page
once and in a shuffled order, so neither answer comes from a cache of its own making; first one client at a time
(latency: p50, p95, p99), then CONCURRENCY clients at once (throughput). Only 200 answers whose bytes are the
file's are counted. Reports the machine it ran on.

Usage: python bench/made_pages.py FILES_BUILD SERVED_BUILD [--pages 2000] [--out bench/results/made_pages.txt]
(the two builds' folders, e.g. those bench/scale.py --generic-pages files served --keep leaves)
"""

from __future__ import annotations

import argparse
import http.client
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from machine import describe, report  # noqa: E402

from helsegraf.serving.limits import Limits  # noqa: E402
from helsegraf.serving.servers import Servers, free_port  # noqa: E402

CONCURRENCY = 8


def left_to_serve(files: Path, served: Path, limit: int, seed: int = 1) -> list[str]:
    """Up to `limit` pages (paths from the site's root) the served build did not write, shuffled."""
    found = [p.relative_to(files).as_posix() for p in (files / "id").rglob("*.html")
             if not (served / p.relative_to(files)).exists()]
    random.Random(seed).shuffle(found)
    return found[:limit]


def fetch(host: str, port: int, paths: list[str], files: Path) -> tuple[list[float], int]:
    """Each path's seconds on one keep-alive connection, and how many answers were not the file's bytes."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    times, wrong = [], 0
    for path in paths:
        t = time.perf_counter()
        conn.request("GET", "/" + path)
        r = conn.getresponse()
        body = r.read()
        times.append(time.perf_counter() - t)
        wrong += r.status != 200 or body != (files / path).read_bytes()
    conn.close()
    return times, wrong


def measure(name: str, out: Path, paths: list[str], files: Path) -> str:
    servers = Servers(out, "127.0.0.1", free_port(), free_port(), Limits(timeout_s=10, workers=1))
    servers.start()
    try:
        host, port = "127.0.0.1", int(servers.site_url.rstrip("/").rsplit(":", 1)[1])
        half = len(paths) // 2
        one, wrong1 = fetch(host, port, paths[:half], files)
        chunks = [paths[half + i::CONCURRENCY] for i in range(CONCURRENCY)]
        t = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            results = list(pool.map(lambda c: fetch(host, port, c, files), chunks))
        wall = time.perf_counter() - t
    finally:
        servers.stop()
    many = sum(len(r[0]) for r in results)
    q = statistics.quantiles(one, n=100)
    return (f"{name:<8} {len(one):>6} {q[49] * 1000:>8.2f} {q[94] * 1000:>8.2f} {q[98] * 1000:>8.2f} "
            f"{many / wall:>12.0f} {wrong1 + sum(r[1] for r in results):>6}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files_build", type=Path)
    ap.add_argument("served_build", type=Path)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    files = args.files_build / "site"
    paths = left_to_serve(files, args.served_build / "site", args.pages)
    if not paths:
        sys.exit("the served build left no page to serve that the files build has")
    lines = [f"machine: {describe()}", f"builds: {args.files_build} (files), {args.served_build} (served); "
             f"{len(paths)} generic pages, each asked for once: half one at a time, half by {CONCURRENCY} clients", "",
             f"{'peer':<8} {'pages':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'pages/s (8)':>12} {'wrong':>6}"]
    lines.append(measure("files", args.files_build, paths, files))
    lines.append(measure("served", args.served_build, paths, files))
    report(lines, args.out)


if __name__ == "__main__":
    main()
