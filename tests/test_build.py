"""The build: a valid, deterministic graph written atomically, and bad input that loses nothing."""

import json
import subprocess
import sys

import pyoxigraph as ox
import pytest

from helsegraf.build import build
from helsegraf.errors import InputError
from helsegraf.serialize import write_sorted_nquads
from helsegraf.traces.link import load_method
from tests.conftest import SEEDS
from tests.repo import MAPPINGS


def test_outputs_exist(built):
    out = built.out
    for name in ("helsegraf.nq", "helsegraf.ttl", "store", "site/index.html", "stats.json"):
        assert (out / name).exists(), name


def test_graphs_one_per_document_plus_ontology_reference_curated_inferred_metadata_traces_types(built, manifest):
    names = {g.rsplit("/", 1)[1] for g in built.quads_by_graph}
    assert names == {d.slug for d in manifest.documents} | {"ontology", "reference", "curated", "inferred", "metadata",
                                                             "traces", "types"}


def test_traces_live_in_their_own_graph_with_their_provenance(built):
    store = ox.Store.read_only(str(built.out / "store"))
    base = "https://w3id.org/helsegraf/"
    rows = list(store.query("""
        PREFIX hg: <https://w3id.org/helsegraf/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?g (COUNT(?t) AS ?n) (SAMPLE(?version) AS ?v) WHERE {
          GRAPH ?g { ?t a hg:Trace ; prov:wasGeneratedBy ?m . ?m owl:versionInfo ?version } } GROUP BY ?g"""))
    version = load_method(MAPPINGS / "trace_rules.toml").version
    assert [(r["g"].value, r["v"].value) for r in rows] == [(f"{base}graph/traces", version)]
    assert int(rows[0]["n"].value) > 1000


def test_nquads_are_sorted_and_load(built):
    lines = (built.out / "helsegraf.nq").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))
    store = ox.Store()
    store.load(path=str(built.out / "helsegraf.nq"), format=ox.RdfFormat.N_QUADS)
    assert len(store) == len(lines)


def test_the_dump_made_from_what_the_store_was_given_is_the_store_s_own_dump(built, tmp_path):
    # the build merges the runs it kept while loading (serialize.SortedRuns) rather than reading the store back
    write_sorted_nquads(ox.Store.read_only(str(built.out / "store")), tmp_path / "store.nq")
    assert (tmp_path / "store.nq").read_bytes() == (built.out / "helsegraf.nq").read_bytes()


def test_every_measure_is_in_the_graph(built, parsed):
    store = ox.Store.read_only(str(built.out / "store"))
    [row] = store.query("PREFIX hg: <https://w3id.org/helsegraf/ontology#> SELECT (COUNT(?m) AS ?n) "
                        "WHERE { ?m a hg:Measure }", use_default_graph_as_union=True)
    assert int(row["n"].value) == sum(len(p.measures) for p in parsed.values())
    # The seeds keep their exact counts: Meld. St. 9, speech (6 main moves, 6 other pledges), platform, Ap, Helsepartiet.
    assert [len(parsed[s].measures) for s in SEEDS] == [136, 12, 94, 43, 179]


def test_stats_report_counts(built):
    stats = json.loads((built.out / "stats.json").read_text())
    assert stats["measures"]["meld-st-9-2023-2024"]["boks-5.1"] == 33
    assert stats["triples"] == built.triples
    traces = stats["traces"]
    assert set(traces["links"]) == {"same", "overlapping", "contradicting"} and traces["items"] == 1188
    assert 0 < traces["default_instrument"] < traces["items"] / 2 and traces["time_expressions"] > 0


def test_base_iri_is_configurable(tmp_path, one_manifest):
    result = build(tmp_path / "b", one_manifest, base="https://example.org/hg/", site=False)
    text = (result.out / "helsegraf.nq").read_text(encoding="utf-8")
    assert "<https://example.org/hg/id/tale-nhsp-2024/hovedgrep/1>" in text
    assert "w3id.org/helsegraf/id/" not in text


def test_failed_build_leaves_previous_build_untouched(tmp_path):
    from tests.conftest import SPEECH, manifest_subset

    manifest = manifest_subset(tmp_path / "sources", [SPEECH])
    out = tmp_path / "build"
    build(out, manifest, site=False)
    before = (out / "helsegraf.nq").read_bytes()
    text = manifest.parent / "texts" / "002_03c0ab8b85c03008.txt"
    text.write_bytes(b"\xff\xfe")
    with pytest.raises(InputError):
        build(out, manifest, site=False)
    assert (out / "helsegraf.nq").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".build")] == []


def test_dumps_that_fail_in_their_own_process_fail_the_build_and_leave_the_previous_one(tmp_path, monkeypatch):
    """The dumps are written by a process of their own beside the site (build._Background): its failure is the
    build's, told with its cause, and the previous build stays as it was."""
    import helsegraf.build as build_module
    from tests.conftest import SPEECH, manifest_subset

    manifest = manifest_subset(tmp_path / "sources", [SPEECH])
    out = tmp_path / "build"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("the previous build", encoding="utf-8")

    def full_disk(folder, tmp):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "_write_dumps", full_disk)  # the forked process has it too
    with pytest.raises(RuntimeError, match="writing the dumps failed: OSError.*No space left"):
        build(out, manifest, jobs=1)
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "the previous build"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".build")] == []


def test_validation_opens_a_store_no_process_writes(tmp_path, monkeypatch):
    """Regression (CI, 2026-12-03): validation's workers open the store read-only; one opened while the writer's
    background compaction deleted a file it listed failed with "Corruption: ... No such file". The writer is closed
    before validation: a new writer can take the store's lock, and the store handed to validation is read-only."""
    import helsegraf.build as build_module
    from tests.conftest import SPEECH, manifest_subset

    seen = []
    real = build_module.check_store

    def check_store(triples, store, shapes_path, **kw):
        writer = ox.Store(str(kw["store_path"]))  # fails ("lock hold by current process") while the writer is open
        del writer
        with pytest.raises(RuntimeError, match="read-write"):
            store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o")))
        seen.append(kw["store_path"])
        return real(triples, store, shapes_path, **kw)

    monkeypatch.setattr(build_module, "check_store", check_store)
    build(tmp_path / "b", manifest_subset(tmp_path / "sources", [SPEECH]), site=False)
    assert len(seen) == 1


def _truncate_inside_box(sources_copy):
    """Cut the white paper off in the middle of Boks 3.1, and point the manifest at the new checksum."""
    import hashlib

    path = sources_copy.parent / "texts" / "003_6bc2f8ff33798407.txt"
    lines = path.read_text(encoding="utf-8").split("\n")[:1700]
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    m = sources_copy.read_text(encoding="utf-8")
    m = m.replace("2d7d74e1f228370d76c3c590c4b3b79a01c395834261a02a3a5fc1da4ba3915d", hashlib.sha256(data).hexdigest())
    sources_copy.write_text(m, encoding="utf-8")
    return path


def test_box_that_never_closes_is_an_error_with_file_and_line(sources_copy, tmp_path):
    path = _truncate_inside_box(sources_copy)
    with pytest.raises(InputError, match="Boks 3.1 opened at line 1630 never closes") as e:
        build(tmp_path / "b", sources_copy, site=False)
    assert e.value.path == path and e.value.line == 1630


def test_cli_reports_bad_input_without_traceback(sources_copy, tmp_path):
    _truncate_inside_box(sources_copy)
    out = tmp_path / "b"
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "build", "--manifest", str(sources_copy), "--out", str(out), "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == 65
    assert "003_6bc2f8ff33798407.txt:1630: Boks 3.1 opened at line 1630 never closes" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert not out.exists()


def test_cli_build_quiet_prints_nothing(tmp_path, one_manifest):
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "build", "--out", str(tmp_path / "b"), "--quiet", "--no-site",
                           "--manifest", str(one_manifest)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""


@pytest.mark.parametrize("broken, message", [
    ('[[graph]]\nname = "reference"\nnb = ""\nen = "x"\n', "'nb'"),
    ('[documents]\nnb = "x"\n', "[documents]"),
])
def test_a_bad_graph_description_is_an_error_with_file_and_line(tmp_path, manifest, broken, message):
    import shutil

    from helsegraf.graph import assemble
    from tests.repo import MAPPINGS
    from helsegraf.rdf.iris import Iris

    mappings = tmp_path / "mappings"
    shutil.copytree(MAPPINGS, mappings)
    (mappings / "graphs.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(InputError) as e:
        assemble(manifest, Iris("https://w3id.org/helsegraf/"), mappings=mappings)
    assert "graphs.toml" in str(e.value) and message in str(e.value)
    if "[[graph]]" in broken:
        assert "graphs.toml:1" in str(e.value)


def test_report_says_what_each_parser_saw(built, parsed):
    report = json.loads((built.out / "report.json").read_text())
    assert set(report) == set(parsed)
    for slug, row in report.items():
        assert row["measures"] == len(parsed[slug].distinct_measures) and row["items"] == len(parsed[slug].items)
    pdfs = [row for row in report.values() if "layout" in row]
    assert pdfs and all(r["layout"]["markers"] == r["items"] and r["layout"]["lead_ins"] > 0 for r in pdfs)


def test_a_build_for_a_public_address_publishes_no_loopback_address(one_built):
    """What a portal harvests (the catalog, VoID and the service description, the query page) names the public
    addresses the deployment gives, and no loopback one (regression: 127.0.0.1:7878 was published whatever was
    configured)."""
    site = one_built.out / "site"
    for name in ("katalog.ttl", "void.ttl", "sparql.html", "endpoint.json", "index.html", "dataset.ttl"):
        text = (site / name).read_text(encoding="utf-8")
        assert "127.0.0.1" not in text and "localhost" not in text, name
    assert "https://helsegraf.example.no/sparql" in (site / "katalog.ttl").read_text(encoding="utf-8")
    assert "https://helsegraf.example.no/dumps/helsegraf.nq.gz" in (site / "void.ttl").read_text(encoding="utf-8")


def test_public_refuses_a_deployment_that_cannot_be_published(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "build", "--out", str(tmp_path / "b"), "--public"],
                          capture_output=True, text=True)
    assert proc.returncode == 64
    assert "endpoint_url = http://127.0.0.1:7878/query is a loopback address" in proc.stderr
    assert "[contact] has neither email nor url" in proc.stderr
    assert not (tmp_path / "b").exists()
