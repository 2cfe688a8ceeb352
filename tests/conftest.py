"""Shared fixtures: the real manifest and documents, and one real build per test session."""

from __future__ import annotations

import fcntl
import gc
import pickle
import re
import shutil
from pathlib import Path

import pytest

from helsegraf.build import build
from helsegraf.parse import parse_document
from tests.repo import MANIFEST, SOURCES
from helsegraf.sources import load_manifest

# The test processes load whole graphs into rdflib (the dumps, pySHACL's data) and build corpora in-process. With
# CPython's default thresholds (700, 10, 10) their callbacks timed ~36 s in the collector over a run, most of it full
# collections of the growing graphs; collecting the young generation every 100,000 objects makes full collections
# rare (~13 s). Over the whole suite, user CPU 245-251 s -> 231 s (two runs without, one with; fresh temporary
# folders). It changes when garbage is found, not what any test does.
gc.set_threshold(100_000, 10, 10)

WHITE_PAPER = "meld-st-9-2023-2024"
PLATFORM = "hurdalsplattformen-2021-helse"
AP = "ap-var-felles-helsetjeneste-2023"
HP = "helsepartiet-prinsipprogram-2017"
SPEECH = "tale-nhsp-2024"
SEEDS = [WHITE_PAPER, SPEECH, PLATFORM, AP, HP]  # the five seed texts, first in the manifest


def manifest_subset(dst: Path, slugs: list[str]) -> Path:
    """A copy of sources/ holding the given documents only (their manifest entries unchanged); returns its manifest."""
    head, *entries = MANIFEST.read_text(encoding="utf-8").split("[[document]]")
    kept = [e for e in entries if re.search(r'^slug = "([^"]+)"', e, re.M).group(1) in slugs]
    assert len(kept) == len(slugs), slugs
    dst.mkdir(parents=True)
    shutil.copytree(SOURCES / "texts", dst / "texts")
    manifest = dst / "manifest.toml"
    manifest.write_text(head + "".join("[[document]]" + e for e in kept), encoding="utf-8")
    return manifest


@pytest.fixture(scope="session")
def manifest():
    return load_manifest(MANIFEST)


@pytest.fixture(scope="session")
def parsed(manifest):
    return {d.slug: parse_document(d) for d in manifest.documents}


@pytest.fixture(scope="session")
def measure_count(parsed) -> int:
    """Measures and commitments in all documents of the manifest, as the parsers count them."""
    return sum(len(p.measures) for p in parsed.values())


def shared_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.getbasetemp()
    # under pytest-xdist each worker's folder is popen-gwN, inside the run's folder which all workers share
    return root.parent if root.name.startswith("popen-gw") else root


def shared_build(tmp_path_factory, name: str, make):
    """`make(out)`'s result, made once per test run: under pytest-xdist the first worker to ask builds into the
    run's shared temporary folder while the others wait on a lock, then read the result it left beside the build.
    A build is read-only to the tests that share it."""
    folder = shared_root(tmp_path_factory) / f"shared-{name}"
    folder.mkdir(exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / "result.pickle"
        if done.exists():
            return pickle.loads(done.read_bytes())
        result = make(folder / "build")
        done.write_bytes(pickle.dumps(result))
        return result


# Where the corpus build's generic pages come from (build.GENERIC_PAGES): `make test` leaves them to `serve`, as a
# large deployment does, and reads them through it; a run that selects whole_site tests (`make test-whole-site`)
# writes them, so that every page is checked as a file. The served build takes ~17 of the build's ~72 CPU-s less
# (four builds, two of each) and writes 4,700 files where the other writes 16,400, which each test process reads.
CORPUS_PAGES = {"generic_pages": "served"}


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A build of the real sources, made once: its generic pages served or written (CORPUS_PAGES)."""
    mode = CORPUS_PAGES["generic_pages"]
    return shared_build(tmp_path_factory, f"corpus-{mode}", lambda out: build(out, generic_pages=mode))


@pytest.fixture(scope="session")
def one_manifest(tmp_path_factory) -> Path:
    """The speech alone: for build mechanics that need a real document but not a corpus (a second a build)."""
    return shared_build(tmp_path_factory, "one-sources", lambda out: manifest_subset(out / "sources", [SPEECH]))


# A deployment at public addresses, so that what a build publishes can be checked for loopback addresses.
PUBLIC = dict(endpoint_url="https://helsegraf.example.no/sparql", site_url="https://helsegraf.example.no/")


@pytest.fixture(scope="session")
def one_built(tmp_path_factory, one_manifest):
    """The speech alone, built with its site for a public deployment (PUBLIC), once."""
    return shared_build(tmp_path_factory, "one-built", lambda out: build(out, one_manifest, cache=None, **PUBLIC))


@pytest.fixture(scope="session")
def one_served(tmp_path_factory, one_manifest):
    """The same build, its generic pages left to `serve` (--generic-pages served)."""
    return shared_build(tmp_path_factory, "one-served",
                        lambda out: build(out, one_manifest, cache=None, generic_pages="served", **PUBLIC))


def synthetic_corpus(dst: Path) -> Path:
    """A small corpus of every text genre for build mechanics: one synthetic document modelled on each seed text
    (bench/synthetic.py), each cut after its first part past 150 lines — the white paper after its chapter 2.
    Returns its manifest."""
    from bench.synthetic import write_corpus

    return write_corpus(dst, copies=1, max_lines=150)


@pytest.fixture(scope="session")
def synthetic_built(tmp_path_factory):
    """The small synthetic corpus built once with its site, its documents' work and its pages' ledger kept in the
    cache beside it (`synthetic_cache`): copy both (`copy_build`) to build over them."""
    return shared_build(tmp_path_factory, "synthetic",
                        lambda out: build(out, synthetic_corpus(out.parent / "sources"), cache=synthetic_cache(out),
                                          search_bundle_pages=SYNTHETIC_BUNDLE_PAGES))


# The synthetic site's ~500 searchable pages in bundles as a large corpus's are (four), so that a rebuild over it
# keeps some and indexes others (site/search_index.py)
SYNTHETIC_BUNDLE_PAGES = 200


def copy_build(built, out: Path, cache: Path) -> None:
    """A shared build and its cache where a test may build over them: the site's files hard-linked (a build never
    writes a file in place), the store and the cache copied (an open store writes to its files)."""
    import os

    out.mkdir(parents=True)
    for part in built.out.iterdir():
        if part.name == "site":
            shutil.copytree(part, out / "site", symlinks=True, copy_function=os.link)
        elif part.is_dir():
            shutil.copytree(part, out / part.name, symlinks=True)
        else:
            shutil.copy2(part, out / part.name)
    shutil.copytree(synthetic_cache(built.out), cache)


@pytest.fixture(scope="session")
def small_pages_site(synthetic_built, tmp_path_factory) -> Path:
    """The small synthetic corpus's site, rendered from its store as a large corpus's is: a table page of 10
    measures at most, an index of 4 pairs of documents at most; its generic pages (mentions, spans, lines: most of
    it, and none of what these tests read) left to `serve`. Rendered once per run; read-only."""
    def render(out: Path) -> Path:
        from helsegraf.deployment import load_deployment
        from helsegraf.paths import deployment_path
        from helsegraf.rdf.iris import Iris
        from helsegraf.site import measure_table, pages, render_site
        from helsegraf.site.generic_pages import LINES
        from helsegraf.site.source_lines import SourceLines

        deploy = load_deployment(deployment_path())
        out.mkdir(parents=True)
        sources = SourceLines.write(out / "served" / LINES, {})
        with pytest.MonkeyPatch.context() as m:
            m.setattr(measure_table, "ROWS_PER_PAGE", 10)
            m.setattr(pages, "PAIRS_PER_PAGE", 4)
            render_site(synthetic_built.out / "store", Iris(deploy.base_iri), out / "site", sources, deploy=deploy,
                        jobs=1, served=out / "served")
        return out / "site"

    return shared_build(tmp_path_factory, "small-pages", render)


def synthetic_cache(out: Path) -> Path:
    """The cache the shared synthetic build filled (read-only, as the build is: copy it to build on it)."""
    return out.parent / "cache"


@pytest.fixture(scope="session")
def server(built):
    """`helsegraf serve` over the shared build: the endpoint and the site, on free loopback ports."""
    from helsegraf.serving.limits import Limits
    from helsegraf.serving.servers import Servers, free_port

    servers = Servers(built.out, "127.0.0.1", free_port(), free_port(),
                      Limits(timeout_s=3, max_result_bytes=2_000_000, workers=3))
    servers.start()
    yield servers
    servers.stop()


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    """A writable copy of sources/ for tests that break it; returns the copied manifest."""
    dst = tmp_path / "sources"
    shutil.copytree(SOURCES, dst)
    return dst / "manifest.toml"


def items_in(parsed_doc, part: str):
    return [i for i in parsed_doc.items if i.part == part]


@pytest.hookimpl(trylast=True)  # after `-m` has deselected what the run leaves out
def pytest_collection_modifyitems(items):
    """Run first one test that needs the shared corpus build, then the tests that do not, then the rest: under
    pytest-xdist one worker builds while the others run what needs no build, instead of all of them waiting on
    the build at the start (the order is the same in every worker, as xdist requires)."""
    def needs(item):
        return "built" in getattr(item, "fixturenames", ())

    if any(i.get_closest_marker("whole_site") for i in items):
        CORPUS_PAGES["generic_pages"] = "files"
    first = [i for i in items if needs(i)][:1]
    items[:] = first + [i for i in items if not needs(i)] + [i for i in items if needs(i) and i not in first]
