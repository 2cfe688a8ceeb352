"""The endpoint and the site against hostile and careless clients, all on loopback, each bounded in time.

Every test here is a finding of issue #9 turned into a specification: no input from a client takes down or wedges
the endpoint or the site, timed-out work stops, and no request leaves the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

from helsegraf.build import _swap
from helsegraf.serving.limits import Limits
from helsegraf.serving.servers import Servers, free_port

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/helsegraf/ontology#Measure> }"
CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # streams for ever: stopped at the deadline or the size limit
EXPLOSION = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:none>)* ?b . ?b (!<urn:none>)* ?c }"  # all in memory first


MEASURES = {}  # the measure count the probe query must answer, set from the parsed documents


@pytest.fixture(scope="module", autouse=True)
def _expected(measure_count):
    MEASURES["n"] = measure_count


@pytest.fixture(scope="module")
def hostile(built, tmp_path_factory):
    """`helsegraf serve` over a copy of the build (so a test can swap in a new one), with tight limits; the guard's
    depth limit is lifted so that a query that crashes the engine reaches an evaluator."""
    out = tmp_path_factory.mktemp("hostile") / "build"
    out.mkdir()
    shutil.copytree(built.out / "store", out / "store")
    # Hard links: the site is served, never written, here; copying its 8,000 files took ten seconds.
    shutil.copytree(built.out / "site", out / "site", symlinks=True, copy_function=os.link)
    servers = Servers(out, "127.0.0.1", free_port(), free_port(),
                      Limits(timeout_s=2, workers=4, worker_memory_mb=384, max_depth=100_000, body_timeout_s=2,
                             max_result_bytes=5_000_000))
    servers.start()
    servers.out = out
    yield servers
    servers.stop()


def ask(url, query, accept="text/csv", timeout=30, method="POST", params=None):
    form = urllib.parse.urlencode({"query": query, **(params or {})})
    if method == "GET":
        req = urllib.request.Request(url + "?" + form, headers={"Accept": accept})
    else:
        req = urllib.request.Request(url, data=form.encode(), method="POST",
                                     headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def answers_quickly(url, within_s=0.1, attempts=5) -> float:
    """The best of a few answers to a small query that misses the cache, in seconds."""
    best = float("inf")
    for i in range(attempts):
        started = time.perf_counter()
        status, body = ask(url, COUNT + f" # probe {time.time_ns()} {i}")
        assert status == 200 and body.strip().endswith(str(MEASURES["n"]).encode())
        best = min(best, time.perf_counter() - started)
    assert best < within_s, f"a small query took {best * 1000:.0f} ms"
    return best


def evaluators(store: Path) -> list[int]:
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"helsegraf.serving.evaluator" in cmd and str(store).encode() in cmd:
                pids.append(int(pid))
    return pids


def cpu_and_memory(pids: list[int]) -> tuple[float, int]:
    """CPU seconds used so far and resident MiB, summed over the processes still alive."""
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    cpu, rss = 0.0, 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / tick
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except OSError:
            continue
    return cpu, rss // (1024 * 1024)


def health(servers) -> dict:
    with urllib.request.urlopen(servers.servers[0].probe, timeout=5) as r:
        return json.loads(r.read())


# --- crashes ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("opening, closing", [("{", "}"), ("(", ")"), ("[", "]")])
def test_deep_nesting_is_refused_before_evaluation(server, opening, closing):
    q = "SELECT * WHERE { ?s ?p " + opening * 10_000 + closing * 10_000 + " }"
    status, body = ask(server.endpoint_url, q)
    assert status == 400 and b"nests brackets" in body
    answers_quickly(server.endpoint_url)


def test_a_query_that_crashes_the_engine_costs_one_evaluator(hostile):
    before = health(hostile)
    q = "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000  # overflows the parser's stack: the evaluator aborts
    for _ in range(3):
        status, body = ask(hostile.endpoint_url, q)
        assert status == 500 and b"replaced it" in body
    after = health(hostile)
    assert after["crashes"] == before["crashes"] + 3
    answers_quickly(hostile.endpoint_url)
    with urllib.request.urlopen(hostile.site_url, timeout=5) as r:  # the site never noticed
        assert r.status == 200


@pytest.fixture
def roomy(built):
    """`helsegraf serve` over the shared build with hostile's memory limit and a deadline no query here reaches."""
    servers = Servers(built.out, "127.0.0.1", free_port(), free_port(),
                      Limits(timeout_s=120, workers=2, worker_memory_mb=384, max_depth=100_000))
    servers.start()
    yield servers
    servers.stop()


def test_a_query_past_its_memory_is_stopped(roomy):
    """Stopped for its memory, whatever its deadline. (Regressions: the test timed the answer, under 2 s, and failed
    when other tests loaded the machine; then, on a server with a 2-s deadline, a query starved of CPU by a build
    beside it reached the deadline before 384 MB: the server here gives it two minutes, and the stop's kind is in
    the pool's counts, whatever the clock says.)"""
    before = health(roomy)
    # Sorting the cross product holds all of it: some 700 MB a second.
    q = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c } }"
    status, body = ask(roomy.endpoint_url, q, timeout=150)
    assert status == 503 and b"384 MB" in body
    after = health(roomy)
    assert after["memory_stops"] == before["memory_stops"] + 1 and after["timeouts"] == before["timeouts"]
    answers_quickly(roomy.endpoint_url)


# --- federation ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_and_no_connection_leaves(server, template):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.7)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        status, body = ask(server.endpoint_url, template.format(url=url))
        assert status == 400 and b"SERVICE" in body
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


def test_the_word_service_in_a_literal_or_a_name_is_not_federation(server):
    status, body = ask(server.endpoint_url, 'PREFIX ex: <urn:ex:> SELECT ?x WHERE { BIND("SERVICE" AS ?x) '
                                            "OPTIONAL { ?x ex:SERVICE ?y } }")
    assert status == 200 and b"SERVICE" in body


# --- runaway queries -------------------------------------------------------------------------------------------


def test_concurrent_path_explosions_stop_and_give_back_cpu_and_memory(hostile):
    store = hostile.out / "store"
    with ThreadPoolExecutor(20) as pool:
        started = time.monotonic()
        statuses = list(pool.map(lambda i: ask(hostile.endpoint_url, EXPLOSION + f" # {i}", timeout=60)[0],
                                 range(20)))
        elapsed = time.monotonic() - started
    assert statuses == [503] * 20
    # Four evaluators take the queries four at a time; the others wait their turn within the same deadline.
    assert elapsed < 2 * 2 + 3
    time.sleep(1.0)  # the grace period: killed evaluators are gone, fresh ones have started
    cpu0, _ = cpu_and_memory(evaluators(store))
    time.sleep(1.0)
    pids = evaluators(store)
    cpu1, rss = cpu_and_memory(pids)
    assert cpu1 - cpu0 < 0.2, f"evaluators still used {cpu1 - cpu0:.2f} s of CPU in the second after"
    assert rss < 100 * len(pids), f"evaluators hold {rss} MiB"
    answers_quickly(hostile.endpoint_url)


def test_a_thousand_timeouts_leave_the_endpoint_answering(hostile):
    """Each stopped query writes a log line; none of them may fill a pipe and wedge the server. The clients ask for
    a 10 ms timeout (the `timeout` parameter) so that a thousand take seconds, not minutes: each runs to its deadline."""
    url = hostile.endpoint_url
    before = health(hostile)["timeouts"]
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda i: ask(url, CROSS + f" LIMIT {10_000_000 + i}", params={"timeout": "0.01"}), range(1000)))
    assert [s for s, _ in replies].count(503) == 1000, sorted({s for s, _ in replies})
    assert all(b"within 0.01 s" in body for _, body in replies)
    assert health(hostile)["timeouts"] - before >= 1000
    answers_quickly(url)


def test_clients_that_leave_stop_their_queries(hostile):
    host, port = hostile.endpoint_url.split("//")[1].split("/")[0].split(":")
    store = hostile.out / "store"
    body = urllib.parse.urlencode({"query": EXPLOSION}).encode()
    for i in range(200):
        s = socket.create_connection((host, int(port)))
        s.sendall(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        time.sleep(0.02 if i % 20 else 0.3)
        s.close()
    time.sleep(1.5)
    cpu0, _ = cpu_and_memory(evaluators(store))
    time.sleep(1.0)
    cpu1, _ = cpu_and_memory(evaluators(store))
    assert cpu1 - cpu0 < 0.2, f"abandoned queries still used {cpu1 - cpu0:.2f} s of CPU"
    answers_quickly(hostile.endpoint_url)


# --- the HTTP layer --------------------------------------------------------------------------------------------


def _raw(url: str, data: bytes, wait_s: float = 3.0) -> bytes:
    """What the server at `url` answers to `data` sent raw, until it closes or is silent for `wait_s`. The answer is
    read while `data` is still being sent: a server may refuse a request from its head and close before it has read
    the body, and then the send fails (regression: EPIPE from a sendall that had not finished, while the 413 was
    on its way)."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=wait_s) as s:
        def send() -> None:
            try:
                s.sendall(data)
            except OSError:  # closed by the server before it read everything: its right, and the answer says why
                pass

        sender = threading.Thread(target=send)
        sender.start()
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (socket.timeout, ConnectionResetError):
            pass
        sender.join()
    return b"".join(chunks)


def test_slow_headers_are_cut_off_and_others_are_served(hostile):
    host, port = hostile.endpoint_url.split("//")[1].split("/")[0].split(":")
    slow = []
    for _ in range(50):
        s = socket.create_connection((host, int(port)))
        s.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)
    answers_quickly(hostile.endpoint_url)  # while fifty clients dawdle
    started = time.monotonic()
    closed = 0
    for s in slow:
        s.settimeout(max(0.1, 10 - (time.monotonic() - started)))
        try:
            s.sendall(b"X")  # one more byte, still no end of headers
            while s.recv(1024):  # a 408, if the server says anything, then the close
                pass
            closed += 1
        except (ConnectionResetError, BrokenPipeError):
            closed += 1  # closed by a reset: as good
        except socket.timeout:
            pass
        finally:
            s.close()
    assert closed == 50, f"{closed} of 50 slow connections were closed within 10 s"


def test_a_slow_body_gets_408(hostile):
    reply = _raw(hostile.endpoint_url, b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                                       b"Content-Length: 100\r\n\r\nASK {", wait_s=6)
    assert reply.startswith(b"HTTP/1.1 408")


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH", "GET"])
def test_an_oversized_body_is_not_read_as_a_second_request(hostile, method):
    smuggled = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    body = b"x" * (1024 * 1024) + smuggled
    reply = _raw(hostile.endpoint_url, f"{method} /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query"
                                       f"\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    assert reply.count(b"HTTP/1.1 ") == 1 and b'"evaluators"' not in reply
    # GET /query without a query answers the service description: the body is ignored, never read as a request.
    assert reply.split(b" ")[1] in ((b"200",) if method == "GET" else (b"403", b"413"))


@pytest.mark.parametrize("head", [
    b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n"
    b"Content-Type: application/sparql-query\r\n\r\n",
    b"POST /query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n"
    b"Content-Type: application/sparql-query\r\n\r\n",
    b"POST /query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n"
    b"Content-Type: application/sparql-query\r\n\r\n",
])
def test_conflicting_framing_does_not_smuggle_a_request(hostile, head):
    smuggled = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    reply = _raw(hostile.endpoint_url, head + b"0\r\n\r\n" + smuggled)
    assert b'"evaluators"' not in reply, reply[:500]
    answers_quickly(hostile.endpoint_url)


def test_a_hundred_clients_on_the_site_are_all_answered(hostile):
    pages = ["/", "/id/meld-st-9-2023-2024", "/id/aktor/helsedirektoratet", "/sparql.html", "/static/style.css"]
    failures: list[str] = []

    def client(k: int) -> int:
        ok = 0
        for i in range(5):
            try:
                with urllib.request.urlopen(hostile.site_url.rstrip("/") + pages[(k + i) % len(pages)],
                                            timeout=30) as r:
                    r.read()
                    ok += r.status == 200
            except Exception as e:  # noqa: BLE001 - every failure is the finding
                failures.append(repr(e))
        return ok

    with ThreadPoolExecutor(100) as pool:
        ok = sum(pool.map(client, range(100)))
    assert failures == [] and ok == 500


# --- a new build --------------------------------------------------------------------------------------------


def test_a_rebuild_under_load_is_served_without_error(hostile, tmp_path):
    marker = "ASK { <urn:helsegraf:test> <urn:helsegraf:rebuilt> true }"
    url = hostile.endpoint_url
    assert ask(url, marker)[1].strip() == b"false"
    statuses: list[int] = []
    stop = threading.Event()

    def load() -> None:
        i = 0
        while not stop.is_set():
            statuses.append(ask(url, COUNT + f" # load {i}")[0])
            i += 1

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        # A new build: the same store with one more triple, swapped in the way `helsegraf build` swaps.
        new = hostile.out.parent / ".build.tmp-test"
        new.mkdir()
        shutil.copytree(hostile.out / "store", new / "store")
        shutil.copytree(hostile.out / "site", new / "site", symlinks=True, copy_function=os.link)
        assert sorted(p.name for p in hostile.out.iterdir()) == ["site", "store"]
        store = ox.Store(str(new / "store"))
        store.add(ox.Quad(ox.NamedNode("urn:helsegraf:test"), ox.NamedNode("urn:helsegraf:rebuilt"),
                          ox.Literal(True)))
        store.flush()
        del store
        _swap(new, hostile.out)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and ask(url, marker)[1].strip() != b"true":
            time.sleep(0.2)
        assert ask(url, marker)[1].strip() == b"true"
        time.sleep(1.0)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert len(statuses) > 20 and set(statuses) == {200}, sorted(set(statuses))
    assert health(hostile)["reloads"] >= 1


def test_a_port_left_in_time_wait_is_not_in_use():
    """Regression: after a load test the port check refused to start (`serve` binds with SO_REUSEADDR too)."""
    from helsegraf.serving.servers import _in_use

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    conn, _ = listener.accept()
    conn.close()  # the server side closes first: its end stays in TIME_WAIT
    client.close()
    listener.close()
    assert not _in_use("127.0.0.1", port)
