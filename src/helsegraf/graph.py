"""Assembling the dataset: one named graph per document (with its mentions), one for the ontology, one for curated
reference data, one for curated document metadata and one for inferred triples."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from . import disk_store, memory, reasoning
from .document_work import Cache, run_each
from .errors import InputError
from .tomlrows import load_rows, need_str
from .parse import parse_document
from .paths import mappings_dir, ontology_dir
from .rdf.iris import Iris
from .entities.catalogue import load_catalogue
from .rdf.entities import catalogue_graph
from .rdf.reference import genres_graph
from .rdf.traces import scheme_graph, traces_triples, types_triples
from .traces import ItemRef, Traces, trace_corpus
from .traces.pairs import PairCache
from .records import ParsedDocument
from .serialize import SortedRuns
from .sources import Manifest


@dataclass
class Dataset:
    store: ox.Store
    iris: Iris
    parsed: list[ParsedDocument]
    graphs: dict[str, str] = field(default_factory=dict)  # name -> graph IRI
    mentions: dict[str, list] = field(default_factory=dict)  # document slug -> its mentions, until traced
    inferred: int = 0
    traced: dict = field(default_factory=dict)  # what tracing found (trace_summary), once its links are in the store
    link_seconds: float = 0.0  # typing and linking, for bench/ to compare with the build without them
    redone: list[str] = field(default_factory=list)  # documents worked on, not taken from the cache
    pairs_linked: int = 0  # pairs of documents linked anew, not taken from the cache
    document_seconds: float = 0.0  # the per-document stage (parse, map, mentions)


def trace_summary(traces: Traces) -> dict:
    """What tracing made of the corpus, for stats.json and the line `build` prints: links by relation, and how
    many items the typing could not place (no instrument cue, no topic), so a thin result is seen, not hidden."""
    return {"links": dict(sorted(Counter(l.relation for l in traces.links).items())),
            "items": len(traces.items),
            "default_instrument": sum(1 for t in traces.typed.values() if t.instrument_cue is None),
            "default_topic": sum(1 for t in traces.typed.values() if t.topics == (traces.topics.default,)),
            "time_expressions": sum(len(v) for v in traces.periods.values())}


def parse_all(manifest: Manifest, check_sha256: bool = True) -> list[ParsedDocument]:
    return [parse_document(d, check_sha256=check_sha256) for d in manifest.documents]


def assemble(manifest: Manifest, iris: Iris, ontology: Path | None = None, mappings: Path | None = None,
             check_sha256: bool = True, jobs: int | None = None, cache: Cache | None = None,
             executor: Executor | None = None, store: ox.Store | None = None,
             runs: SortedRuns | None = None) -> Dataset:
    """The whole dataset, in `store` (the build's, on disk; by default a new one in memory): each document worked
    on alone (document_work: in parallel, from the cache where its inputs are unchanged) and its graph added as it
    comes, then what needs them all: tracing, reference data, reasoning. Of each document only its parsed text is
    kept in memory (and its mentions until tracing has read them); its graph is in the store. Every quad given the
    store goes to `runs` too, where given (the build makes its sorted dump from them)."""
    ontology, mappings = ontology or ontology_dir(), mappings or mappings_dir()
    store = ox.Store() if store is None else store
    ontology_graph = Graph().parse(ontology / "helsegraf.ttl", format="turtle")
    reference, curated_meta = Graph(), Graph()
    catalogue = load_catalogue(mappings)
    actor_slugs = {e.slug for e in catalogue.of_kind("actor")}
    genres, genre_slugs = genres_graph(mappings / "genres.toml", iris)
    reference += catalogue_graph(catalogue, iris)
    reference += genres
    # read before any document is mapped, so a bad graphs.toml fails in a moment rather than after the corpus
    _describe_graphs(reference, manifest, iris, mappings / "graphs.toml")
    for doc in manifest.documents:
        for who in (doc.issuer, *doc.co_issuers, *([doc.government] if doc.government else [])):
            if who not in actor_slugs:
                raise InputError(manifest.path, f"'{doc.slug}' names actor {who!r}, which mappings/actors.toml lacks",
                                 doc.manifest_line)
        if doc.genre not in genre_slugs:
            raise InputError(manifest.path, f"'{doc.slug}' has genre {doc.genre!r}, which mappings/genres.toml lacks",
                             doc.manifest_line)
    t = time.perf_counter()
    outcome = run_each(list(manifest.documents), iris.base, mappings, check_sha256, jobs, cache, executor)
    ds = Dataset(store, iris, [], redone=outcome.redone)
    prepared = []
    for doc, r in zip(manifest.documents, outcome.results, strict=True):  # strict: the workers end with the last
        ds.parsed.append(r.parsed)
        ds.mentions[doc.slug] = r.mentions
        prepared.append(r.traced)
        name = str(iris.graph(doc.slug))
        ds.graphs[doc.slug] = name
        disk_store.add_ntriples(store, r.own, name, runs=runs)
        curated_meta.parse(data=r.curated, format="nt")
    parsed = ds.parsed
    ds.document_seconds = time.perf_counter() - t
    t = time.perf_counter()
    pairs = PairCache(cache.folder / "pairs.sqlite") if cache is not None else None
    try:
        traces = trace_corpus(list(manifest.documents), parsed, ds.mentions, mappings,
                              dict(zip((d.slug for d in manifest.documents), outcome.keys)), pairs, prepared)
    finally:
        if pairs is not None:
            pairs.close()
    ds.pairs_linked = traces.pairs_linked
    reference += scheme_graph(traces.instruments, iris)
    reference += scheme_graph(traces.topics, iris)
    locators = {ItemRef(d.slug, it.key): it.locator for d, p in zip(manifest.documents, parsed) for it in p.measures}
    tr_name, ty_name = str(iris.graph("traces")), str(iris.graph("types"))
    disk_store.add_triples(store, traces_triples(traces, iris, list(manifest.documents), locators), tr_name, runs=runs)
    disk_store.add_triples(store, types_triples(traces, iris, traces.periods), ty_name, runs=runs)
    ds.graphs.update(traces=tr_name, types=ty_name)
    ds.traced, ds.link_seconds = trace_summary(traces), time.perf_counter() - t
    # tracing's working data (every item's features, every link) and the mentions it read grow with the corpus:
    # not held through inference
    del traces, locators, prepared
    ds.mentions = {}
    memory.release()
    ref_name, cur_name, ont_name, inf_name = (str(iris.graph(n)) for n in ("reference", "curated", "ontology", "inferred"))
    disk_store.add_triples(store, reference, ref_name, runs=runs)
    disk_store.add_triples(store, curated_meta, cur_name, runs=runs)
    disk_store.add_triples(store, ontology_graph, ont_name, runs=runs)
    ds.graphs.update(reference=ref_name, curated=cur_name, ontology=ont_name, inferred=inf_name)

    closed = reasoning.close_ontology(ontology_graph)
    disk_store.add_triples(store, reasoning.schema_entailments(ontology_graph, closed), inf_name, runs=runs)
    data_graphs = [ds.graphs[d.slug] for d in manifest.documents] + [ref_name, cur_name, tr_name, ty_name]
    axioms = reasoning.axioms_from(closed)
    kept = None if cache is None else _kept_consequences(cache.folder / "inferred", manifest, outcome.keys,
                                                         ds.graphs, reasoning.axioms_digest(axioms))
    ds.inferred = reasoning.infer(store, axioms, inf_name, data_graphs, kept=kept, runs=runs)
    return ds


def _kept_consequences(folder: Path, manifest: Manifest, keys: list[str], graphs: dict[str, str],
                       axioms: str) -> dict[str, Path]:
    """Where each document graph's consequences are kept (reasoning.infer): named by the document's key and the
    axioms', so a changed document or ontology is reasoned on again. Files no document of the manifest names
    now are deleted, as the cache's documents are (document_work)."""
    kept = {graphs[d.slug]: folder / f"{d.slug}.{key[:32]}.{axioms[:16]}.nt" for d, key in zip(manifest.documents, keys)}
    if folder.is_dir():
        wanted = {p.name for p in kept.values()}
        for old in folder.iterdir():
            if old.name not in wanted:
                old.unlink()
    return kept


def _describe_graphs(reference: Graph, manifest: Manifest, iris: Iris, path: Path) -> None:
    """Provenance of the named graphs themselves (mappings/graphs.toml), so a reader can tell extracted from curated
    facts."""
    data, rows = load_rows(path, "graph")
    editors = iris.actor(manifest.curation_agent)
    reference.add((editors, RDF.type, PROV.Agent))
    reference.add((editors, RDFS.label, Literal("helsegraf-redaksjonen", lang="nb")))
    reference.add((editors, RDFS.label, Literal("helsegraf editors", lang="en")))

    def describe(g, nb: str, en: str) -> None:
        reference.add((g, RDF.type, PROV.Entity))
        reference.add((g, RDFS.label, Literal(nb, lang="nb")))
        reference.add((g, RDFS.label, Literal(en, lang="en")))

    for line, row in rows:
        g = iris.graph(need_str(path, line, row, "name"))
        describe(g, need_str(path, line, row, "nb"), need_str(path, line, row, "en"))
        if row.get("editors"):
            reference.add((g, PROV.wasAttributedTo, editors))
        if "source" in row:
            reference.add((g, DCTERMS.source, Literal(need_str(path, line, row, "source"))))
    cur = iris.graph("curated")
    reference.add((cur, DCTERMS.source, Literal(f"sources/{manifest.curation_source}")))
    if manifest.curation_note:
        reference.add((cur, RDFS.comment, Literal(manifest.curation_note, lang="en")))
    templates = data.get("documents")
    if not isinstance(templates, dict) or not all(isinstance(templates.get(k), str) for k in ("nb", "en")):
        raise InputError(path, "needs a [documents] table with 'nb' and 'en' label templates")
    for doc in manifest.documents:
        g = iris.graph(doc.slug)
        describe(g, templates["nb"].format(short_title=doc.short_title), templates["en"].format(short_title=doc.short_title))
        reference.add((g, PROV.wasDerivedFrom, iris.source_text(doc.slug)))
