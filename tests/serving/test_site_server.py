"""The site as `helsegraf serve` serves it (Starlette's StaticFiles under granian): files, content negotiation for
the minted IRIs, security headers, gzip, no directory listings, read-only."""

import urllib.error
import urllib.request

import pytest


@pytest.fixture(scope="module")
def site_url(server):
    return server.site_url.rstrip("/")


def test_static_site_is_served(site_url):
    with urllib.request.urlopen(f"{site_url}/", timeout=10) as r:
        assert "Meld. St. 9 (2023–2024)" in r.read().decode()
    with urllib.request.urlopen(f"{site_url}/id/meld-st-9-2023-2024/boks-3.1/1.ttl", timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/turtle")
        assert b"be Helsedirektoratet utrede" in r.read()


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
        assert "Accept" in r.headers["Vary"]
        assert marker in r.read()


@pytest.mark.parametrize("path", ["/graph/inferred", "/dataset", "/dataset/klasse/hg-Measure", "/sparql-service"])
def test_content_negotiation_beyond_id(site_url, path):
    req = urllib.request.Request(f"{site_url}{path}", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/turtle")
        assert f"<https://w3id.org/helsegraf{path}>".encode() in r.read()


def get(url, headers=None, method="GET"):
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_security_headers_and_a_policy_without_inline_script(site_url, server):
    status, headers, _ = get(site_url + "/")
    assert status == 200
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    csp = headers["Content-Security-Policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script.replace("'wasm-unsafe-eval'", "")
    endpoint_origin = server.endpoint_url.rsplit("/", 1)[0]
    assert endpoint_origin in next(d for d in csp.split(";") if d.strip().startswith("connect-src"))


def test_gzip_when_asked(site_url):
    status, headers, body = get(site_url + "/index.html", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    import gzip
    assert b'<html lang="nb">' in gzip.decompress(body)


def test_no_directory_listing(site_url):
    # /id/ has no index.html: a listing would name every resource file.
    status, _, body = get(site_url + "/id/")
    assert status == 404 and b"meld-st-9" not in body


def test_path_traversal_is_refused(site_url):
    status, _, body = get(site_url + "/static/../../store/CURRENT")
    assert status == 404


def test_site_is_read_only(site_url):
    status, headers, _ = get(site_url + "/index.html", method="POST")
    assert status == 405 and "GET" in headers["Allow"]


def test_a_name_too_long_for_the_file_system_is_not_found(site_url):
    """Regression: a minted path whose last segment is longer than a file name may be (255 bytes here) made the
    file test raise (ENAMETOOLONG), and the request ended in a 500 with a traceback in the log."""
    status, _, body = get(f"{site_url}/id/{'a' * 5000}")
    assert status == 404 and b'<html lang="nb">' in body
    assert get(f"{site_url}/id/{'a' * 5000}.ttl")[0] == 404
    assert get(site_url + "/index.html")[0] == 200
