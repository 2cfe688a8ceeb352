"""Serving: the real Oxigraph server (read-only) over the built store, and the static site beside it."""

from __future__ import annotations

import functools
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import HelsegrafError


def oxigraph_binary() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise HelsegrafError("the 'oxigraph' server is not installed (pip install oxigraph)")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def start_endpoint(store: Path, host: str = "127.0.0.1", port: int = 7878, timeout_s: int = 10) -> subprocess.Popen:
    """Start `oxigraph serve-read-only` and wait until it answers; the caller stops it."""
    if not store.is_dir():
        raise HelsegrafError(f"no store at {store}: run 'helsegraf build' first")
    cmd = [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"{host}:{port}", "--cors",
           "--union-default-graph", "--timeout-s", str(timeout_s)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://{host}:{port}/query"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            raise HelsegrafError(f"oxigraph exited with code {proc.returncode}: {err.strip()[:500]}")
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise HelsegrafError(f"oxigraph did not answer on {url} within 20 s")


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".ttl": "text/turtle; charset=utf-8",
                      ".html": "text/html; charset=utf-8", ".nq": "application/n-quads"}

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def start_site(site: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    if not (site / "index.html").is_file():
        raise HelsegrafError(f"no site at {site}: run 'helsegraf build' first")
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd
