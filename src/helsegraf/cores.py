"""How many processes the build's parallel stages (the documents, validation, the site's pages) use by default."""

from __future__ import annotations

import os

from .errors import UsageError

# For a machine that runs several builds at once (a test run with a worker per core, say), where each build's own
# processes would only contend with the others: the serial path costs the least CPU there.
JOBS_VARIABLE = "HELSEGRAF_JOBS"


def default_jobs() -> int:
    """HELSEGRAF_JOBS when it is set, else the cores this process may run on (its CPU affinity, which a container
    or `taskset` narrows), else all."""
    value = os.environ.get(JOBS_VARIABLE, "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise UsageError(f"{JOBS_VARIABLE} must be a whole number of processes, 1 or more, not {value!r}")
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
