"""End to end: the real Oxigraph server on a free loopback port, over a fresh build, queried over HTTP."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from helsegraf.queries import load_query, run_remote
from helsegraf.proxy import Limits
from helsegraf.server import Endpoint, free_port, start_site


@pytest.fixture(scope="module")
def endpoint(built):
    ep = Endpoint(built.out / "store", "127.0.0.1", free_port(), Limits(timeout_s=3, max_result_bytes=5_000_000))
    yield ep.url
    ep.stop()


def test_measures_over_http(endpoint):
    res = run_remote(load_query("measures"), endpoint)
    assert res.columns == ["measure", "document", "locator", "text"]
    per_doc = {}
    for r in res.rows:
        slug = r["document"]["value"].rsplit("/", 1)[1]
        per_doc[slug] = per_doc.get(slug, 0) + 1
    assert per_doc == {"meld-st-9-2023-2024": 136, "tale-nhsp-2024": 6, "hurdalsplattformen-2021-helse": 94,
                       "ap-var-felles-helsetjeneste-2023": 43, "helsepartiet-prinsipprogram-2017": 179}
    assert all(r["text"].get("xml:lang") == "nb" for r in res.rows)


def test_get_with_query_string(endpoint):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/helsegraf/ontology#BoxMeasure> }"
    url = endpoint + "?" + urllib.parse.urlencode({"query": q})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json", "Origin": "http://example.org"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = json.loads(resp.read())
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert body["results"]["bindings"][0]["n"]["value"] == "120"


def test_update_is_refused_and_changes_nothing(endpoint):
    update_url = endpoint.replace("/query", "/update")
    req = urllib.request.Request(update_url, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert 400 <= e.value.code < 500
    ask = endpoint + "?" + urllib.parse.urlencode({"query": "ASK { <urn:a> <urn:b> <urn:c> }"})
    with urllib.request.urlopen(urllib.request.Request(ask, headers={"Accept": "application/sparql-results+json"})) as r:
        assert json.loads(r.read())["boolean"] is False


def test_syntax_error_is_400(endpoint):
    url = endpoint + "?" + urllib.parse.urlencode({"query": "SELECT WHERE {"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url, timeout=10)
    assert e.value.code == 400


def test_static_site_is_served(built):
    port = free_port()
    httpd = start_site(built.out / "site", "127.0.0.1", port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert "Meld. St. 9 (2023–2024)" in r.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/id/meld-st-9-2023-2024/boks-3.1/1.ttl", timeout=10) as r:
            assert r.headers["Content-Type"].startswith("text/turtle")
            assert b"be Helsedirektoratet utrede" in r.read()
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def site_url(built):
    port = free_port()
    httpd = start_site(built.out / "site", "127.0.0.1", port)
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


@pytest.mark.parametrize("accept, ctype, marker", [
    ("text/turtle", "text/turtle", b"be Helsedirektoratet utrede"),
    ("application/ld+json", "application/ld+json", b'"@id":"https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-3.1/1"'),
    ("application/n-triples", "application/n-triples", b"<https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-3.1/1>"),
    ("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "text/html", b'<html lang="nb">'),
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json", b'"@context"'),
])
def test_content_negotiation(site_url, accept, ctype, marker):
    req = urllib.request.Request(f"{site_url}/id/meld-st-9-2023-2024/boks-3.1/1", headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.headers["Content-Type"].startswith(ctype)
        assert r.headers["Vary"] == "Accept"
        assert marker in r.read()


@pytest.mark.parametrize("path", ["/graph/inferred", "/dataset", "/dataset/klasse/hg-Measure", "/sparql-service"])
def test_content_negotiation_beyond_id(site_url, path):
    req = urllib.request.Request(f"{site_url}{path}", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/turtle")
        assert f"<https://w3id.org/helsegraf{path}>".encode() in r.read()
