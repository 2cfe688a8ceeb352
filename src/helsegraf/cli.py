"""The `helsegraf` command line: build, query, queries, inspect, serve.

Exit codes: 0 success, 1 a runtime failure, 64 a usage error, 65 bad input data (source, mapping or query file),
66 a graph that breaks the SHACL shapes, 130 interrupted.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import HelsegrafError
from .paths import DEFAULT_BASE, DEFAULT_BUILD, DEFAULT_ENDPOINT, MANIFEST, QUERIES

FORMATS = ("table", "csv", "tsv", "json")


def _fail(e: HelsegrafError) -> None:
    click.echo(f"helsegraf: error: {e}", err=True)
    sys.exit(e.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="helsegraf")
def main() -> None:
    """helsegraf: the knowledge graph of Norwegian health policy.

    Build the graph from the documents in sources/, query it, and serve it as a SPARQL endpoint and a site.
    """


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_BUILD, show_default="build",
              help="Build directory (replaced atomically only when the build succeeds).")
@click.option("--manifest", type=click.Path(path_type=Path), default=MANIFEST, show_default="sources/manifest.toml",
              help="Source manifest naming the documents to map.")
@click.option("--base", default=lambda: os.environ.get("HELSEGRAF_BASE", DEFAULT_BASE), show_default=DEFAULT_BASE,
              help="Base IRI of every minted resource (or set HELSEGRAF_BASE).")
@click.option("--endpoint-url", default=lambda: os.environ.get("HELSEGRAF_ENDPOINT", DEFAULT_ENDPOINT),
              show_default=DEFAULT_ENDPOINT, help="The SPARQL endpoint's public URL, for VoID and the service description.")
@click.option("--no-site", is_flag=True, help="Skip rendering the site.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes rendering the site [default: one per available core].")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(out: Path, manifest: Path, base: str, endpoint_url: str, no_site: bool, jobs: int | None, quiet: bool) -> None:
    """Parse, map, reason, validate; write dumps, the store and the site."""
    from .build import build as run_build

    show = not quiet and sys.stderr.isatty()
    start = time.perf_counter()

    def progress(msg: str) -> None:
        if show:
            click.echo(f"[{time.perf_counter() - start:5.1f}s] {msg}", err=True)

    try:
        result = run_build(out, manifest, base, progress=progress, site=not no_site, endpoint_url=endpoint_url,
                           jobs=jobs)
    except HelsegrafError as e:
        _fail(e)
    if show:
        click.echo(f"{'document':<40}{'lines':>7}{'lists':>7}{'items':>7}{'measures':>9}{'as text':>9}", err=True)
        for slug, row in result.report.items():
            click.echo(f"{slug:<40}{row['lines']:>7}{row['lists']:>7}{row['items']:>7}{row['measures']:>9}"
                       f"{row['text_items']:>9}", err=True)
    if not quiet:
        n = sum(sum(v for k, v in c.items() if not k.startswith("(text")) for c in result.measures.values())
        click.echo(f"built {result.out}: {result.triples} triples, {n} measures and commitments, {result.pages} pages")


@main.command()
@click.argument("query")
@click.option("--store", type=click.Path(path_type=Path), default=DEFAULT_BUILD / "store", show_default="build/store",
              help="The on-disk store to query in-process.")
@click.option("--endpoint", metavar="URL", help="Query a running SPARQL endpoint instead of the store.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: table on a terminal, csv when piped].")
def query(query: str, store: Path, endpoint: str | None, fmt: str | None) -> None:
    """Run QUERY: a name from the query library (see `helsegraf queries`) or a path to a .rq file."""
    from .queries import format_results, load_query, run_local, run_remote

    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    try:
        q = load_query(query)
        res = run_remote(q, endpoint) if endpoint else run_local(q, store)
    except HelsegrafError as e:
        _fail(e)
    click.echo(format_results(res, fmt), nl=False)


@main.command()
def queries() -> None:
    """List the query library: name, columns and the question each answers."""
    from .queries import library_queries

    try:
        for q in library_queries(QUERIES):
            click.echo(f"{q.name}\t{q.header.get('columns', '')}\t{q.header.get('en', '')}")
    except HelsegrafError as e:
        _fail(e)


@main.command()
@click.argument("source", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--pages", metavar="FIRST-LAST", help="Only these pages of the PDF (1-based, inclusive), e.g. 28-33.")
@click.option("--removed/--no-removed", default=True, show_default=True,
              help="Show the lines taken out (running headers and footers, page and line numbers).")
def inspect(source: Path, pages: str | None, removed: bool) -> None:
    """Show what helsegraf reads in a PDF: every line with its page, column, font size and weight, in reading
    order, and what was taken out as page furniture and why.

    Columns: page, column, x and y on the page (points from the top left), font size, B for bold, the text; lines
    taken out are marked with the reason.
    """
    from .layout.pdf import read_pdf

    try:
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


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_BUILD, show_default="build",
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
def serve(out: Path, host: str, port: int, site_port: int, endpoint_url: str | None, timeout_s: float,
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
        servers = Servers(out, host, port, site_port, limits, endpoint_url)
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
