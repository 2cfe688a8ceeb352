"""The static linked-data site: one HTML page per resource with its Turtle, N-Triples and JSON-LD beside it, class
indexes, ontology documentation, the query and search pages.

Data flows one way: the pages are planned from a few whole-graph queries (data.py, pages.py, indexes.py), then
written on every core (parallel.py, writer.py) from the Jinja2 templates in site/templates/, each asking the store
on disk for its resource and its neighbours (store_view.py): no copy of the whole graph is held in memory. The
generic pages (a resource no other page is about: every mention, span and line) are most of the site; the plan
holds only their IRIs, and each is made from the resource's own triples when it is written.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from collections.abc import Mapping
from itertools import chain
from pathlib import Path

from .. import serialize
from ..deployment import Deployment, load_deployment
from ..fingerprints import code_fingerprint, folder_fingerprint
from ..paths import deployment_path, mappings_dir, shipped, site_static, site_templates
from ..rdf.iris import Iris
from . import jsonld, measure_table, reuse, search_entries
from .generic_pages import ServedContext
from .i18n import LANGUAGES, NO_TRANSLATION
from .indexes import PLACES, ClassIndexes, PropertyUse
from .links import Paths
from .pages import MEASURE_CSV, SEARCH_INDEX, Planner, SitePlan
from .parallel import write_all
from .search_index import marked_templates
from .store_view import StoreView
from .vocabulary import load_vocabulary_labels
from .writer import Writer


def plan_site(view: StoreView, iris: Iris, writer: Writer, sources: Mapping[str, list[str]],
              deploy: Deployment, examples: list[dict]) -> tuple[SitePlan, dict[str, str], ServedContext]:
    """The pages to write, the other files the pages need (path → text), and what `serve` needs to make a generic
    page itself. Where the view reads the whole graph from the sorted dump (StoreView's `dump`), what else needs
    every resource is read in the same pass."""
    used = None
    if view.dump is not None:  # counted in the pass over the dump that reads the view's tables
        used = PropertyUse(writer.paths.page)
        view.visit(used.add)
    planner = Planner(view, writer.paths, str(iris.graph("ontology")), sources)
    indexes = ClassIndexes(view, writer.paths, planner.documents, planner.outlines, planner.top, writer.term_label,
                           used)
    class_pages = indexes.paths_by_class()
    writer.set_global("class_pages", class_pages)
    pages = planner.home(deploy, examples)
    pages += planner.measures()
    pages += planner.ontology(class_pages)
    pages += planner.entity_pages()
    pages += planner.document_pages()
    pages += planner.trace_pages()
    texts = planner.source_text_pages()
    made = [texts, *planner.resource_pages({p.iri for p in pages if p.iri} | set(texts.keys))]
    pages += indexes.pages()
    twice = [path for path, n in Counter(chain((p.path for p in pages), *(m.paths() for m in made))).items()
             if n > 1]
    if twice:
        raise AssertionError(f"two pages planned at {twice[:5]}")
    # Every page in every language but those that are data more than reading (see i18n.NO_TRANSLATION): the pages
    # made when written are among those, and are not searched.
    if any(m.template not in NO_TRANSLATION for m in made):
        raise AssertionError("a page made when written would need an English version")
    translated = [p for p in pages if p.template not in NO_TRANSLATION]
    writer.english = {p.path for p in translated}
    english = []
    ids = search_entries.identifiers(view)
    for lang in LANGUAGES:
        writer.use(lang.code)
        # the search page's index and the measure table's CSV name things in the language of the page using them
        # (the generic pages are not searched)
        planner.files[SEARCH_INDEX[lang.code]] = search_entries.script(
            search_entries.entries(pages, ids, writer.label), planner.documents, writer.gettext)
        if lang.prefix:
            english += [dataclasses.replace(p, path=lang.prefix + p.path, lang=lang.code) for p in translated]
            if planner.measure_rows:
                planner.files[MEASURE_CSV[lang.code]] = measure_table.to_csv(planner.measure_rows, writer.graph_label)
    writer.use("nb")
    # found once here, not in each forked worker
    context = ServedContext(deploy, class_pages, writer.all_fragments(), planner.source_text)
    return SitePlan(pages + english, made, planner.plan_facts), planner.files, context


@dataclasses.dataclass(frozen=True)
class Rendered:
    pages: int  # how many were written (or, for those left to `serve`, are served)
    searchable: list[str]  # the paths of the pages whose template carries the search index's marker, for Pagefind
    kept: int = 0  # of the pages written, those whose files were taken from the previous build (reuse.py)
    why_none_kept: str = ""  # where a cache was given but no page could be kept: why
    fresh: frozenset[str] | None = None  # with a cache, the pages rendered anew (the rest were kept); else None


@dataclasses.dataclass(frozen=True)
class SiteCache:
    """What lets a build keep the previous build's unchanged pages (reuse.py): the ledger's file in the build
    cache and the previous build's folder (its site and its dump); render_site's `dump` is the new build's."""
    ledger: Path
    previous_build: Path


def render_site(store: Path, iris: Iris, out: Path, sources: Mapping[str, list[str]] | None = None,
                deploy: Deployment | None = None, examples: list[dict] | None = None,
                jobs: int | None = None, served: Path | None = None, cache: SiteCache | None = None,
                dump: Path | None = None) -> Rendered:
    """Render every page of the graph in the store at `store` (on disk; opened read-only) into `out`. `sources`
    maps a document's IRI to its source lines (for the passages on item pages); `deploy` says where the site and
    the endpoint are published (default: the project's deployment file); `examples` are the query library's queries
    for the query page. With `served` (a folder that holds the source lines as SourceLines writes them), the
    generic pages are not written but left to `serve`, which makes them from the store when asked
    (serving/page_maker.py): what it needs beyond the store is saved there. With `cache`, the pages that would
    come out as the previous build's are linked from it rather than rendered (reuse.py), and what the next build
    needs to tell is kept in the cache. `dump`: the store's sorted N-Quads, when the build has written them (a
    cache needs them)."""
    if cache is not None and dump is None:
        raise ValueError("keeping the previous build's pages needs the new build's sorted dump")
    deploy = deploy or load_deployment(deployment_path())
    view = StoreView(store, dump, first=PLACES)
    writer = Writer(out, view, Paths(iris), load_vocabulary_labels())
    writer.set_global("deployment", deploy)
    pages, files, context = plan_site(view, iris, writer, sources or {}, deploy, examples or [])
    if cache is not None:
        shared = reuse.site_digest(code_fingerprint(), folder_fingerprint(shipped("site")),
                                   folder_fingerprint(mappings_dir()), deploy, context.class_pages, writer.nb_to_en(),
                                   context.source_text, served is not None)
        lines = reuse.lines_digests(sources or {})
        facts, item_docs = pages.facts()
        facts = reuse.hashed_facts(facts)
        writer.reuse = reuse.prepare(cache.ledger, cache.previous_build, dump, shared, writer.english, lines,
                                     view.quads_of, facts, item_docs)
        del item_docs
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(site_static(), out / "static")
    (out / "context.jsonld").write_text(jsonld.dumps(jsonld.context()), encoding="utf-8")
    # Where the query page sends its queries; `helsegraf serve` answers this path with the endpoint it runs.
    (out / "endpoint.json").write_text(json.dumps({"endpoint": deploy.endpoint_url}) + "\n", encoding="utf-8")
    for path, text in sorted(files.items()):
        (out / path).write_text(text, encoding="utf-8", newline="")
    if served is not None:
        context.save(served)
        left = sum(len(m) for m in pages.made if m.servable)
        written, records = write_all(writer, pages.without_servable(), jobs)
        written += left
    else:
        written, records = write_all(writer, pages, jobs)
    kept = sum(r.kept for r in records)
    if cache is not None:
        reuse.ledger_of(records, shared, serialize.file_sha256(dump), writer.english, lines,
                        facts).save(cache.ledger)
    _write_crawler_files(out, deploy.site_url, sorted(p for p in pages.paths() if p != "404.html"))
    marked = marked_templates(site_templates())
    searchable = [p.path for p in pages.planned if p.template in marked]
    searchable += [path for made in pages.made if made.template in marked for path in made.paths()]
    fresh = frozenset(r.path for r in records if not r.kept) if cache is not None else None
    return Rendered(written, sorted(searchable), kept, writer.reuse.why_not if writer.reuse else "", fresh)


SITEMAP_URLS = 50_000  # the sitemaps.org limit per file


def _write_crawler_files(out: Path, site_url: str, paths: list[str]) -> None:
    """robots.txt and the sitemap (split into files of SITEMAP_URLS under an index when the site is larger)."""
    from xml.sax.saxutils import escape as xml

    def urlset(chunk: list[str]) -> str:
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + "".join(f"  <url><loc>{xml(site_url + p)}</loc></url>\n" for p in chunk) + "</urlset>\n")

    chunks = [paths[i:i + SITEMAP_URLS] for i in range(0, len(paths), SITEMAP_URLS)] or [[]]
    if len(chunks) == 1:
        (out / "sitemap.xml").write_text(urlset(chunks[0]), encoding="utf-8")
    else:
        names = [f"sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
        for name, chunk in zip(names, chunks):
            (out / name).write_text(urlset(chunk), encoding="utf-8")
        (out / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(f"  <sitemap><loc>{xml(site_url + n)}</loc></sitemap>\n" for n in names) + "</sitemapindex>\n",
            encoding="utf-8")
    (out / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {site_url}sitemap.xml\n", encoding="utf-8")
