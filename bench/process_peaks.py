"""The peak resident memory of every process a benchmark starts, each on its own, read from /proc while they run.

getrusage's figure for children is no use here: a child started by fork and exec (Pagefind, started by
subprocess) is charged the high-water mark of its parent's memory at the moment of the exec, so the build's
largest child always looked as large as the build's own peak (the 64x run reported 4,117 MiB for both). A
process's VmHWM in /proc/<pid>/status is its own address space's high-water mark: read every `every` seconds for
each process below the root, the largest value seen is that process's peak, but for what it gains in its last
moments before it exits.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field


def _status(pid: int) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)
    except OSError:  # gone, or not ours to read
        return {}


def descendants(root: int, statuses: dict[int, dict[str, str]]) -> list[int]:
    """The processes below `root` (children, their children …), from the parent each names in its status."""
    parents: dict[int, list[int]] = {}
    for pid, status in statuses.items():
        if ppid := status.get("PPid"):
            parents.setdefault(int(ppid), []).append(pid)
    out, todo = [], [root]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


@dataclass
class ProcessPeaks:
    """Samples the process tree under `root` on a thread until stopped: `peaks` maps (pid, command) to the largest
    VmHWM seen, in MiB."""
    root: int
    every: float = 0.5
    peaks: dict[tuple[int, str], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "ProcessPeaks":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self) -> None:
        statuses = {int(name): _status(int(name)) for name in os.listdir("/proc") if name.isdigit()}
        for pid in [self.root, *descendants(self.root, statuses)]:
            status = statuses.get(pid, {})
            if "VmHWM" in status:
                key = (pid, status.get("Name", "?"))
                self.peaks[key] = max(self.peaks.get(key, 0.0), int(status["VmHWM"].split()[0]) / 1024)

    def largest_below_root(self) -> tuple[str, float]:
        """The command and peak of the largest process below the root ("", 0 when there was none)."""
        below = [(mib, name) for (pid, name), mib in self.peaks.items() if pid != self.root]
        mib, name = max(below, default=(0.0, ""))
        return name, round(mib, 1)
