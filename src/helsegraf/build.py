"""The build: sources → records → RDF → reasoning → SHACL → dumps, store and site, swapped in atomically.

Everything is written to a temporary directory beside the target; only a build that passed every stage replaces
the previous one, so a failed build leaves the last good build/ untouched.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
import sys
import time
from collections import Counter
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import Graph, Literal

from . import deploy_configs, memory, serialize
from .errors import ValidationError
from .document_work import Cache
from .graph import assemble
from .deployment import Deployment, load_deployment
from .paths import deployment_path, manifest_path as default_manifest, mappings_dir, ontology_dir
from .rdf.catalog import catalog_graph, load_settings
from .rdf.description import DUMPS, describe_into
from .rdf.iris import Iris
from .rdf.statistics import Statistics
from .records import ItemKind
from .queries import library_queries
from .site import SiteCache, render_site
from .cores import default_jobs
from .site.search_index import PAGES_PER_BUNDLE, Previous, index_site
from .site.generic_pages import LINES, SERVED
from .site.source_lines import SourceLines
from .sources import load_manifest
from .validation import Since, check_store

Progress = Callable[[str], None]
GENERIC_PAGES = ("files", "served")  # where the generic pages come from: files the build writes, or `serve`


@dataclass
class BuildResult:
    out: Path
    triples: int
    quads_by_graph: dict[str, int]
    measures: dict[str, dict[str, int]]
    pages: int
    seconds: dict[str, float] = field(default_factory=dict)
    report: dict[str, dict] = field(default_factory=dict)
    traces: dict = field(default_factory=dict)
    # the process's high-water mark of resident memory at the end of each stage, in MiB: bench/scale.py reads where
    # memory grows (and its children's peaks from /proc)
    peak_mib: dict[str, float] = field(default_factory=dict)
    redone: list[str] = field(default_factory=list)  # the documents worked on rather than taken from the cache
    pairs_linked: int = 0  # the pairs of documents linked rather than taken from the cache
    pages_kept: int = 0  # the pages whose files were taken from the previous build rather than rendered
    search_bundles: tuple[int, int] = (0, 0)  # of the search index's bundles: those linked from the previous build, all


def coverage_report(parsed) -> dict[str, dict]:
    """Per document: what its parser saw and what it made of it (build/report.json, and the table `build` prints)."""
    out = {}
    for p in parsed:
        kinds = Counter(it.kind.value for it in p.items)
        row = {"lines": len(p.lines), "parts": len(p.parts), "lists": len(p.groups), "items": len(p.items),
               "measures": len(p.distinct_measures), "restated": len(p.measures) - len(p.distinct_measures),
               "text_items": kinds.get(ItemKind.TEXT_ITEM.value, 0),
               "by_kind": dict(sorted(kinds.items()))}
        if p.coverage:
            row["layout"] = p.coverage
        out[p.slug] = row
    return out


def _count_measures(parsed) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for p in parsed:
        c: Counter = Counter()
        for it in p.items:
            if it.kind is ItemKind.TEXT_ITEM:
                c["(text items, not measures)"] += 1
            elif it.restates:
                c["(restated, counted once)"] += 1
            elif it.kind is ItemKind.COMMITMENT:
                c[it.part or "(before first heading)"] += 1
            else:
                c[it.part or "-"] += 1
        out[p.slug] = dict(sorted(c.items()))
    return out


@memory.own_objects_only()  # a build made in a process holding much (a test worker, `serve`) does not walk it all
def build(out: Path, manifest_path: Path | None = None, base: str | None = None, progress: Progress | None = None,
          check_sha256: bool = True, site: bool = True, endpoint_url: str | None = None, jobs: int | None = None,
          deployment: Deployment | None = None, site_url: str | None = None, cache: Path | None = None,
          executor: Executor | None = None, generic_pages: str = "files",
          search_bundle_pages: int | None = None) -> BuildResult:
    """Build everything into `out`, published as `deployment` says (default: the project's deployment file), with
    `base`, `endpoint_url` and `site_url` overriding its values. With `cache`, each document's own work is kept
    there and reused while its inputs stay the same (document_work); `executor` (a Dask client's, say) does that
    work instead of this machine's processes. `generic_pages`: "files" writes a page for every resource; "served"
    leaves the generic pages (every mention, span, line and trace link: most of the pages) to `serve`, which makes
    them from the store when asked, with what they need beside the store in `out`/served/. The search index is
    made in bundles of at most `search_bundle_pages` pages (default PAGES_PER_BUNDLE: site/search_index.py)."""
    if generic_pages not in GENERIC_PAGES:
        raise ValueError(f"generic_pages must be one of {GENERIC_PAGES}, not {generic_pages!r}")
    say = progress or (lambda _m: None)
    deploy = (deployment or load_deployment(deployment_path())).with_overrides(
        base_iri=base, endpoint_url=endpoint_url, site_url=site_url)
    iris = Iris(deploy.base_iri)
    seconds: dict[str, float] = {}
    peak: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        seconds[name] = round(now - t, 3)
        t = now
        # the build's own high-water mark; not its children's: getrusage charges a child started by exec (Pagefind)
        # with this process's peak (bench/process_peaks.py reads each child's own from /proc)
        peak[name] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    dumps: _Background | None = None
    try:
        # The graph is assembled in the store on disk that is served and rendered from, and every later stage
        # reads it from there or streams it from the sorted dump: no stage holds the whole graph in memory.
        store = ox.Store(str(tmp / "store"))
        say("documents: parsing, mapping and finding mentions, one document at a time")
        manifest = load_manifest(manifest_path or default_manifest())
        # what the store is given is kept as it goes in, for the sorted dump (serialize.SortedRuns)
        runs = serialize.SortedRuns(tmp / "runs")
        ds = assemble(manifest, iris, check_sha256=check_sha256, jobs=jobs, executor=executor,
                      cache=None if cache is None else Cache(cache), store=store, runs=runs)
        # Of the parsed documents the later stages need only what the report counts and the lines the site shows:
        # those lines go to disk, and the documents are let go before the stages that peak.
        coverage, measure_counts = coverage_report(ds.parsed), _count_measures(ds.parsed)
        if site:
            served = tmp / SERVED if generic_pages == "served" else None
            lines = served / LINES if served else tmp / LINES
            sources = SourceLines.write(lines, {str(iris.document(p.slug)): p.lines for p in ds.parsed})
        seconds["documents"] = round(ds.document_seconds, 3)  # inside map+reason: per document, in parallel, cached
        seconds["link"] = round(ds.link_seconds, 3)  # typing and linking, inside map+reason (bench/trace_speed.py)
        traced, pairs_linked, redone = ds.traced, ds.pairs_linked, ds.redone
        ds.store, ds.parsed = None, []
        memory.release()
        lap("map+reason")
        say("describe: the sorted N-Quads dump and the dataset's description")
        # The description's counts are read from the sorted dump of the rest, and its own graph merged into it.
        data, nq = tmp / "data.nq", tmp / "helsegraf.nq"
        quads = runs.merge_into(data)
        (tmp / "runs").rmdir()
        if quads != len(store):  # each quad the store holds was given it once or more, and kept as given
            raise RuntimeError(f"the sorted dump holds {quads} quads, the store {len(store)}: a load bypassed the runs")
        # compacted, as when the dump was read from the store: the inferred graph came in many bulk loads after
        # reasoning's own compaction, and the description looks terms up in the store, which is slower across many
        # files (reasoning.infer's note); whether that still pays here has not been measured since
        store.optimize()
        rest, described = Statistics.of_sorted_nquads(data), str(iris.graph("metadata"))
        metadata = describe_into(store, iris, deploy, rest)
        counts = rest.with_graph(store, described)
        serialize.add_graph(data, store, described, nq)
        data.unlink()
        # Nothing writes the store from here on. The writer is closed before any process opens it read-only: a
        # RocksDB read-only handle opened while the writer's background compaction deletes files it lists fails
        # ("Corruption: ... No such file"), as it once did in CI.
        store.optimize()
        store.flush()
        del store  # its last reference: pyoxigraph closes the writer
        store = ox.Store.read_only(str(tmp / "store"))
        lap("describe")
        say("validate: SHACL")
        # rdflib's memory store, which pySHACL reads, takes ~2 KB a triple: a large graph is validated a part at a
        # time, read in order from the sorted dump (bench/scale.py measured the peaks), the parts judged on every core
        # with a cache, a rebuild judges what changed since the last good build (in `out`, its dump validated)
        conforms, report, n = check_store(serialize.union_triples(nq), store, ontology_dir() / "shapes.ttl",
                                          store_path=tmp / "store", jobs=jobs or default_jobs(),
                                          verdicts=None if cache is None else cache / "validated.keys",
                                          since=None if cache is None else
                                          Since(out / "helsegraf.nq", cache / "validated.json", nq))
        if not conforms:
            raise ValidationError(f"the graph breaks {n} SHACL constraint(s):\n{report}")
        memory.release()
        lap("validate")
        say("write: dumps")
        newest = _newest_issued(store)
        del store  # the site's processes open it read-only themselves
        memory.release()
        # The Turtle file and the dumps read only the sorted N-Quads: with a site, they are written by a process
        # of their own beside it (the site's plan runs on one core, and a rebuild's site has little else to do)
        dumps = _Background(_files_from_dump, tmp, site) if site else None
        if dumps is None:
            _files_from_dump(tmp, False)
        lap("dumps")
        pages = pages_kept = 0
        search_bundles = (0, 0)
        if site:
            say("site: rendering pages")
            examples = [{"title": q.header.get("title", q.name), "nb": q.header.get("nb", ""), "en": q.header.get("en", ""),
                         "text": q.bind({}, deploy.base_iri).text} for q in library_queries()]
            site_cache = None if cache is None else SiteCache(cache / "site-pages.ledger", out)
            rendered = render_site(tmp / "store", iris, tmp / "site", sources, deploy, examples, jobs, served,
                                   site_cache, dump=nq)
            pages, pages_kept = rendered.pages, rendered.kept
            if rendered.why_none_kept:
                say(f"site: no page kept from the previous build ({rendered.why_none_kept})")
            if served is None:
                shutil.rmtree(lines)
            dumps.wait()
            _publish_files(iris, newest, metadata, tmp / "site", tmp / "dumps", deploy)
            # nginx, Apache and w3id.org configurations for this deployment, naming where the build will be.
            deploy_configs.write(deploy, tmp / "deploy", out / "site", out / "deploy", served is not None)
            lap("site")
            say("search: indexing the site with pagefind")
            indexed = index_site(tmp / "site", rendered.searchable, search_bundle_pages or PAGES_PER_BUNDLE,
                                 _previous_index(out, rendered.fresh))
            search_bundles = (indexed.kept, indexed.bundles)
            # beside the site, not in it: what the next build needs to tell which bundles it may keep
            serialize.write(tmp / SEARCH_RECORD, (json.dumps(indexed.record, indent=1, sort_keys=True,
                                                             ensure_ascii=False) + "\n").encode())
            lap("search")
        result = BuildResult(out, counts.triples, dict(sorted(counts.graphs.items())), measure_counts, pages,
                             seconds, coverage, traced, peak, redone, pairs_linked, pages_kept, search_bundles)
        serialize.write(tmp / "report.json",
                        (json.dumps(coverage, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode())
        stats = {"triples": result.triples, "quads_by_graph": result.quads_by_graph, "measures": result.measures,
                 "pages": pages, "traces": result.traces}
        serialize.write(tmp / "stats.json", (json.dumps(stats, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode())
        _swap(tmp, out)
    except BaseException:
        if dumps is not None:
            dumps.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


SEARCH_RECORD = "search-bundles.json"


def _previous_index(out: Path, fresh: frozenset[str] | None) -> Previous | None:
    """What the build in `out` (the previous one) left of its search index that this one may keep: nothing where
    this build kept no page from it (`fresh` None: rendered without a cache), or its record cannot be read."""
    if fresh is None:
        return None
    try:
        record = json.loads((out / SEARCH_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Previous(out / "site", record, fresh) if isinstance(record, dict) else None


def _files_from_dump(tmp: Path, dumps: bool) -> None:
    """helsegraf.ttl and (with `dumps`) the gzipped dumps, from the sorted N-Quads at tmp/helsegraf.nq."""
    with open(tmp / "helsegraf.ttl", "wb") as f:
        serialize.write_turtle(serialize.union_triples(tmp / "helsegraf.nq"), f)
    if dumps:
        _write_dumps(tmp / "dumps", tmp)


class _Background:
    """`work(*args)` in a forked process (no threads: the site's workers fork after it), whose error, if any, is
    raised by `wait` in the build."""

    def __init__(self, work: Callable, *args):
        ctx = multiprocessing.get_context("fork")
        self._read, write = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_run_reporting, args=(write, work, args), daemon=True)
        self._proc.start()
        write.close()

    def wait(self) -> None:
        try:
            error = self._read.recv()
        except EOFError:  # ended without a word: killed
            error = None
        self._proc.join()
        if error is not None or self._proc.exitcode != 0:
            raise RuntimeError(f"writing the dumps failed: {error or f'exit code {self._proc.exitcode}'}")

    def stop(self) -> None:
        """On a failed build: end it before its folder is deleted."""
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()


def _run_reporting(pipe, work: Callable, args) -> None:
    try:
        work(*args)
    except BaseException as e:  # told to the build, which fails with it (no traceback of its own on stderr)
        pipe.send(f"{type(e).__name__}: {e}")
        sys.exit(1)
    else:
        pipe.send(None)


def _write_dumps(folder: Path, tmp: Path) -> None:
    """The full dumps, gzipped without a timestamp: N-Quads and Turtle from the files just written, N-Triples from
    the union read back from the sorted N-Quads, JSON-LD from the sorted quads (so it keeps the named graphs, as
    N-Quads does)."""
    nq = tmp / "helsegraf.nq"
    serialize.gzip_file(nq, folder / "helsegraf.nq.gz")
    serialize.gzip_file(tmp / "helsegraf.ttl", folder / "helsegraf.ttl.gz")
    with serialize.gzipped(folder / "helsegraf.nt.gz") as out:
        ox.serialize(serialize.union_triples(nq), out, format=ox.RdfFormat.N_TRIPLES)
    with serialize.gzipped(folder / "helsegraf.jsonld.gz") as out:
        ox.serialize(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS), out, format=ox.RdfFormat.JSON_LD)


def _newest_issued(store: ox.Store) -> Literal | None:
    """The newest document's date of issue, where it is a full date (a month or a year is not a date DCAT-AP-NO
    takes as dcterms:modified)."""
    newest = max((row["d"] for row in store.query(
        "SELECT ?d WHERE { ?doc a <https://w3id.org/helsegraf/ontology#Document> ; <http://purl.org/dc/terms/issued> ?d "
        "FILTER(DATATYPE(?d) = <http://www.w3.org/2001/XMLSchema#date>) }",
        use_default_graph_as_union=True)), key=lambda d: d.value, default=None)
    return None if newest is None else Literal(newest.value, datatype=newest.datatype.value)


def _publish_files(iris, newest: Literal | None, metadata: Graph, site: Path, dumps: Path,
                   deploy: Deployment) -> None:
    """The dataset description and the full dumps, at fixed paths of the site."""
    serialize.write(site / "void.ttl", serialize.graph_turtle(metadata))
    sizes = {}
    (site / "dumps").mkdir(exist_ok=True)
    for name, _ in DUMPS:
        sizes[name] = (dumps / name).stat().st_size
        (dumps / name).rename(site / "dumps" / name)
    dumps.rmdir()
    # The catalog names the dumps' sizes, so it lives beside them as a file rather than inside them.
    catalog = catalog_graph(load_settings(mappings_dir() / "catalog.toml"), iris, deploy, sizes, newest)
    serialize.write(site / "katalog.ttl", serialize.graph_turtle(catalog))

def _swap(tmp: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
