"""A pool of evaluator processes: each query runs in one, and one that crashes or overruns is replaced.

Cancellation is real: a query still running at its deadline is killed with its process (SIGKILL), so its CPU and
memory are back within the grace period, and a fresh evaluator takes its place. Every evaluator's stderr is read
line by line and logged, so no pipe fills and wedges anything. When the build swaps in a new store the pool notices
(the store directory is a new inode), moves new queries to evaluators of the new store and retires the old ones.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .limits import Limits
from .refused import Refused
from .wire import HEADER, json_frame

log = logging.getLogger("helsegraf.endpoint")

GRACE_S = 0.5  # beyond the deadline, time for an evaluator to stop by itself before it is killed
WATCH_S = 0.05  # how often a running query's memory is read
PAGE = os.sysconf("SC_PAGE_SIZE")
START_TIMEOUT_S = 30.0


def store_identity(store: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(store)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class Evaluator:
    """One evaluator process and the task that logs its stderr."""

    def __init__(self, proc: asyncio.subprocess.Process, generation: int):
        self.proc, self.generation = proc, generation
        self.stopped_for = ""  # why the watchdog killed it: "time" or "memory N"
        self.stderr_task = asyncio.create_task(self._log_stderr())
        self.last_stderr: list[str] = []

    @classmethod
    async def start(cls, store: Path, limits: Limits, generation: int) -> "Evaluator":
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "helsegraf.serving.evaluator", str(store),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            limit=2 ** 31 - 1, env={**os.environ, "RUST_BACKTRACE": "0", "MALLOC_ARENA_MAX": "2"})
        ev = cls(proc, generation)
        try:
            await asyncio.wait_for(ev._read_json(), START_TIMEOUT_S)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
            ev.kill()
            await ev.wait()
            raise OSError(f"the evaluator did not start on {store}: {' | '.join(ev.last_stderr[-3:])}") from None
        return ev

    async def _log_stderr(self) -> None:
        assert self.proc.stderr is not None
        while True:
            line = await self.proc.stderr.readline()
            if not line:
                return
            text = line.decode("utf-8", "replace").rstrip()
            self.last_stderr = (self.last_stderr + [text])[-50:]
            log.warning("evaluator %s: %s", self.proc.pid, text)

    async def _read_json(self) -> dict:
        assert self.proc.stdout is not None
        size = HEADER.unpack(await self.proc.stdout.readexactly(HEADER.size))[0]
        return json.loads(await self.proc.stdout.readexactly(size))

    async def ask(self, request: dict) -> tuple[dict, bytes]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json_frame(request))
        await self.proc.stdin.drain()
        size = HEADER.unpack(await self.proc.stdout.readexactly(HEADER.size))[0]
        data = await self.proc.stdout.readexactly(size)
        head = HEADER.unpack_from(data)[0]
        return json.loads(data[HEADER.size:HEADER.size + head]), data[HEADER.size + head:]

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None

    def stop(self, reason: str) -> None:
        self.stopped_for = reason
        self.kill()

    def kill(self) -> None:
        if self.proc.returncode is None:
            try:
                self.proc.send_signal(signal.SIGKILL)
            except ProcessLookupError:
                pass

    async def wait(self) -> int:
        code = await self.proc.wait()
        await asyncio.wait([self.stderr_task], timeout=1)
        return code


@dataclass
class Stats:
    answered: int = 0
    timeouts: int = 0
    crashes: int = 0
    memory_stops: int = 0
    started: int = 0
    start_failures: int = 0
    reloads: int = 0
    busy: int = 0
    last_crash: str = ""
    since: float = field(default_factory=time.time)


class Pool:
    def __init__(self, store: Path, limits: Limits, on_reload=None):
        self.store, self.limits, self.on_reload = store, limits, on_reload
        self.generation = 0
        self.identity = store_identity(store)
        self.idle: asyncio.Queue[Evaluator] = asyncio.Queue()
        self.live = 0  # started and not yet retired, idle or busy
        self.starting = 0
        self.stats = Stats()
        self._tasks: set[asyncio.Task] = set()
        self._watcher: asyncio.Task | None = None
        self._watchdog_task: asyncio.Task | None = None
        self.running: dict[Evaluator, float] = {}  # busy evaluators and when they are to be killed
        self._closed = False

    # --- life cycle ---------------------------------------------------------------------------------------

    async def start(self) -> None:
        if self.identity is None:
            raise OSError(f"no store at {self.store}: run 'helsegraf build' first")
        first = await Evaluator.start(self.store, self.limits, self.generation)  # fails loudly on a bad store
        self.stats.started += 1
        self.live += 1
        self.idle.put_nowait(first)
        self._replenish()
        self._watcher = asyncio.create_task(self._watch_store())
        self._watchdog_task = asyncio.create_task(self._watchdog())

    async def close(self) -> None:
        self._closed = True
        for task in (self._watcher, self._watchdog_task):
            if task:
                task.cancel()
        for t in list(self._tasks):
            t.cancel()
        while not self.idle.empty():
            ev = self.idle.get_nowait()
            ev.kill()
            await ev.wait()

    def _spawn_later(self, coro) -> None:
        t = asyncio.create_task(coro)
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)

    def _replenish(self) -> None:
        while not self._closed and self.live + self.starting < self.limits.workers:
            self.starting += 1
            self._spawn_later(self._start_one(self.generation))

    async def _start_one(self, generation: int) -> None:
        delay = 0.2
        try:
            while not self._closed:
                try:
                    ev = await Evaluator.start(self.store, self.limits, generation)
                except OSError as e:
                    self.stats.start_failures += 1
                    log.error("%s; retrying in %.1f s", e, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 5.0)
                    generation = self.generation
                    continue
                self.stats.started += 1
                if generation != self.generation:  # the store changed while it started
                    ev.kill()
                    self._spawn_later(ev.wait())
                    generation = self.generation
                    continue
                self.live += 1
                self.idle.put_nowait(ev)
                return
        finally:
            self.starting -= 1

    def _retire(self, ev: Evaluator) -> None:
        ev.kill()
        self._spawn_later(ev.wait())
        self.live -= 1
        self._replenish()

    async def _watch_store(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            ident = store_identity(self.store)
            if ident is None or ident == self.identity:
                continue
            self.identity = ident
            self.generation += 1
            self.stats.reloads += 1
            log.warning("a new build's store appeared at %s: moving to it (generation %d)", self.store,
                        self.generation)
            if self.on_reload:
                self.on_reload()
            stale = []
            while not self.idle.empty():
                stale.append(self.idle.get_nowait())
            for ev in stale:
                self._retire(ev)
            self._replenish()

    # --- queries ------------------------------------------------------------------------------------------

    async def _acquire(self, deadline: float) -> Evaluator:
        loop = asyncio.get_running_loop()
        while True:
            if not self.idle.empty():
                ev = self.idle.get_nowait()
            else:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise asyncio.TimeoutError
                async with asyncio.timeout(remaining):
                    ev = await self.idle.get()
            if ev.alive and ev.generation == self.generation:
                return ev
            self._retire(ev)

    async def run(self, request: dict, deadline: float) -> tuple[dict, bytes]:
        """Evaluate one request by `deadline` (loop time); kill its evaluator if it runs past."""
        loop = asyncio.get_running_loop()
        timeout_s = request.get("timeout_s", self.limits.timeout_s)  # as the client knows it, for messages
        try:
            ev = await self._acquire(deadline)
        except (asyncio.TimeoutError, TimeoutError):
            self.stats.timeouts += 1
            raise Refused(503, f"The endpoint is busy: no evaluator became free within {timeout_s:g} s. Try "
                                   "again shortly.", retry_after=2) from None
        self.stats.busy += 1
        request = {**request, "timeout_s": timeout_s, "remaining_s": max(0.01, deadline - loop.time())}
        self.running[ev] = deadline + GRACE_S  # the watchdog kills it past this, or past its memory
        try:
            answer, body = await ev.ask(request)
        except asyncio.CancelledError:  # the client went away: the work is not wanted any more
            self._retire(ev)
            raise
        except (asyncio.IncompleteReadError, BrokenPipeError, ConnectionResetError):
            code = await ev.wait()
            self._retire(ev)
            if ev.stopped_for == "time":
                self.stats.timeouts += 1
                raise Refused(503, f"The query did not finish within {timeout_s:g} s and was stopped. Narrow "
                                       "it, or add a LIMIT.", retry_after=5) from None
            if ev.stopped_for.startswith("memory"):
                self.stats.memory_stops += 1
                raise Refused(503, f"The query needed more than the {self.limits.worker_memory_mb} MB one query "
                                       f"may use ({ev.stopped_for.split()[1]} MB) and was stopped. Narrow it, or add "
                                       "a LIMIT.") from None
            self.stats.crashes += 1
            reason = _crash_reason(code, ev.last_stderr)
            self.stats.last_crash = reason
            log.error("evaluator %s ended during a query: %s", ev.proc.pid, reason)
            raise Refused(500, f"The query stopped the process evaluating it ({reason}); the endpoint replaced "
                                   "it and goes on. Narrow the query.") from None
        finally:
            self.running.pop(ev, None)
            self.stats.busy -= 1
        self.stats.answered += 1
        if answer.get("status") == 503:  # the evaluator stopped a streaming answer at the deadline itself
            self.stats.timeouts += 1
        if ev.generation == self.generation and ev.alive:
            self.idle.put_nowait(ev)
        else:
            self._retire(ev)
        return answer, body

    async def _watchdog(self) -> None:
        """Every WATCH_S, kill the evaluators past their deadline or their memory.

        Memory is read from /proc: an address-space or data rlimit would count what the allocator and the store
        reserve rather than use (and was seen both to abort idle evaluators and to let a growing one through).
        One task for all queries keeps the per-query path free of timers.
        """
        loop = asyncio.get_running_loop()
        limit_pages = self.limits.worker_memory_mb * 1024 * 1024 // PAGE
        while True:
            await asyncio.sleep(WATCH_S)
            now = loop.time()
            for ev, kill_at in list(self.running.items()):
                if not ev.alive or ev.stopped_for:
                    continue
                if now > kill_at:
                    ev.stop("time")
                    continue
                try:
                    with open(f"/proc/{ev.proc.pid}/statm", "rb") as f:
                        resident = int(f.read().split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if resident > limit_pages:
                    ev.stop(f"memory {resident * PAGE // (1024 * 1024)}")

    def health(self) -> dict:
        s = self.stats
        return {"evaluators": self.live, "starting": self.starting, "idle": self.idle.qsize(), "busy": s.busy,
                "answered": s.answered, "timeouts": s.timeouts, "crashes": s.crashes, "memory_stops": s.memory_stops, "started": s.started,
                "start_failures": s.start_failures, "reloads": s.reloads, "generation": self.generation,
                "last_crash": s.last_crash, "up_since": int(s.since)}


def _crash_reason(code: int, stderr: list[str]) -> str:
    """Why an evaluator ended: Rust prints "memory allocation of N bytes failed" before it aborts."""
    tail = " ".join(stderr)
    if "memory allocation" in tail or "MemoryError" in tail or "out of memory" in tail.lower():
        return "it needed more memory than one query may use"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"
