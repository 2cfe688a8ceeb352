"""The public endpoint as `helsegraf serve` runs it (granian, the evaluator pool), on loopback: the SPARQL 1.1
protocol, its formats and errors, and bad and heavy use."""

import json
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from helsegraf.queries import library_queries, load_query, run_remote, with_defaults

GOOD = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/helsegraf/ontology#Measure> }"


class _Endpoint:
    def __init__(self, url, measures):
        self.url, self.measures = url, measures


@pytest.fixture(scope="module")
def ep(server, measure_count):
    return _Endpoint(server.endpoint_url, measure_count)


def ask(url, query=None, accept="application/sparql-results+json", method="GET", data=None, headers=None, timeout=30):
    if method == "GET" and query is not None:
        url = url + "?" + urllib.parse.urlencode({"query": query})
    elif method == "POST" and query is not None:
        data = query.encode()
        headers = {"Content-Type": "application/sparql-query", **(headers or {})}
    req = urllib.request.Request(url, data=data, method=method, headers={"Accept": accept, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def count(ep) -> int:
    status, _, body = ask(ep.url, GOOD)
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("accept, marker", [
    ("application/sparql-results+json", '"bindings"'),
    ("application/sparql-results+xml", "<sparql"),
    ("text/csv", "n\r\n{n}"),
    ("text/tab-separated-values", "?n\n{n}"),
])
def test_select_result_formats(ep, accept, marker):
    status, headers, body = ask(ep.url, GOOD, accept=accept)
    assert status == 200 and marker.format(n=ep.measures).encode() in body
    assert headers["Content-Type"].startswith(accept)


@pytest.mark.parametrize("accept, parse", [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
])
def test_construct_and_describe_formats(ep, accept, parse):
    for q in ("CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-3.1/1> AS ?s) ?s ?p ?o }",
              "DESCRIBE <https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-3.1/1>"):
        status, _, body = ask(ep.url, q, accept=accept, method="POST")
        assert status == 200
        triples = list(ox.parse(body, format=parse))
        assert any("be Helsedirektoratet utrede" in str(t.object) for t in triples)


def test_post_form_and_cors_preflight(ep):
    data = urllib.parse.urlencode({"query": GOOD}).encode()
    status, _, body = ask(ep.url, method="POST", data=data,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and str(ep.measures).encode() in body
    status, headers, _ = ask(ep.url, method="OPTIONS", headers={"Origin": "https://example.org",
                                                                   "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*" and "POST" in headers["Access-Control-Allow-Methods"]


def test_etag_and_not_modified(ep):
    _, headers, _ = ask(ep.url, GOOD)
    assert headers["ETag"] and "max-age" in headers["Cache-Control"]
    status, _, body = ask(ep.url, GOOD, headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""


def test_syntax_error_is_400_with_the_parser_message(ep):
    status, _, body = ask(ep.url, "SELECT ?x WHERE { ?x ?y }}")
    assert status == 400 and b"error" in body.lower()


@pytest.mark.parametrize("how", ["update-endpoint", "update-param", "sparql-update-post", "put-store"])
def test_updates_are_refused_and_change_nothing(ep, how):
    before = count(ep)
    insert = "INSERT DATA { <urn:x> a <https://w3id.org/helsegraf/ontology#Measure> }"
    base = ep.url.rsplit("/", 1)[0]
    if how == "update-endpoint":
        status, _, _ = ask(base + "/update", method="POST", data=insert.encode(),
                           headers={"Content-Type": "application/sparql-update"})
    elif how == "update-param":
        status, _, _ = ask(ep.url, method="POST", data=urllib.parse.urlencode({"update": insert}).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    elif how == "sparql-update-post":
        status, _, _ = ask(ep.url, method="POST", data=insert.encode(), headers={"Content-Type": "application/sparql-update"})
    else:
        status, _, _ = ask(base + "/store?default", method="PUT", data=b"<urn:a> <urn:b> <urn:c> .",
                           headers={"Content-Type": "application/n-triples"})
    assert status == 403
    assert count(ep) == before


def test_pathological_query_is_stopped_with_a_clear_error(ep):
    started = time.monotonic()
    status, headers, body = ask(ep.url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert time.monotonic() - started < 10
    assert status == 503 and b"did not finish within 3 s" in body and headers.get("Retry-After")
    assert count(ep) == ep.measures  # and the server keeps answering


def test_oversized_result_is_refused(ep):
    status, _, body = ask(ep.url, "SELECT * WHERE { ?s ?p ?o }", accept="text/csv")
    assert status == 413 and b"larger than 2000000 bytes" in body
    assert count(ep) == ep.measures


def _malformed_queries(n: int, seed: int = 20261123) -> list[str]:
    """Valid library queries broken by random deletions, insertions and swaps; kept only if the parser rejects them."""
    rng = random.Random(seed)
    bases = [with_defaults(q).text for q in library_queries()] + [GOOD, "ASK { ?s ?p ?o }", "DESCRIBE <urn:x>"]
    junk = list("{}()<>?$.;,\"'#|^!*+-/ \n") + ["SELECT", "WHERE", "FILTER", "GRAPH", "OPTIONAL", "UNION", "LIMIT"]
    out: list[str] = []
    while len(out) < n:
        q = rng.choice(bases)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(q) + 1)
            op = rng.random()
            if op < 0.4:
                q = q[:i] + q[i + rng.randint(1, 8):]
            elif op < 0.8:
                q = q[:i] + rng.choice(junk) + q[i:]
            else:
                j = rng.randrange(len(q) + 1)
                q = q[:min(i, j)] + q[max(i, j):] + q[min(i, j):max(i, j)]
        try:
            # The server resolves relative IRIs against its own URL, so parse with a base as well.
            ox.Store().query(q, base_iri="http://127.0.0.1/query")
        except SyntaxError:
            out.append(q)
        except Exception:
            continue
    return out


def test_fuzz_malformed_queries_get_4xx_and_the_server_survives(ep):
    queries = _malformed_queries(500)
    statuses = []
    for q in queries:
        method = random.Random(len(q)).choice(["GET", "POST"])
        status, _, _ = ask(ep.url, q, method=method, timeout=30)
        statuses.append(status)
    assert len(statuses) == 500
    assert all(400 <= s < 500 for s in statuses), sorted(set(statuses))
    assert count(ep) == ep.measures


@pytest.fixture(scope="module")
def patient_endpoint(built):
    """The endpoint of `helsegraf serve` over the shared build with a time limit no library query comes near, even
    with the other test workers busy on the same cores (the shared one stops queries after 3 s)."""
    from helsegraf.serving.limits import Limits
    from helsegraf.serving.servers import Servers, free_port

    servers = Servers(built.out, "127.0.0.1", free_port(), free_port(), Limits(timeout_s=60, workers=3))
    servers.start()
    yield servers.endpoint_url
    servers.stop()


def test_bounded_load_has_no_server_errors(patient_endpoint):
    """20 clients at once on loopback, each through the query library ten times from its own place in it: no 5xx,
    no connection errors. A fixed amount of work rather than a fixed time (regression: "more than 100 answers in
    5 seconds" failed on a loaded machine), and a time limit that leaves queueing out of it (regression: under
    pytest-xdist a query queued behind nineteen others passed the shared endpoint's 3 s and got its 503);
    throughput is measured in bench/endpoint_load.py."""
    queries = [with_defaults(q).text for q in library_queries()]
    per_client = 10
    results: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        for i in range(k, k + per_client):
            try:
                status, _, _ = ask(patient_endpoint, queries[i % len(queries)], method="POST", timeout=30)
            except Exception as e:  # noqa: BLE001 - every failure is the finding
                with lock:
                    errors.append(repr(e))
                continue
            with lock:
                results.append(status)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(results) == 20 * per_client
    assert [s for s in results if s >= 500] == []


def test_measures_over_http(ep, parsed):
    res = run_remote(load_query("measures"), ep.url)
    assert res.columns == ["measure", "document", "locator", "text"]
    per_doc = {}
    for r in res.rows:
        slug = r["document"]["value"].rsplit("/", 1)[1]
        per_doc[slug] = per_doc.get(slug, 0) + 1
    # The seed documents keep their exact counts; every other document has what its parser found.
    seeds = {"meld-st-9-2023-2024": 136, "tale-nhsp-2024": 12, "hurdalsplattformen-2021-helse": 94,
             "ap-var-felles-helsetjeneste-2023": 43, "helsepartiet-prinsipprogram-2017": 179}
    assert {k: v for k, v in per_doc.items() if k in seeds} == seeds
    assert per_doc == {slug: len(p.measures) for slug, p in parsed.items()}
    assert all(r["text"].get("xml:lang") == "nb" for r in res.rows)


def test_get_with_query_string(ep):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/helsegraf/ontology#BoxMeasure> }"
    url = ep.url + "?" + urllib.parse.urlencode({"query": q})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json", "Origin": "http://example.org"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = json.loads(resp.read())
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert body["results"]["bindings"][0]["n"]["value"] == "120"


def test_update_posted_to_update_is_refused(ep):
    update_url = ep.url.replace("/query", "/update")
    req = urllib.request.Request(update_url, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert 400 <= e.value.code < 500
    probe = ep.url + "?" + urllib.parse.urlencode({"query": "ASK { <urn:a> <urn:b> <urn:c> }"})
    with urllib.request.urlopen(urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})) as r:
        assert json.loads(r.read())["boolean"] is False


def test_syntax_error_is_400(ep):
    url = ep.url + "?" + urllib.parse.urlencode({"query": "SELECT WHERE {"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url, timeout=10)
    assert e.value.code == 400


def test_a_missing_prefix_is_named_in_the_answer(ep):
    status, _, body = ask(ep.url, "SELECT * WHERE { ?m a hg:Measure } LIMIT 1")
    assert status == 400
    assert b"the prefix 'hg:' is not declared" in body and b"PREFIX hg: <https://w3id.org/helsegraf/ontology#>" in body
