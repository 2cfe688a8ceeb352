"""The `helsegraf` command line: build, query, queries, inspect, serve.

Exit codes: 0 success, 1 a runtime failure, 64 a usage error, 65 bad input data (source, mapping or query file),
66 a graph that breaks the SHACL shapes, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
import urllib.parse
from pathlib import Path

import click

from . import __version__, paths
from .errors import HelsegrafError, InputError, UsageError

FORMATS = ("table", "csv", "tsv", "json")


def _fail(e: HelsegrafError) -> None:
    click.echo(f"helsegraf: error: {e}", err=True)
    sys.exit(e.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="helsegraf")
@click.option("--project", type=click.Path(path_type=Path, file_okay=False), envvar="HELSEGRAF_PROJECT",
              help="Project directory: its sources/manifest.toml, its mappings/ if it has one, and its build/ "
                   "[default: the current directory if it holds sources/manifest.toml, else helsegraf's checkout] "
                   "(or set HELSEGRAF_PROJECT).")
def main(project: Path | None) -> None:
    """helsegraf: the knowledge graph of Norwegian health policy.

    Build the graph from the documents in a project's sources/, query it, and serve it as a SPARQL endpoint and a
    site. `helsegraf init DIR` makes a new project.
    """
    if project is not None:
        if not (project / "sources" / "manifest.toml").is_file():
            _fail(InputError(project, "not a helsegraf project: it has no sources/manifest.toml "
                                      "(`helsegraf init` makes one)"))
        paths.set_project(project)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--with-mappings", is_flag=True,
              help="Copy the shipped mappings (actors, laws, reports, genre rules …) into the project to edit them.")
def init(directory: Path, with_mappings: bool) -> None:
    """Make DIRECTORY a new project: sources/manifest.toml (with an example entry to fill in) and, with
    --with-mappings, a copy of the shipped mappings/ that the project then uses instead."""
    import shutil

    manifest = directory / "sources" / "manifest.toml"
    if manifest.exists():
        _fail(InputError(manifest, "already exists; nothing was changed"))
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(_MANIFEST_TEMPLATE, encoding="utf-8")
    if with_mappings:
        shutil.copytree(paths.shipped("mappings"), directory / "mappings", dirs_exist_ok=False)
    click.echo(f"made {manifest}: add a [[document]] for each source, then `helsegraf --project {directory} build`")


_MANIFEST_TEMPLATE = """\
# The documents this project maps: one [[document]] per source, a text or a PDF next to this file.
# sha256 guards the file against silent change (sha256sum FILE). For a PDF, `pages` (and optionally `start` and
# `stop`, the headings to read between) select the part to map. `parser` is the genre: white_paper, programme
# or speech. `issuer` and `genre` name rows of the mappings (actors.toml, genres.toml).
#
# [[document]]
# slug = "partiet-2025-2029-helse"
# file = "pdf/partiet-2025-2029.pdf"
# sha256 = "…"
# parser = "programme"
# pages = "40-52"
# start = "Helse og omsorg"
# title = "Partiets program 2025–2029 – Helse og omsorg"
# short_title = "Partiets program 2025–2029 (helse)"
# genre = "partiprogram"
# issuer = "arbeiderpartiet"
# date = "2025"
# curated = []
"""


@contextlib.contextmanager
def _dask_executor(address: str | None):
    """A concurrent.futures executor on the Dask cluster at `address`, or None (this machine's processes)."""
    if address is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        _fail(UsageError("--dask needs Dask distributed: pip install 'helsegraf[cluster]'"))
    try:
        _reachable(address)
        client = Client(address, timeout="5s")
    except (OSError, TimeoutError, ValueError) as e:  # ValueError: an address that is none (a port not a number)
        _fail(UsageError(f"no Dask scheduler answers at {address}: {e}"))
    try:
        yield client.get_executor()
    finally:
        client.close()


def _reachable(address: str) -> None:
    """Raise OSError at once where nothing listens at a tcp:// address (Dask's client would retry until its
    timeout); other schemes are left to Dask."""
    parts = urllib.parse.urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        socket.create_connection((parts.hostname, parts.port), timeout=5).close()


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=None, show_default="the project's build/",
              help="Build directory (replaced atomically only when the build succeeds).")
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              show_default="the project's sources/manifest.toml", help="Source manifest naming the documents to map.")
@click.option("--deployment", type=click.Path(path_type=Path, dir_okay=False), envvar="HELSEGRAF_DEPLOYMENT",
              default=None, show_default="the project's deploy/deployment.toml, else the shipped one",
              help="Deployment file: base IRI, endpoint and site URLs, publisher, contact, licence (or set "
                   "HELSEGRAF_DEPLOYMENT).")
@click.option("--base", envvar="HELSEGRAF_BASE", default=None, show_default="the deployment's base_iri",
              help="Base IRI of every minted resource (or set HELSEGRAF_BASE).")
@click.option("--endpoint-url", envvar="HELSEGRAF_ENDPOINT", default=None, show_default="the deployment's endpoint_url",
              help="The SPARQL endpoint's public URL (or set HELSEGRAF_ENDPOINT).")
@click.option("--site-url", envvar="HELSEGRAF_SITE_URL", default=None, show_default="the deployment's site_url",
              help="The site's public URL (or set HELSEGRAF_SITE_URL).")
@click.option("--public", is_flag=True,
              help="Refuse to build unless the deployment is publishable: no loopback address, a contact set.")
@click.option("--no-site", is_flag=True, help="Skip rendering the site.")
@click.option("--generic-pages", type=click.Choice(["files", "served"]), default="files", show_default=True,
              help="The generic pages (a page per mention, span, line and trace link: most of a large site): written "
                   "as files, or left to `helsegraf serve`, which makes each from the store when it is asked for "
                   "(a web server in front proxies to it: docs/content-negotiation.md).")
@click.option("--search-bundle-pages", type=click.IntRange(min=1), default=None,
              show_default="10,000",  # site/search_index.PAGES_PER_BUNDLE, not imported for --help's sake (tested)
              help="The most pages one run of Pagefind indexes: a larger site's search index is made in bundles of "
                   "this many, which the search page merges (Pagefind's memory grows with the pages it is given).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, envvar="HELSEGRAF_JOBS",
              help="Processes working on the documents and rendering the site (or set HELSEGRAF_JOBS) [default: one "
                   "per available core].")
@click.option("--cache", type=click.Path(path_type=Path, file_okay=False), default=None,
              show_default="OUT.cache beside the build",
              help="Folder keeping each document's parsed and mapped result, reused while the document, its manifest "
                   "entry, the mappings and the code stay the same.")
@click.option("--no-cache", is_flag=True, help="Work on every document anew, and keep nothing.")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Do the per-document work on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); "
                   "needs the `cluster` extra (pip install 'helsegraf[cluster]').")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(out: Path | None, manifest: Path | None, deployment: Path | None, base: str | None,
          endpoint_url: str | None, site_url: str | None, public: bool, no_site: bool, generic_pages: str,
          search_bundle_pages: int | None, jobs: int | None, cache: Path | None, no_cache: bool,
          dask_address: str | None, quiet: bool) -> None:
    """Parse, map, reason, validate; write dumps, the store and the site."""
    from .build import build as run_build
    from .deployment import load_deployment

    out, manifest = out or paths.build_dir(), manifest or paths.manifest_path()
    if no_cache and cache is not None:
        _fail(UsageError("--cache and --no-cache contradict each other"))
    cache = None if no_cache else (cache or out.parent / f"{out.name}.cache")
    try:
        deploy = load_deployment(deployment or paths.deployment_path()).with_overrides(
            base_iri=base, endpoint_url=endpoint_url, site_url=site_url)
    except HelsegrafError as e:
        _fail(e)
    if public and deploy.public_problems():
        _fail(UsageError("not publishable (--public): " + "; ".join(deploy.public_problems())))

    show = not quiet and sys.stderr.isatty()
    start = time.perf_counter()

    def progress(msg: str) -> None:
        if show:
            click.echo(f"[{time.perf_counter() - start:5.1f}s] {msg}", err=True)

    try:
        with _dask_executor(dask_address) as executor:
            result = run_build(out, manifest, progress=progress, site=not no_site, jobs=jobs, deployment=deploy,
                               cache=cache, executor=executor, generic_pages=generic_pages,
                               search_bundle_pages=search_bundle_pages)
    except HelsegrafError as e:
        _fail(e)
    if show:
        click.echo(f"{'document':<40}{'lines':>7}{'lists':>7}{'items':>7}{'measures':>9}{'as text':>9}", err=True)
        for slug, row in result.report.items():
            click.echo(f"{slug:<40}{row['lines']:>7}{row['lists']:>7}{row['items']:>7}{row['measures']:>9}"
                       f"{row['text_items']:>9}", err=True)
    if show and cache is not None:
        click.echo(f"documents worked on: {len(result.redone)} of {len(result.report)} (the rest from {cache})",
                   err=True)
        pairs = len(result.report) * (len(result.report) - 1) // 2
        click.echo(f"pairs of documents linked: {result.pairs_linked} of {pairs} (the rest from {cache})", err=True)
        if not no_site:
            click.echo(f"pages kept from the previous build: {result.pages_kept} of {result.pages}", err=True)
            kept, bundles = result.search_bundles
            click.echo(f"search index bundles kept from the previous build: {kept} of {bundles}", err=True)
    if not quiet:
        n = sum(sum(v for k, v in c.items() if not k.startswith("(")) for c in result.measures.values())
        links = result.traces.get("links", {})
        click.echo(f"built {result.out}: {result.triples} triples, {n} measures and commitments, {result.pages} pages, "
                   f"{sum(links.values())} traces ({', '.join(f'{v} {k}' for k, v in links.items())})")


@main.command("trace-weights")
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              show_default="the project's sources/manifest.toml", help="Source manifest naming the documents to count.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              show_default="trace_weights.toml in the project's mappings", help="Where to write the table.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def trace_weights(manifest: Path | None, out: Path | None, quiet: bool) -> None:
    """Count the terms of the manifest's documents into the reference table tracing weighs terms by.

    Tracing weighs a term by how rare it is in this fixed reference corpus rather than in the corpus being built,
    so the links between two documents depend on those two alone. Run it when the corpus has grown enough to
    shift the counts, and bump the version in trace_rules.toml with it.
    """
    from .document_work import run_all
    from .sources import load_manifest
    from .traces import reference_counts
    from .traces.weights import write_counts

    out = out or paths.mappings_dir() / "trace_weights.toml"
    try:
        m = load_manifest(manifest or paths.manifest_path())
        docs = list(m.documents)
        if not docs:
            raise InputError(m.path, "names no documents to count")
        results = run_all(docs, "https://example.org/", paths.mappings_dir()).results
        counts = reference_counts([r.traced for r in results])  # the features each document's work found
    except HelsegrafError as e:
        _fail(e)
    write_counts(counts, out)
    if not quiet:
        click.echo(f"wrote {out}: {len(counts.counts)} terms over {counts.items} items of {len(counts.documents)} "
                   f"documents")


@main.command()
@click.argument("query")
@click.option("--store", type=click.Path(path_type=Path), default=None, show_default="the project's build/store",
              help="The on-disk store to query in-process.")
@click.option("--endpoint", metavar="URL", help="Query a running SPARQL endpoint instead of the store.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A value for one of the query's parameters (`helsegraf queries` lists them); repeatable.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: table on a terminal, csv when piped].")
def query(query: str, store: Path | None, endpoint: str | None, params: tuple[str, ...], fmt: str | None) -> None:
    """Run QUERY: a name from the query library (see `helsegraf queries`), a path to a .rq file, the query's text
    itself, or - to read it from standard input.

    \b
    helsegraf query tasks-for-actor --param actor=ks
    helsegraf query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from .deployment import load_deployment
    from .queries import format_results, inline_query, load_query, run_local, run_remote

    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    try:
        values = {}
        for p in params:
            name, eq, value = p.partition("=")
            if not eq or not name:
                raise UsageError(f"--param takes NAME=VALUE, not {p!r}")
            values[name.strip()] = value.strip()
        if query == "-":
            q = inline_query(sys.stdin.read(), "<stdin>")
        elif any(c.isspace() for c in query.strip()) or "{" in query:
            q = inline_query(query, "<inline query>")
        else:
            q = load_query(query)
        if values:
            q = q.bind(values, load_deployment(paths.deployment_path()).base_iri)
        res = run_remote(q, endpoint) if endpoint else run_local(q, store or paths.build_dir() / "store")
    except HelsegrafError as e:
        _fail(e)
    click.echo(format_results(res, fmt), nl=False)


@main.command()
def queries() -> None:
    """List the query library: name, columns and the question each answers."""
    from .queries import library_queries

    try:
        for q in library_queries():
            given = " ".join(f"{k}={v}" for k, v in q.params.items())
            click.echo(f"{q.name}\t{q.header.get('columns', '')}\t{q.header.get('en', '')}"
                       + (f"\tparameters: {given}" if given else ""))
    except HelsegrafError as e:
        _fail(e)


@main.command()
@click.argument("source", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--pages", metavar="FIRST-LAST", help="Only these pages of the PDF (1-based, inclusive), e.g. 28-33.")
@click.option("--removed/--no-removed", default=True, show_default=True,
              help="Show the lines taken out (running headers and footers, page and line numbers).")
@click.option("--parsed", is_flag=True,
              help="Show what the programme parser made of the lines instead: headings, lists with their lead-in "
                   "and kind, items, and its coverage counts.")
@click.option("--start", metavar="HEADING", help="With --parsed: read from this heading on, as a manifest's `start`.")
@click.option("--stop", metavar="HEADING", help="With --parsed: stop at this heading, as a manifest's `stop`.")
@click.option("--parser", "genre", type=click.Choice(["programme", "white_paper", "speech"]), default="programme",
              show_default=True, help="With --parsed, or for a text source: the genre's parser to read it with.")
def inspect(source: Path, pages: str | None, removed: bool, parsed: bool, start: str | None,
            stop: str | None, genre: str) -> None:
    """Show what helsegraf reads in a PDF: every line with its page, column, font size and weight, in reading
    order, and what was taken out as page furniture and why; with --parsed (always for a text source), what the
    genre's parser made of it.

    Columns: page, column, x and y on the page (points from the top left), font size, B for bold, the text; lines
    taken out are marked with the reason.
    """
    from .layout.pdf import read_pdf

    try:
        if parsed or source.suffix.lower() != ".pdf":
            _inspect_parsed(source, pages, start, stop, genre)
            return
        for page in read_pdf(source, pages):
            printed = f" [printed {page.printed}]" if page.printed else ""
            click.echo(f"--- page {page.number}{printed}: {len(page.text_lines())} lines, "
                       f"{len(page.removed)} taken out")
            for ln in page.lines:
                if ln.removed and not removed:
                    continue
                mark = f"({ln.removed}) " if ln.removed else ""
                number = f"{ln.line_number:>5} " if ln.line_number is not None else ""
                click.echo(f"{page.number:>4} c{ln.column + 1} x{ln.x0:5.0f} y{ln.y0:5.0f} {ln.size:4.1f} {'B' if ln.bold else ' '} "
                           f"{number}{mark}{ln.text}")
    except HelsegrafError as e:
        _fail(e)


def _at(span) -> str:
    """Where a part or item stands: its PDF page ("p23"), or in a text source its line ("l1630")."""
    return f"p{span.pdf_page}" if span.pdf_page is not None else f"l{span.start}"


def _inspect_parsed(source: Path, pages: str | None, start: str | None, stop: str | None, genre: str) -> None:
    from types import SimpleNamespace

    from .layout.pdf import read_pdf, select
    from .parse import text_parser
    from .parse.layout_programme import parse_layout
    from .parse.layout_text import parse_via_text

    what = SimpleNamespace(slug=source.stem, short_title=source.stem, path=source, commitment_lead=None,
                           topical_headings=())
    parse_text = text_parser(genre)
    cov = None
    if source.suffix.lower() != ".pdf":
        try:
            lines = source.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as e:
            raise InputError(source, f"not UTF-8 ({e.reason})") from None
        doc = parse_text(what, lines)
    else:
        selected = select(read_pdf(source, pages), source, start, stop)
        if genre == "programme":
            doc, cov = parse_layout(what, selected)
        else:
            doc = parse_via_text(what, selected, parse_text)
    by_group: dict[str | None, list] = {}
    for it in doc.items:
        by_group.setdefault(it.group, []).append(it)
    events = [(p.span.start, 0, p) for p in doc.parts] + [(g.span.start, 1, g) for g in doc.groups]
    for _, what, x in sorted(events, key=lambda e: (e[0], e[1])):
        if what == 0:
            click.echo(f"{_at(x.span):<6}heading  {' '.join(t for t in (x.number, x.title) if t)}")
            continue
        members = by_group.get(x.key, [])
        kinds = sorted({it.kind.value for it in members})
        click.echo(f"{_at(x.span):<6}list     lead-in {x.text or '(none)'!r} -> {', '.join(kinds) or 'no items'}")
        for it in members:
            click.echo(f"{_at(it.span):<6}  {it.number:>4}  {'' if it.kind.is_measure else '(text) '}{it.text}")
    if cov is None:
        kinds: dict[str, int] = {}
        for it in doc.items:
            kinds[it.kind.value] = kinds.get(it.kind.value, 0) + 1
        click.echo(f"coverage: lines {len(doc.lines)}, parts {len(doc.parts)}, lists {len(doc.groups)}, "
                   f"items {len(doc.items)}, " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        return
    counts = {k: v for k, v in cov.as_dict().items() if not isinstance(v, list)}
    click.echo("coverage: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for k, v in cov.as_dict().items():
        if isinstance(v, list) and v:
            click.echo(f"{k}: " + " | ".join(v))


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=None, show_default="the project's build/",
              help="Build directory holding store/ and site/; a new build swapped in there is served at once.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, help="Port of the SPARQL endpoint.")
@click.option("--site-port", default=8000, show_default=True, help="Port of the static site.")
@click.option("--endpoint-url", default=lambda: os.environ.get("HELSEGRAF_ENDPOINT"),
              help="The endpoint's public URL, when a proxy serves it elsewhere (or set HELSEGRAF_ENDPOINT); the "
                   "site's query page and security policy use it.")
@click.option("--timeout", "timeout_s", default=10.0, show_default=True,
              help="Seconds a query may take; past it its evaluation is stopped and the answer is 503.")
@click.option("--max-result-mb", default=50, show_default=True, help="Largest result the endpoint hands out, in MB.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Evaluator processes [default: two per core].")
@click.option("--memory-mb", type=click.IntRange(min=64), default=2048, show_default=True,
              help="Memory one query's evaluation may allocate; past it the evaluation is stopped.")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE (federated queries that make the server fetch other URLs). Off by default: only "
                   "for trusted local use.")
def serve(out: Path | None, host: str, port: int, site_port: int, endpoint_url: str | None, timeout_s: float,
          max_result_mb: int, workers: int | None, memory_mb: int, allow_service: bool) -> None:
    """Serve the store read-only as a SPARQL 1.1 endpoint, and the site; stop with Ctrl-C.

    Queries are evaluated in worker processes that are replaced when one crashes or runs past its timeout;
    /health on the endpoint reports them.
    """
    from .serving.limits import Limits
    from .serving.servers import Servers

    limits = Limits(timeout_s=timeout_s, max_result_bytes=max_result_mb * 1024 * 1024, worker_memory_mb=memory_mb,
                    allow_service=allow_service, **({"workers": workers} if workers else {}))
    try:
        servers = Servers(out or paths.build_dir(), host, port, site_port, limits, endpoint_url)
        servers.start()
    except HelsegrafError as e:
        _fail(e)
    click.echo(f"SPARQL endpoint: {servers.endpoint_url}")
    if servers.site_url:
        click.echo(f"Site:            {servers.site_url}")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        servers.watch()
    except KeyboardInterrupt:
        pass
    finally:
        servers.stop()
