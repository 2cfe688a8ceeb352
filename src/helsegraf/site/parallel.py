"""Writing the planned pages on every core: forked workers share the plan copy-on-write, each opens the store on
its own (store_view.py) and writes runs of pages as it comes free. Pages are independent files, so the result does
not depend on how they were shared out."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence

from .. import memory
from ..cores import default_jobs
from .reuse import PageRecord
from .writer import Page, Writer

_WORK: tuple[Writer, Sequence[Page]] | None = None  # set before the fork; the workers inherit it
# Pages are planned in reading order, so a run of them shares its neighbours: a worker takes runs of this many, and
# what it read from the store for one page serves the next (store_view.py's cache).
RUN = 200


def _write_run(start: int) -> tuple[int, list[PageRecord]]:
    writer, pages = _WORK
    return _write(writer, pages, start, min(start + RUN, len(pages)))


def _write(writer: Writer, pages: Sequence[Page], start: int, stop: int) -> tuple[int, list[PageRecord]]:
    if writer.reuse is None:
        for page in pages[start:stop]:
            writer.write(page)
        return stop - start, []
    records = []
    lazy_at = getattr(pages, "lazy_at", lambda i: None)
    for i in range(start, stop):  # a page at a time: what making one reads is its own
        made = lazy_at(i)
        if made is not None and made[0].recorded:
            records.append(writer.write_made(*made))
        else:
            records.append(writer.write(pages[i]))
    return stop - start, records


def write_all(writer: Writer, pages: Sequence[Page], jobs: int | None = None) -> tuple[int, list[PageRecord]]:
    """Write every page; how many, and (with writer.reuse set) the record of each for the next build."""
    global _WORK
    jobs = max(1, min(jobs or default_jobs(), len(pages) or 1))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _write(writer, pages, 0, len(pages))
    _WORK = (writer, pages)
    writer.compile_templates()
    # what planning read and freed (the store's query memory, its handle) is let go before the workers copy it
    writer.view.release()
    memory.release()
    try:
        written, records = 0, []
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for n, run in pool.imap_unordered(_write_run, range(0, len(pages), RUN)):
                written += n
                records += run
        return written, records
    finally:
        _WORK = None
