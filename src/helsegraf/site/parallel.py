"""Writing the planned pages on every core: forked workers share the plan copy-on-write, each opens the store on
its own (store_view.py) and writes runs of pages as it comes free. Pages are independent files, so the result does
not depend on how they were shared out."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence

from .. import memory
from ..cores import default_jobs
from .writer import Page, Writer

_WORK: tuple[Writer, Sequence[Page]] | None = None  # set before the fork; the workers inherit it
# Pages are planned in reading order, so a run of them shares its neighbours: a worker takes runs of this many, and
# what it read from the store for one page serves the next (store_view.py's cache).
RUN = 200


def _write_run(start: int) -> int:
    writer, pages = _WORK
    run = pages[start:start + RUN]
    for page in run:
        writer.write(page)
    return len(run)


def write_all(writer: Writer, pages: Sequence[Page], jobs: int | None = None) -> int:
    global _WORK
    jobs = max(1, min(jobs or default_jobs(), len(pages) or 1))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for page in pages:
            writer.write(page)
        return len(pages)
    _WORK = (writer, pages)
    # what planning read and freed (the store's query memory, its handle) is let go before the workers copy it
    writer.view.release()
    memory.release()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return sum(pool.imap_unordered(_write_run, range(0, len(pages), RUN)))
    finally:
        _WORK = None
