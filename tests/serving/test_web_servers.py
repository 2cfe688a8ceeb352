"""The site behind each server it is published with: `helsegraf serve`, nginx and Apache httpd (Debian's, started
here on loopback with the configurations the build writes into build/deploy/), and the w3id.org redirect rules in
front of them. Every IRI of the graph must dereference through each, by the same content negotiation."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from helsegraf.deploy_configs import render
from helsegraf.deployment import load_deployment
from helsegraf.paths import deployment_path
from helsegraf.serving.limits import Limits
from helsegraf.serving.servers import Servers, free_port
from helsegraf.site.generic_pages import SERVED
from tests.serving.test_conneg import CASES

NJS = Path("/usr/lib/nginx/modules/ngx_http_js_module.so")
APACHE_MODULES = Path("/usr/lib/apache2/modules")
DEPLOY = load_deployment(deployment_path())
BASE = DEPLOY.base_iri
AS_ROOT = os.geteuid() == 0


def _wait(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text() if log.exists() else proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@dataclass(frozen=True)
class Published:
    site: Path  # the corpus build's site
    root: Path  # the servers' configurations and logs


@pytest.fixture(scope="module")
def published(built, tmp_path_factory):
    """The corpus build's site, served where it is, and a folder for the servers' own files, both readable by a
    web server's workers (www-data, when started as root): pytest's private folders above them are opened for
    passing through (o+x, not listing; pytest makes its root folder private again on its next run). The site was
    copied before (hard links into a public temporary folder, deleted after): 14,000 folders made and ~85,000
    entries removed in each test process, for no gain the suite's time could show (181-185 s with, 183-188 without)."""
    return _publish(built.out / "site", tmp_path_factory.mktemp("published"))


def _publish(site: Path, root: Path) -> Published:
    if AS_ROOT:
        for folder in (site, root):
            for above in [folder, *folder.parents]:
                if not above.stat().st_mode & 0o001:
                    above.chmod(above.stat().st_mode | 0o001)
    return Published(site, root)


def _nginx(published: Published, pages_upstream: str | None = None) -> tuple[str, subprocess.Popen]:
    if not shutil.which("nginx") or not NJS.is_file():
        pytest.skip("nginx and its JavaScript module are installed by .ci/run (apt-get install nginx "
                    "libnginx-mod-http-js)")
    port, d = free_port(), published.root / "nginx"
    d.mkdir()
    for name, data in render(DEPLOY, published.site, d, listen=f"127.0.0.1:{port}", pages_upstream=pages_upstream).items():
        (d / name).write_bytes(data)
    temp = " ".join(f"{k}_temp_path {d}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (d / "main.conf").write_text(
        f"load_module {NJS};\ndaemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n access_log off;\n {temp}\n include {d}/nginx.conf;\n}}\n")
    proc = subprocess.Popen(["nginx", "-c", str(d / "main.conf"), "-p", str(d)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    _wait(port, proc, d / "error.log")
    return f"http://127.0.0.1:{port}", proc


def _apache(published: Published, name: str, site_conf: str, port: int) -> subprocess.Popen:
    if not shutil.which("apache2") or not (APACHE_MODULES / "mod_rewrite.so").is_file():
        pytest.skip("Apache httpd is installed by .ci/run (apt-get install apache2)")
    d = published.root / name
    d.mkdir(exist_ok=True)
    modules = "".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n"
                      for m in ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers", "proxy", "proxy_http"))
    user = "User www-data\nGroup www-data\n" if AS_ROOT else ""
    (d / "site.conf").write_text(site_conf)
    (d / "main.conf").write_text(
        f"ServerRoot {d}\nTypesConfig /dev/null\n{modules}Listen 127.0.0.1:{port}\nPidFile {d}/httpd.pid\n"
        f"ErrorLog {d}/error.log\nMutex file:{d}\n{user}ServerName localhost\nInclude {d}/site.conf\n")
    proc = subprocess.Popen(["apache2", "-f", str(d / "main.conf"), "-DFOREGROUND"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    _wait(port, proc, d / "error.log")
    return proc


@pytest.fixture(scope="module")
def pages_upstream(built, server):
    """Where nginx and Apache send what no file answers: `serve`'s site over the corpus build (the shared one,
    conftest.server) when the build left its generic pages to it (the default run's, conftest.CORPUS_PAGES), else
    nowhere."""
    return server.site_url.rstrip("/") if (built.out / SERVED).is_dir() else None


@pytest.fixture(scope="module", params=["serve", "nginx", "apache"])
def web(request, published, server, pages_upstream):
    """The base URL of the site as one of the three servers serves it (`serve`: the shared one, conftest.server)."""
    if request.param == "serve":
        yield server.site_url.rstrip("/")
        return
    if request.param == "nginx":
        url, proc = _nginx(published, pages_upstream)
    else:
        port = free_port()
        conf = render(DEPLOY, published.site, published.root / "apache", listen=f"127.0.0.1:{port}",
                      pages_upstream=pages_upstream)["apache.conf"]
        proc = _apache(published, "apache", conf.decode("utf-8"), port)
        url = f"http://127.0.0.1:{port}"
    yield url
    proc.terminate()
    proc.wait(timeout=15)


def get(url: str, path: str, headers: dict | None = None, conn: http.client.HTTPConnection | None = None):
    parts = urllib.parse.urlsplit(url)
    own = conn is None
    conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        if own:
            conn.close()


def _minted_iris(out: Path) -> list[str]:
    """Every IRI under the base that the dumps and the catalog name, without its fragment (the document a client
    fetches for it)."""
    text = (out / "helsegraf.nq").read_text(encoding="utf-8") + (out / "site" / "katalog.ttl").read_text(encoding="utf-8")
    return sorted({iri.split("#", 1)[0] for iri in re.findall(r"<(" + re.escape(BASE) + r"[^>]*)>", text)})


# -- one table of negotiation cases, three servers -----------------------------------------------------------

EXPECTED_TYPE = {".html": "text/html", ".ttl": "text/turtle", ".jsonld": "application/ld+json",
                 ".nt": "application/n-triples"}


@pytest.mark.parametrize("accept, preferred", CASES, ids=[str(c[0]) for c in CASES])
def test_negotiation_table(web, accept, preferred):
    status, headers, _ = get(web, "/id/tale-nhsp-2024", {} if accept is None else {"Accept": accept})
    if not preferred:
        assert status == 406
    else:
        assert status == 200 and headers["Content-Type"].startswith(EXPECTED_TYPE[preferred[0]])
        assert "Accept" in headers.get("Vary", "")


def test_every_kind_of_file_has_its_media_type(web, published):
    site = published.site
    seen = {}
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix not in seen and "pagefind" not in path.parts:
            seen[path.suffix] = "/" + str(path.relative_to(site))
    expected = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".ttl": "text/turtle",
                ".nt": "application/n-triples", ".jsonld": "application/ld+json", ".json": "application/json",
                ".gz": "application/gzip", ".svg": "image/svg+xml", ".xml": "application/xml", ".txt": "text/plain", ".csv": "text/csv"}
    assert set(seen) <= set(expected), set(seen) - set(expected)
    for suffix, path in seen.items():
        status, headers, _ = get(web, path)
        assert status == 200 and headers["Content-Type"].startswith(expected[suffix]), (path, headers["Content-Type"])
        assert "Content-Encoding" not in headers, path  # a dump is a .gz file, not a compressed response


def test_not_found_is_the_sites_404_page_and_no_directory_is_listed(web):
    status, headers, body = get(web, "/id/finnes-ikke")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert "Fant ikke siden" in body.decode("utf-8") and 'href="/static/style.css"' in body.decode("utf-8")
    for directory in ("/id/", "/static/", "/id/tale-nhsp-2024/"):
        status, _, body = get(web, directory)
        assert status in (403, 404) and b"Index of" not in body, directory


def test_the_ontology_and_its_terms_dereference(web):
    status, headers, body = get(web, "/ontology", {"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = ox.Store()
    g.load(body, format=ox.RdfFormat.TURTLE, base_iri=f"{BASE}ontology")
    assert g.query("ASK { <https://w3id.org/helsegraf/ontology#Measure> a <http://www.w3.org/2002/07/owl#Class> ; "
                   "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    status, _, body = get(web, "/ontology", {"Accept": "text/html"})
    assert status == 200 and b'id="Measure"' in body


def test_a_sample_of_the_iris_of_the_graph_dereferences(web, built):
    """Every IRI whose last segment holds a dot (regression: "boks-3.1" looked like a file with suffix ".1", so
    the box IRIs of the white paper were never negotiated and answered 404) and one in ten of the others answer
    Turtle that says something about them; 5 % of them HTML. Every IRI in `make test-whole-site`."""
    iris = _minted_iris(built.out)
    assert f"{BASE}id/meld-st-9-2023-2024/boks-3.1" in iris
    dotted = [i for i in iris if "." in i.rsplit("/", 1)[-1]]
    assert len(dotted) > 100
    assert _undereferenceable(web, sorted(set(dotted + iris[::10])), least=1000) == []


@pytest.mark.whole_site
def test_every_iri_of_the_graph_dereferences(web, built):
    """Each IRI the graph mints (fragments dropped) answers Turtle that says something about it; 5 % of them HTML."""
    assert _undereferenceable(web, _minted_iris(built.out)) == []


def _undereferenceable(web: str, iris: list[str], least: int = 1000) -> list[tuple]:
    assert len(iris) > least
    parts = urllib.parse.urlsplit(web)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    failed = []
    try:
        for n, iri in enumerate(iris):
            path = "/" + iri[len(BASE):]
            if path == "/":
                continue
            status, headers, body = get(web, path, {"Accept": "text/turtle"}, conn)
            if status != 200 or not headers["Content-Type"].startswith("text/turtle") or f"<{iri}".encode() not in body \
                    and iri.rsplit("/", 1)[-1].encode() not in body:
                failed.append((path, status))
            if n % 20 == 0:
                status, headers, _ = get(web, path, {"Accept": "text/html"}, conn)
                if status != 200 or not headers["Content-Type"].startswith("text/html"):
                    failed.append((path, status, "html"))
    finally:
        conn.close()
    return failed[:10]


# -- w3id.org in front ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def w3id(published, built):
    """An Apache with the build's w3id.org rules as helsegraf/.htaccess (as w3id.org holds them), redirecting to a
    `helsegraf serve` of the site."""
    servers = Servers(built.out, "127.0.0.1", free_port(), free_port(), Limits(timeout_s=5))
    servers.start()
    site = servers.site_url
    rules = render(load_deployment(deployment_path()).with_overrides(site_url=site), published.site,
                   published.root / "w3id")["w3id.htaccess"]
    root = published.root / "w3id-root"
    (root / "helsegraf").mkdir(parents=True)
    (root / "helsegraf" / ".htaccess").write_bytes(rules)
    port = free_port()
    proc = _apache(published, "w3id", f"""<VirtualHost 127.0.0.1:{port}>
    DocumentRoot "{root}"
    <Directory "{root}">
        AllowOverride All
        Require all granted
    </Directory>
</VirtualHost>
""", port)
    yield f"http://127.0.0.1:{port}", site
    proc.terminate()
    proc.wait(timeout=15)
    servers.stop()


def test_w3id_rules_send_every_iri_to_its_page_on_the_site(w3id, built):
    front, site = w3id
    rules = [line for line in (built.out / "deploy" / "w3id.htaccess").read_text().splitlines()
             if line.startswith("RewriteRule")]
    assert rules and all(line.split()[2].startswith(DEPLOY.site_url) for line in rules)
    iris = _minted_iris(built.out)
    sample = iris[::100] + [f"{BASE}ontology", f"{BASE}katalog", BASE]
    for iri in sample:
        path = iri[len(BASE):]
        status, headers, _ = get(front, "/helsegraf/" + path, {"Accept": "text/turtle"})
        assert status in (302, 303) and headers["Location"] == site + path, (iri, status, headers["Location"])
        status, headers, _ = get(site, "/" + path, {"Accept": "text/turtle"})
        assert status == 200, iri


@pytest.mark.parametrize("server", ["nginx", "apache"])
def test_pages_left_to_serve_are_made_behind_nginx_and_apache(server, one_built, one_served, tmp_path):
    """A build that left its generic pages to `serve` (--generic-pages served): the configuration it writes has the
    web server proxy what no file answers to `serve`'s site, so those pages dereference as the files would, by
    name and by content negotiation."""
    from tests.serving.test_page_maker import left_to_serve

    files, site = one_built.out / "site", one_served.out / "site"
    stem = left_to_serve(files, site)[0]
    published = _publish(site, tmp_path)
    servers = Servers(one_served.out, "127.0.0.1", free_port(), free_port(), Limits(timeout_s=5, workers=1))
    servers.start()
    try:
        upstream = servers.site_url.rstrip("/")
        if server == "nginx":
            url, proc = _nginx(published, upstream)
        else:
            port = free_port()
            conf = render(DEPLOY, site, tmp_path / "apache", listen=f"127.0.0.1:{port}", pages_upstream=upstream)
            proc, url = _apache(published, "apache", conf["apache.conf"].decode("utf-8"), port), f"http://127.0.0.1:{port}"
        try:
            status, headers, body = get(url, f"/{stem}", {"Accept": "text/turtle"})
            assert status == 200 and headers["Content-Type"].startswith("text/turtle")
            assert body == (files / f"{stem}.ttl").read_bytes()
            for suffix in (".html", ".jsonld"):
                assert get(url, f"/{stem}{suffix}")[2] == (files / f"{stem}{suffix}").read_bytes()
            assert get(url, f"/{stem}", {"Accept": "image/png"})[0] == 406
            assert get(url, "/id/finnes-ikke")[0] == 404
            assert get(url, "/id/tale-nhsp-2024", {"Accept": "text/turtle"})[2] == (site / "id/tale-nhsp-2024.ttl").read_bytes()
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    finally:
        servers.stop()
