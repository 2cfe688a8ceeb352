"""Writing the planned pages on every core: forked workers share the snapshot and the plan copy-on-write, each
writes every n-th page. Pages are independent files, so the result does not depend on how they were shared out."""

from __future__ import annotations

import multiprocessing
import os

from .writer import Page, Writer

_WORK: tuple[Writer, list[Page]] | None = None  # set before the fork; the workers inherit it


def _write_share(share: tuple[int, int]) -> int:
    worker, workers = share
    writer, pages = _WORK
    for page in pages[worker::workers]:
        writer.write(page)
    return len(pages[worker::workers])


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def write_all(writer: Writer, pages: list[Page], jobs: int | None = None) -> int:
    global _WORK
    jobs = max(1, min(jobs or default_jobs(), len(pages) or 1))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for page in pages:
            writer.write(page)
        return len(pages)
    _WORK = (writer, pages)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return sum(pool.map(_write_share, [(i, jobs) for i in range(jobs)]))
    finally:
        _WORK = None
