"""Serving: the real Oxigraph server (read-only) over the built store, and the static site beside it."""

from __future__ import annotations

import functools
import os
import posixpath
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
from .proxy import EndpointProxy, Limits
from .rdf.iris import PUBLISHED


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


def start_oxigraph(store: Path, host: str, port: int, timeout_s: float) -> subprocess.Popen:
    """Start `oxigraph serve-read-only` and wait until it answers; the caller stops it."""
    if not store.is_dir():
        raise HelsegrafError(f"no store at {store}: run 'helsegraf build' first")
    cmd = [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"{host}:{port}", "--cors",
           "--union-default-graph", "--timeout-s", str(max(1, int(timeout_s)))]
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


class Endpoint:
    """The Oxigraph server on a private loopback port, and the limiting proxy that answers the public."""

    def __init__(self, store: Path, host: str = "127.0.0.1", port: int = 7878, limits: Limits | None = None):
        self.limits = limits or Limits()
        backend_port = free_port()
        self.proc = start_oxigraph(store, "127.0.0.1", backend_port, self.limits.timeout_s)
        try:
            self.proxy = EndpointProxy((host, port), ("127.0.0.1", backend_port), self.limits)
        except OSError as e:
            self.proc.terminate()
            raise HelsegrafError(f"cannot listen on {host}:{port}: {e.strerror}") from None
        self.thread = threading.Thread(target=self.proxy.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://{host}:{self.proxy.server_address[1]}/query"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        self.proxy.shutdown()
        self.proxy.server_close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# The site paths of minted IRIs (Iris.site_path): /id/…, /graph/…, /dataset, /dataset/…, /sparql-service.
NEGOTIATED_PATHS = tuple(f"/{first}" for first in PUBLISHED)
NEGOTIATED = (("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"), ("application/n-triples", ".nt"),
              ("text/html", ".html"), ("application/xhtml+xml", ".html"))


def negotiate(accept: str) -> str:
    """The file suffix for an Accept header: the supported type with the highest q, HTML when nothing fits."""
    best, best_q = ".html", -1.0
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        for mime, suffix in NEGOTIATED:
            if media == mime and (q > best_q or (q == best_q and order == 0)):
                best, best_q = suffix, q
        if media in ("*/*", "text/*") and best_q < 0:
            best_q = q * 0.5
    return best


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files, plus content negotiation for resources: /id/x (and /graph/x, /dataset) answers x.html, x.ttl,
    x.jsonld or x.nt."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".ttl": "text/turtle; charset=utf-8",
                      ".html": "text/html; charset=utf-8", ".nq": "application/n-quads",
                      ".nt": "application/n-triples", ".jsonld": "application/ld+json", ".gz": "application/gzip"}

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    def send_head(self):
        path, _, query = self.path.partition("?")
        if path.startswith(NEGOTIATED_PATHS) and not posixpath.splitext(path)[1]:
            suffix = negotiate(self.headers.get("Accept", "text/html"))
            if os.path.isfile(self.translate_path(path + suffix)):
                self.path = path + suffix + (f"?{query}" if query else "")
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Vary", "Accept")
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


def start_site(site: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    if not (site / "index.html").is_file():
        raise HelsegrafError(f"no site at {site}: run 'helsegraf build' first")
    handler = functools.partial(_SiteHandler, directory=str(site))
    httpd = ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd
