"""A build that leaves its generic pages to `serve` (`--generic-pages served`): each page it did not write is made
on request, byte for byte the file a build that writes every page has, in each of its formats and by content
negotiation; every resource's IRI still dereferences."""

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from helsegraf.serving.page_maker import PageMaker
from helsegraf.rdf.iris import PUBLISHED, Iris
from helsegraf.site.generic_pages import SERVED, ServedContext
from helsegraf.site.links import Paths
from tests.serving.test_site_server import get

SUFFIXES = (".html", ".ttl", ".nt", ".jsonld")


@pytest.fixture(scope="module")
def both(one_built, one_served):
    """One document built twice: every page written, and the generic pages left to `serve`."""
    return one_built, one_served


def left_to_serve(files: Path, served: Path) -> list[str]:
    """The pages (paths from the site's root, without suffix) the served build did not write."""
    return sorted(p.relative_to(files).as_posix()[:-5] for p in files.rglob("*.html")
                  if not (served / p.relative_to(files)).exists())


def test_the_served_build_leaves_the_generic_pages_and_writes_every_other_file_the_same(both):
    files, served = (r.out / "site" for r in both)
    left = left_to_serve(files, served)
    assert left and all(stem.startswith("id/") for stem in left)  # the fine-grained resources'
    written = {p.relative_to(served) for p in served.rglob("*") if p.is_file()}
    assert written < {p.relative_to(files) for p in files.rglob("*") if p.is_file()}
    assert all((files / p).read_bytes() == (served / p).read_bytes() for p in written)
    # the pages it leaves are still the site's pages: counted, and in the sitemap
    assert both[0].pages == both[1].pages
    assert (files / "sitemap.xml").read_bytes() == (served / "sitemap.xml").read_bytes()


def test_every_page_left_to_serve_is_made_as_the_file_it_would_have_been(both):
    files, served = both[0].out / "site", both[1].out / "site"
    maker = PageMaker(both[1].out)
    for stem in left_to_serve(files, served):
        made = maker.files(stem)
        assert made is not None, stem
        assert {s: made[s] for s in SUFFIXES} == {s: (files / (stem + s)).read_bytes() for s in SUFFIXES}, stem


def test_no_page_is_made_where_the_graph_has_no_resource(both):
    maker = PageMaker(both[1].out)
    assert maker.files("id/finnes-ikke") is None
    assert maker.files("id/../store/CURRENT") is None
    assert maker.files("ikke-id/x") is None


@pytest.fixture(scope="module")
def served_site(both):
    from helsegraf.serving.limits import Limits
    from helsegraf.serving.servers import Servers, free_port

    servers = Servers(both[1].out, "127.0.0.1", free_port(), free_port(), Limits(timeout_s=3, workers=1))
    servers.start()
    yield servers.site_url.rstrip("/")
    servers.stop()


@pytest.mark.parametrize("accept, suffix, ctype", [
    ("text/turtle", ".ttl", "text/turtle"), ("application/ld+json", ".jsonld", "application/ld+json"),
    ("application/n-triples", ".nt", "application/n-triples"),
    ("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", ".html", "text/html"), ("", ".html", "text/html")])
def test_serve_negotiates_a_made_page_as_a_written_one(both, served_site, accept, suffix, ctype):
    files = both[0].out / "site"
    stem = left_to_serve(files, both[1].out / "site")[0]
    status, headers, body = get(f"{served_site}/{stem}", {"Accept": accept} if accept else {})
    assert status == 200 and headers["Content-Type"].startswith(ctype) and "Accept" in headers["Vary"]
    assert body == (files / (stem + suffix)).read_bytes()
    assert headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"


def test_serve_answers_a_made_pages_files_by_name_head_gzip_and_conditionally(both, served_site):
    files = both[0].out / "site"
    stem = left_to_serve(files, both[1].out / "site")[-1]
    for suffix in SUFFIXES:
        status, _, body = get(f"{served_site}/{stem}{suffix}")
        assert status == 200 and body == (files / (stem + suffix)).read_bytes()
    status, headers, body = get(f"{served_site}/{stem}.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == (files / (stem + ".html")).stat().st_size
    status, headers, body = get(f"{served_site}/{stem}.html", {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == (files / (stem + ".html")).read_bytes()
    # a conditional request for an unchanged page costs no body, as for a file
    status, headers, _ = get(f"{served_site}/{stem}.ttl")
    assert get(f"{served_site}/{stem}.ttl", {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(f"{served_site}/{stem}.ttl", {"If-None-Match": '"other"'})[0] == 200
    assert get(f"{served_site}/{stem}", {"Accept": "image/png"})[0] == 406
    assert get(f"{served_site}/{stem}.png")[0] == 404
    assert get(f"{served_site}/id/finnes-ikke")[0] == 404


def test_every_resource_dereferences_from_the_served_build(both, served_site):
    """The linked-data guarantee: every resource the graph describes with a page on the site answers 200 (from
    its file, or made), as its page and as Turtle."""
    out = both[1].out
    store = ox.Store.read_only(str(out / "store"))
    paths = Paths(Iris(ServedContext.load(out / SERVED).deployment.base_iri))
    subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None, None)
                if isinstance(q.subject, ox.NamedNode)}
    pages = sorted(p for s in subjects if (p := paths.page(s)) and p[:-5].split("/", 1)[0] in PUBLISHED)
    left = set(left_to_serve(both[0].out / "site", out / "site"))
    assert left <= {p[:-5] for p in pages}
    for page in pages:
        assert get(f"{served_site}/{page}")[0] == 200, page
    for stem in sorted(left)[::10]:
        assert get(f"{served_site}/{stem}", {"Accept": "text/turtle"})[0] == 200, stem


def test_a_served_folder_that_cannot_be_read_fails_its_pages_alone(both, tmp_path):
    """Regression guard for the made pages' failure path: when what the build kept for `serve` cannot be read, a
    page left to it answers 500, the rest of the site is served, and the pages come back once it is mended."""
    import shutil

    from helsegraf.serving.limits import Limits
    from helsegraf.serving.servers import Servers, free_port

    out = tmp_path / "build"
    shutil.copytree(both[1].out, out, ignore=shutil.ignore_patterns("dumps", "pagefind"))
    context = out / SERVED / "context.json"
    good = context.read_bytes()
    context.write_bytes(good[:100])
    stem = left_to_serve(both[0].out / "site", out / "site")[0]
    servers = Servers(out, "127.0.0.1", free_port(), free_port(), Limits(timeout_s=3, workers=1))
    servers.start()
    try:
        url = servers.site_url.rstrip("/")
        assert get(f"{url}/{stem}")[0] == 500
        assert get(f"{url}/index.html")[0] == 200 and get(f"{url}/id/tale-nhsp-2024")[0] == 200
        context.write_bytes(good)
        status, _, body = get(f"{url}/{stem}")
        assert status == 200 and body == (both[0].out / "site" / f"{stem}.html").read_bytes()
    finally:
        servers.stop()
