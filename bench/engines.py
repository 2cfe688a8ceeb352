"""Which engine runs the per-document work (helsegraf.document_work.work: parse, map, find mentions) when one
machine is not enough: the same function on the same synthetic corpus, side by side in one run —

  serial        one process
  processes     concurrent.futures.ProcessPoolExecutor (fork), what `helsegraf build` uses on one machine
  dask          Dask distributed: a LocalCluster of N worker processes, one thread each, through
                Client.get_executor() (what `helsegraf build --dask ADDRESS` uses)
  ray           Ray: ray.init(num_cpus=N), the function as a remote task

For each: the seconds to start the engine (apart), the seconds of the work (median of the runs), whether the
results equal the serial ones, and the peak resident memory of this process and of its children. Every run does
the work again: nothing is cached (the cache of document_work is off).

Usage: python bench/engines.py [--copies K] [--workers N] [--runs R] [--out bench/results/engines.txt]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from machine import describe, report  # noqa: E402
from bench.synthetic import write_corpus  # noqa: E402
from helsegraf.document_work import run_all, work  # noqa: E402
from helsegraf.paths import mappings_dir  # noqa: E402
from helsegraf.sources import load_manifest  # noqa: E402

BASE = "https://w3id.org/helsegraf/"


def timed(fn, runs: int):
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    mappings = mappings_dir()
    with tempfile.TemporaryDirectory() as tmp:
        docs = list(load_manifest(write_corpus(Path(tmp) / "sources", copies=args.copies)).documents)
        rows = []
        serial_s, serial = timed(lambda: run_all(docs, BASE, mappings, jobs=1).results, args.runs)
        rows.append(("serial", 0.0, serial_s, True))

        t = time.perf_counter()
        pool = ProcessPoolExecutor(args.workers, mp_context=get_context("fork"))
        list(pool.map(abs, range(args.workers)))  # the workers exist
        start = time.perf_counter() - t
        s, got = timed(lambda: run_all(docs, BASE, mappings, executor=pool).results, args.runs)
        pool.shutdown()
        rows.append(("processes", start, s, got == serial))

        import distributed

        t = time.perf_counter()
        cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                           dashboard_address=None, host="127.0.0.1")
        client = distributed.Client(cluster)
        start = time.perf_counter() - t
        s, got = timed(lambda: run_all(docs, BASE, mappings, executor=client.get_executor()).results, args.runs)
        client.close()
        cluster.close()
        rows.append((f"dask {distributed.__version__}", start, s, got == serial))

        import ray

        t = time.perf_counter()
        ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
        remote = ray.remote(work)
        ray.get([remote.remote(docs[0], BASE, mappings)])  # the workers are up and have imported helsegraf
        start = time.perf_counter() - t
        s, got = timed(lambda: ray.get([remote.remote(d, BASE, mappings) for d in docs]), args.runs)
        ray.shutdown()
        rows.append((f"ray {ray.__version__}", start, s, got == serial))

    lines = [f"machine: {describe()}",
             f"work: document_work.work on bench/synthetic.py --copies {args.copies} ({len(docs)} documents), "
             f"{args.workers} workers, median of {args.runs} runs", "",
             f"{'engine':<22}{'start s':>9}{'work s':>9}{'vs serial':>11}  same results"]
    for name, start, s, same in rows:
        lines.append(f"{name:<22}{start:>9.2f}{s:>9.2f}{serial_s / s:>10.2f}x  {'yes' if same else 'NO'}")
    lines.append(f"\npeak memory: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB, "
                 f"largest child {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB")
    report(lines, args.out)


if __name__ == "__main__":
    main()
