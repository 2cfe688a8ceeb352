"""`helsegraf serve`: the endpoint and the site, each in a granian server process of its own, kept running.

Two processes so that nothing one does can take the other down: the site never evaluates a query, and the
endpoint evaluates none in its own process either (serving/pool.py). Granian — HTTP/1.1 framing, keep-alive and
header read timeouts in Rust (hyper) — restarts a failed worker itself (`--respawn-failed-workers`); this supervisor
restarts a server whose whole process ended, and relays every line either writes, so no pipe is left unread.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..deployment import is_loopback
from ..errors import HelsegrafError
from .endpoint_app import configure
from .limits import Limits
from .process import die_with_parent

log = logging.getLogger("helsegraf.serve")

START_TIMEOUT_S = 60.0
HEADER_READ_TIMEOUT_MS = 5000  # a client has 5 s to send its request line and headers


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _granian(factory: str, host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", factory, "--host", host,
            "--port", str(port), "--workers", "1", "--respawn-failed-workers", "--respawn-interval", "0.5",
            "--http", "1", "--http1-header-read-timeout", str(HEADER_READ_TIMEOUT_MS), "--backlog", "4096",
            "--no-ws", "--log-level", "warning", "--loop", "uvloop", "--runtime-mode", "st"]


@dataclass
class _Server:
    name: str
    cmd: list[str]
    env: dict[str, str]
    probe: str
    proc: subprocess.Popen | None = None
    restarts: int = 0
    relays: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        self.proc = subprocess.Popen(self.cmd, env={**os.environ, **self.env}, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        relay = threading.Thread(target=_relay, args=(self.name, self.proc.stdout), daemon=True)
        relay.start()
        self.relays.append(relay)

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise HelsegrafError(f"the {self.name} server stopped while starting (exit code "
                                     f"{self.proc.returncode if self.proc else '?'}); its messages are above")
            try:
                with urllib.request.urlopen(self.probe, timeout=2) as r:
                    if r.status == 200:
                        return
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.1)
        raise HelsegrafError(f"the {self.name} server did not answer on {self.probe} within {timeout_s:g} s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _relay(name: str, stream) -> None:
    for line in iter(stream.readline, b""):
        text = line.decode("utf-8", "replace").rstrip()
        if text:
            print(f"[{name}] {text}", file=sys.stderr, flush=True)


def _public_endpoint_of(site: Path) -> str | None:
    try:
        url = json.loads((site / "endpoint.json").read_text(encoding="utf-8"))["endpoint"]
    except (OSError, ValueError, KeyError):
        return None
    return None if is_loopback(url) else url


class Servers:
    """The endpoint and the site, started, watched and restarted; `stop()` ends both."""

    def __init__(self, out: Path, host: str, port: int, site_port: int, limits: Limits, endpoint_url: str | None = None):
        store, site = out / "store", out / "site"
        if not store.is_dir():
            raise HelsegrafError(f"no store at {store}: run 'helsegraf build' first")
        self.endpoint_url = f"http://{host}:{port}/query"
        self.site_url = f"http://{host}:{site_port}/"
        # The endpoint the pages and the service description name: the one given, else the build's own when it is
        # public (a proxy serves it there), else this one.
        public_endpoint = endpoint_url or _public_endpoint_of(site) or self.endpoint_url
        env = configure(store.resolve(), (site / "void.ttl").resolve(), public_endpoint, limits)
        self.servers = [_Server("endpoint", _granian("helsegraf.serving.endpoint_app:create", host, port), env,
                                f"http://{host}:{port}/health")]
        if (site / "index.html").is_file():
            site_env = {"HELSEGRAF_SERVE_SITE": str(site.resolve()), "HELSEGRAF_SERVE_ENDPOINT_URL": public_endpoint}
            self.servers.append(_Server("site", _granian("helsegraf.serving.site_app:create", host, site_port),
                                        site_env, self.site_url))
        else:
            self.site_url = ""
        for s in self.servers:
            if _in_use(host, port if s.name == "endpoint" else site_port):
                raise HelsegrafError(f"cannot listen on {host}:{port if s.name == 'endpoint' else site_port}: the "
                                     "port is in use")

    def start(self) -> None:
        try:
            for s in self.servers:
                s.start()
            for s in self.servers:
                s.wait_ready()
        except BaseException:
            self.stop()
            raise

    def watch(self, interval_s: float = 0.5) -> None:
        """Restart a server whose process ended; runs until interrupted."""
        while True:
            time.sleep(interval_s)
            for s in self.servers:
                if s.proc is not None and s.proc.poll() is not None:
                    s.restarts += 1
                    print(f"helsegraf: the {s.name} server ended with code {s.proc.returncode}; restarting it "
                          f"(restart {s.restarts})", file=sys.stderr, flush=True)
                    time.sleep(min(5.0, 0.2 * s.restarts))
                    s.start()

    def health(self) -> dict:
        with urllib.request.urlopen(self.servers[0].probe, timeout=5) as r:
            return json.loads(r.read())

    def stop(self) -> None:
        for s in self.servers:
            s.stop()


def _in_use(host: str, port: int) -> bool:
    with socket.socket() as s:
        # As the server will: connections of an earlier run still in TIME_WAIT do not make the port busy.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False
