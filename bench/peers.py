"""The endpoints the load benchmark compares, each serving the same build: helsegraf (`helsegraf serve`: granian,
the evaluator pool, the result cache), the bare Oxigraph server, rdflib-endpoint (PyPI) and Virtuoso (Debian's virtuoso-opensource). Each starts on a free
loopback port and is stopped by the caller."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from helsegraf.serving.limits import Limits
from helsegraf.serving.servers import Servers, free_port

PROBE = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/helsegraf/ontology#Measure> }"


@dataclass
class Peer:
    name: str
    url: str  # the SPARQL endpoint; queries go as ?query=
    stop: Callable[[], None]
    setup_s: float = 0.0
    notes: list[str] = field(default_factory=list)


def _wait(url: str, seconds: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    probe = url + "?" + urllib.parse.urlencode({"query": PROBE})
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            req = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(req, timeout=5) as r:
                if b"458" in r.read():
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def _terminate(proc: subprocess.Popen, seconds: float) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=seconds)


def wait_idle(url: str, seconds: float) -> None:
    """Until one probe query is answered: a peer still busy with abandoned requests answers late."""
    _wait(url, seconds)


def helsegraf(build: Path, cache: bool = True) -> Peer:
    t = time.monotonic()
    limits = Limits(timeout_s=30) if cache else Limits(timeout_s=30, cache_entries=0)
    servers = Servers(build, "127.0.0.1", free_port(), free_port(), limits)
    servers.start()
    _wait(servers.endpoint_url, 30)
    note = "granian + pyoxigraph evaluator pool" + (", result cache" if cache else ", no cache")
    return Peer("helsegraf" if cache else "helsegraf-nocache", servers.endpoint_url, servers.stop,
                time.monotonic() - t, [note])


def _server(name: str, cmd: list[str], url: str, wait_s: float, notes: list[str]) -> Peer:
    """A peer that is one process: started, waited for until it answers, stopped by terminating it."""
    t = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(url, wait_s, proc)
    except Exception:
        proc.kill()
        raise
    return Peer(name, url, lambda: _terminate(proc, 20), time.monotonic() - t, notes)


def _installed(name: str) -> str:
    exe = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(exe).exists():
        raise RuntimeError(f"{name} is not installed")
    return exe


def oxigraph_bare(build: Path) -> Peer:
    """The Oxigraph server alone (`oxigraph serve-read-only`), as the engine's own throughput."""
    port = free_port()
    return _server("oxigraph-bare", [_installed("oxigraph"), "serve-read-only", "--location", str(build / "store"),
                                     "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                   f"http://127.0.0.1:{port}/query", 30,
                   ["oxigraph serve-read-only 0.5, no timeout (its --timeout-s starts a thread per query)"])


def rdflib_endpoint(build: Path) -> Peer:
    port = free_port()
    return _server("rdflib-endpoint", [_installed("rdflib-endpoint"), "serve", str(build / "helsegraf.nq"),
                                       "--host", "127.0.0.1", "--port", str(port)],
                   f"http://127.0.0.1:{port}/", 300, ["rdflib in-memory store, the N-Quads dump"])


def virtuoso(build: Path, threads: int = 20) -> Peer:
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    template = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
    if not exe or not isql or not template.exists():
        raise RuntimeError("Virtuoso is not installed: apt-get install virtuoso-opensource")
    work = Path(tempfile.mkdtemp(prefix="hg-virtuoso-"))
    (work / "data").mkdir()
    shutil.copy(build / "helsegraf.nq", work / "data" / "helsegraf.nq")
    sql_port, http_port = free_port(), free_port()
    ini = template.read_text()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(work))
    ini = ini.replace("ServerPort               = 1111", f"ServerPort               = {sql_port}")
    ini = ini.replace("ServerPort                  = 8890", f"ServerPort                  = 127.0.0.1:{http_port}")
    ini = ini.replace("DirsAllowed              = .,", f"DirsAllowed              = ., {work / 'data'},")
    # As many HTTP threads and connections as the benchmark has clients, so Virtuoso is not held back by its defaults.
    ini = ini.replace("MaxClientConnections        = 10", f"MaxClientConnections        = {threads}")
    ini = ini.replace("ServerThreads               = 10", f"ServerThreads               = {threads}")
    ini = ini.replace("MaxKeepAlives               = 10", f"MaxKeepAlives               = {threads}")
    (work / "virtuoso.ini").write_text(ini)
    t = time.monotonic()
    proc = subprocess.Popen([exe, "+configfile", str(work / "virtuoso.ini"), "+foreground"], cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop() -> None:
        _terminate(proc, 30)
        shutil.rmtree(work, ignore_errors=True)

    try:
        for _ in range(120):
            ok = subprocess.run([isql, str(sql_port), "dba", "dba", "exec=status();"], capture_output=True, timeout=30)
            if ok.returncode == 0:
                break
            time.sleep(0.5)
        load = (f"ld_dir('{work / 'data'}', 'helsegraf.nq', 'urn:helsegraf:default'); rdf_loader_run(); checkpoint;")
        subprocess.run([isql, str(sql_port), "dba", "dba", f"exec={load}"], check=True, capture_output=True, timeout=600)
        url = f"http://127.0.0.1:{http_port}/sparql"
        _wait(url, 60, proc)
    except Exception:
        stop()
        raise
    return Peer("virtuoso", url, stop, time.monotonic() - t, [f"Virtuoso 7.2 (Debian), {threads} HTTP threads"])
