"""Each document's own work: the same result in one process, in several and on a Dask cluster; cached by what it
depends on, so an incremental build redoes only what changed and writes what a clean build writes."""

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from helsegraf import validation
from helsegraf.build import build
from helsegraf.document_work import Cache, cache_key, folder_fingerprint, run_all, run_each
from helsegraf.errors import InputError
from helsegraf.parse import parse_document
from helsegraf.rdf.iris import Iris
from helsegraf.serialize import file_sha256
from helsegraf.site.links import Paths
from helsegraf.sources import load_manifest
from tests.conftest import (PLATFORM, SPEECH, SYNTHETIC_BUNDLE_PAGES, copy_build, manifest_subset,
                            synthetic_corpus)
from tests.repo import MAPPINGS

BASE = "https://w3id.org/helsegraf/"
PAIR = [SPEECH, PLATFORM]


def _outputs(out):
    """Every file a build publishes, but the store's own database files (RocksDB's, not the data: the dumps are)
    and the web-server configurations, which name the build's folder."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] not in ("store", "deploy")}


def _edit(manifest, slug, old: str, new: str) -> None:
    """Change a document's text and its checksum in the manifest, as a new version of a source would."""
    doc = load_manifest(manifest).by_slug(slug)
    data = doc.path.read_bytes()
    assert old.encode() in data
    changed = data.replace(old.encode(), new.encode(), 1)
    doc.path.write_bytes(changed)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(doc.sha256, hashlib.sha256(changed).hexdigest()), encoding="utf-8")


def test_an_incremental_build_redoes_the_changed_document_and_equals_a_clean_build_made_elsewhere(
        tmp_path, synthetic_built, monkeypatch):
    """The small synthetic corpus (every text genre) built with its site and a cache (the shared build, copied), one
    document changed (a word of its prose; a measure's words, one of them now naming an actor), built again over
    the first build from the same cache; then built clean in another process with another hash seed. Byte for byte
    the same, the site included, though the rebuild rendered only the pages that changed and kept the rest
    (site/reuse.py). (Regression: the shared words of a trace and the roles of a mention came in the store's
    GROUP_CONCAT order, which differs between processes; two builds in one process agreed.)"""
    manifest = synthetic_corpus(tmp_path / "sources")  # the shared build's documents, written again to be changed
    slugs = [d.slug for d in load_manifest(manifest).documents]
    assert synthetic_built.redone == slugs and synthetic_built.pairs_linked == len(slugs) * (len(slugs) - 1) // 2
    assert synthetic_built.pages_kept == 0  # no previous site: every page rendered
    out, cache = tmp_path / "again", tmp_path / "cache"
    copy_build(synthetic_built, out, cache)
    check_all = validation._check_all
    actor_page = out / "site" / Paths(Iris(BASE)).page(str(Iris(BASE).actor("helsedirektoratet")))
    actor_before = actor_page.read_bytes()
    changed = slugs[0]
    _edit(manifest, changed, " og ", " samt ")
    doc = load_manifest(manifest).by_slug(changed)
    # A measure that item pages of other documents show among their links: what they show of it is made when
    # they are written (pages.Planner._traces_of), not hashed in their recipes, so the rebuild must find them by
    # what they read (dependencies.PLAN) and render them again.
    others = [p for p in (out / "site" / "id").rglob("*.html")
              if changed not in p.relative_to(out / "site").parts and b'id="spor"' in p.read_bytes()]
    measures = parse_document(doc).measures
    for measure in measures:
        link = Paths(Iris(BASE)).page(str(Iris(BASE).item(changed, measure.key))).split("/", 1)[1].encode()
        linkers = {p: p.read_bytes() for p in others if b'../' + link + b'"' in p.read_bytes()}
        if linkers:
            break
    assert linkers
    line = measure.span.start
    old = doc.path.read_text(encoding="utf-8").splitlines()[line - 1]
    word = max(re.findall(r"[a-zæøå]{5,}", old), key=len)
    _edit(manifest, changed, old, old.replace(word, "Helsedirektoratet", 1))
    # and a new measure after it, which no page read before: the pages of the pairs of documents it is in list it
    # among the measures no link ties (their recipes hold no measure: dependencies.PLAN)
    lines = doc.path.read_text(encoding="utf-8").split("\n")
    _edit(manifest, changed, "\n".join(lines[:measure.span.end + 1]), "\n".join(
        lines[:measure.span.end + 1] + ["– utrede en ny ordning for fastlegene i distriktene", ""]))
    assert len(parse_document(load_manifest(manifest).by_slug(changed)).measures) == len(measures) + 1
    # the clean build runs beside the incremental one (they share nothing but the sources)
    clean = subprocess.Popen([sys.executable, "-m", "helsegraf", "build", "-q", "--no-cache", "--jobs", "1", "--out",
                              str(tmp_path / "clean"), "--manifest", str(manifest), "--search-bundle-pages",
                              str(SYNTHETIC_BUNDLE_PAGES)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": "20261130"})
    whole = []  # validation judging the whole graph rather than what changed (validation.check_changed)
    monkeypatch.setattr(validation, "_check_all", lambda *a, **k: whole.append(1) or check_all(*a, **k))
    again = build(out, manifest, cache=cache, jobs=2, search_bundle_pages=SYNTHETIC_BUNDLE_PAGES)
    _, err = clean.communicate(timeout=600)
    assert again.redone == [changed]
    # validation judged what changed since the first build (its dump recorded) and recorded this one's
    assert whole == []
    assert json.loads((cache / "validated.json").read_text())["dump"] == file_sha256(out / "helsegraf.nq")
    assert again.pairs_linked == len(slugs) - 1  # the pairs it is in; the others' links kept
    assert 0 < again.pages_kept < again.pages - 100  # most pages kept, and the changed document's rendered
    # in bundles (site/search_index.py), each indexed again: every document has an item linked to the changed
    # one's, renumbered by the new measure (tests/site/test_reuse.py keeps them)
    assert synthetic_built.search_bundles[1] == again.search_bundles[1] > 2
    assert clean.returncode == 0, err
    a, c = _outputs(again.out), _outputs(tmp_path / "clean")
    assert len(a) > 1000 and a.keys() == c.keys()
    assert [name for name in a if a[name] != c[name]] == []
    assert actor_page.read_bytes() != actor_before  # the actor's page was rendered again: it names the measure
    assert [p for p, before in linkers.items() if p.read_bytes() == before] == []
    assert sum(b"ny ordning for fastlegene" in p.read_bytes() for p in (out / "site" / "spor").glob("*--*.html")) > 1
    # and the next build would take every document from the cache (what a build asks of it, without the build)
    assert run_each(list(load_manifest(manifest).documents), BASE, MAPPINGS, cache=Cache(cache)).redone == []


def test_what_a_document_depends_on_is_in_its_key(tmp_path, manifest):
    doc = manifest.by_slug(SPEECH)
    mappings = tmp_path / "mappings"
    shutil.copytree(MAPPINGS, mappings)
    key = cache_key(doc, BASE, folder_fingerprint(mappings))
    # where the entry and the file sit does not count: a moved checkout keeps its cache
    moved = dataclasses.replace(doc, manifest_line=1)
    assert cache_key(moved, BASE, folder_fingerprint(mappings)) == key
    assert cache_key(dataclasses.replace(doc, title="Another title"), BASE, folder_fingerprint(mappings)) != key
    assert cache_key(doc, "https://example.org/hg/", folder_fingerprint(mappings)) != key
    with open(mappings / "actors.toml", "a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert cache_key(doc, BASE, folder_fingerprint(mappings)) != key


def test_an_unreadable_cache_entry_is_worked_out_again(tmp_path, one_manifest):
    docs = list(load_manifest(one_manifest).documents)
    cache = Cache(tmp_path / "cache")
    assert run_all(docs, BASE, MAPPINGS, cache=cache, jobs=1).redone == [SPEECH]
    [entry] = (tmp_path / "cache").glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert run_all(docs, BASE, MAPPINGS, cache=cache, jobs=1).redone == [SPEECH]
    assert run_all(docs, BASE, MAPPINGS, cache=cache, jobs=1).redone == []


def test_results_come_one_at_a_time_so_a_corpus_is_never_held_whole(tmp_path):
    """run_each hands over a document's result before the next is worked out (in one process) or kept: the
    build adds each to the store as it comes and keeps only its parsed text."""
    docs = list(load_manifest(manifest_subset(tmp_path / "sources", PAIR)).documents)
    cache = Cache(tmp_path / "cache")
    outcome = run_each(docs, BASE, MAPPINGS, cache=cache, jobs=1)
    assert outcome.redone == PAIR  # known before any result is read
    results = iter(outcome.results)
    assert next(results).slug == PAIR[0]
    assert [p.name.split(".")[0] for p in (tmp_path / "cache").glob("*.pickle")] == [PAIR[0]]
    assert [r.slug for r in results] == PAIR[1:]
    assert sorted(p.name.split(".")[0] for p in (tmp_path / "cache").glob("*.pickle")) == sorted(PAIR)


def test_cached_documents_are_read_while_a_changed_one_is_worked_on_and_come_in_order(tmp_path):
    """A rebuild waits for the changed document's work: meanwhile it reads the cached documents after it (up to
    READ_AHEAD), and hands every result over in the manifest's order."""
    from concurrent.futures import Future

    from helsegraf.document_work import _read_ahead

    docs = list(load_manifest(manifest_subset(tmp_path / "sources", PAIR)).documents)
    cache = Cache(tmp_path / "cache")
    clean = run_all(docs, BASE, MAPPINGS, cache=cache, jobs=1)
    keys = clean.keys
    running, ahead = Future(), {}
    _read_ahead(running, 0, docs, keys, {0}, cache, ahead)
    assert list(ahead) == [1] and ahead[1] == clean.results[1]
    finished, ahead = Future(), {}
    finished.set_result(None)
    _read_ahead(finished, 0, docs, keys, {0}, cache, ahead)
    assert ahead == {}  # its result is there: nothing to wait for
    for entry in (tmp_path / "cache").glob(f"{PAIR[0]}.*.pickle"):
        entry.unlink()
    again = run_all(docs, BASE, MAPPINGS, cache=cache, jobs=2)
    assert again.redone == [PAIR[0]] and again.results == clean.results


def test_one_process_several_processes_and_a_dask_cluster_give_the_same_results(tmp_path):
    distributed = pytest.importorskip("distributed")
    docs = list(load_manifest(manifest_subset(tmp_path / "sources", PAIR)).documents)
    one = run_all(docs, BASE, MAPPINGS, jobs=1).results
    manifest = tmp_path / "sources" / "manifest.toml"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster, distributed.Client(cluster) as client:
        on_dask = run_all(docs, BASE, MAPPINGS, executor=client.get_executor()).results
        workers = client.run(lambda: 1)
        cli = subprocess.run([sys.executable, "-m", "helsegraf", "build", "-q", "--no-site", "--no-cache",
                              "--dask", cluster.scheduler_address, "--manifest", str(manifest),
                              "--out", str(tmp_path / "on-dask")], capture_output=True, text=True)
    assert len(workers) == 2
    assert one == on_dask and [r.slug for r in one] == PAIR
    assert all(r.own and r.parsed.items for r in one)
    assert cli.returncode == 0, cli.stderr
    # the build on the cluster is the build on this machine's processes (whose results are those of one process:
    # the same function, as on the cluster)
    here = build(tmp_path / "here", manifest, site=False, jobs=2)
    assert (tmp_path / "on-dask" / "helsegraf.nq").read_bytes() == (here.out / "helsegraf.nq").read_bytes()


def test_a_dask_address_where_no_scheduler_answers_is_a_usage_error(tmp_path, one_manifest):
    pytest.importorskip("distributed")
    from helsegraf.serving.servers import free_port

    proc = subprocess.run([sys.executable, "-m", "helsegraf", "build", "-q", "--no-site", "--manifest", str(one_manifest),
                           "--dask", f"tcp://127.0.0.1:{free_port()}", "--out", str(tmp_path / "b")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 64 and "no Dask scheduler answers at tcp://127.0.0.1:" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "b").exists()


def test_a_bad_document_fails_whole_from_a_worker_process(tmp_path):
    manifest = manifest_subset(tmp_path / "sources", PAIR)
    doc = load_manifest(manifest).by_slug(PLATFORM)
    doc.path.write_bytes(b"\xff\xfe")
    with pytest.raises(InputError) as e:
        run_all(list(load_manifest(manifest).documents), BASE, MAPPINGS, jobs=2, check_sha256=False)
    assert e.value.path == doc.path and e.value.line == 1 and "not UTF-8" in e.value.message


def test_the_cache_forgets_documents_the_manifest_no_longer_names(tmp_path):
    docs = list(load_manifest(manifest_subset(tmp_path / "sources", PAIR)).documents)
    cache = Cache(tmp_path / "cache")
    run_all(docs, BASE, MAPPINGS, cache=cache, jobs=1)
    assert sorted(p.name.split(".")[0] for p in (tmp_path / "cache").glob("*.pickle")) == sorted(PAIR)
    assert run_all(docs[:1], BASE, MAPPINGS, cache=cache, jobs=1).redone == []
    assert [p.name.split(".")[0] for p in (tmp_path / "cache").glob("*.pickle")] == [docs[0].slug]


def test_cache_and_no_cache_together_are_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "build", "--cache", str(tmp_path / "c"), "--no-cache",
                           "--out", str(tmp_path / "b")], capture_output=True, text=True)
    assert proc.returncode == 64 and "--cache and --no-cache contradict each other" in proc.stderr
    assert not (tmp_path / "b").exists() and not (tmp_path / "c").exists()


def test_a_dask_address_that_is_none_is_a_usage_error(tmp_path, one_manifest):
    pytest.importorskip("distributed")
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "build", "-q", "--no-site", "--manifest", str(one_manifest),
                           "--dask", "tcp://127.0.0.1:notaport", "--out", str(tmp_path / "b")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 64 and "no Dask scheduler answers at tcp://127.0.0.1:notaport" in proc.stderr
    assert "Traceback" not in proc.stderr
