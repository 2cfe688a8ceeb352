"""Site rendering speed: HTML pages written per second (each with its Turtle, N-Triples and JSON-LD beside it), on
the real graph and on a synthetic graph of 10,000 resources shaped like the real one (a document of chapters with
measures, each with its source span and mentions of actors), rendered by the same code.

The time is render_site's whole run: planning, then writing every file, each page reading its resource from the
store on disk (as the build renders the site). The graph is built beforehand (for the real graph by the real
pipeline) and loaded into a store on disk; neither is timed. Each run writes into a fresh folder
on the file system under test, after a sync; the runs' output is deleted only after the last run.
The site is ~32,000 small files: on a slow disk creating them costs more than rendering, so the figure is given
for the disk that holds build/ and, to show the rendering itself, for memory (/dev/shm) when the machine has it.

Usage: python bench/site_pages.py [--synthetic N] [--jobs J] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from helsegraf.graph import assemble  # noqa: E402
from helsegraf.deployment import load_deployment  # noqa: E402
from helsegraf.paths import deployment_path  # noqa: E402
from repo import DEFAULT_BUILD, MANIFEST, ONTOLOGY_DIR  # noqa: E402
from helsegraf.rdf.description import describe_into  # noqa: E402
from helsegraf.rdf.iris import Iris  # noqa: E402
from helsegraf.site import render_site  # noqa: E402
from helsegraf.cores import default_jobs  # noqa: E402
from helsegraf.sources import load_manifest  # noqa: E402

HG = "https://w3id.org/helsegraf/ontology#"
WORDS = ("styrke", "kommunene", "helsefellesskapene", "sykehusene", "barn og unge", "fastlegene", "rehabilitering",
         "digitale løsninger", "eldre", "forebygging", "kvalitet", "personell", "samhandling", "pårørende")


def synthetic_store(iris: Iris, resources: int) -> tuple[ox.Store, dict[str, list[str]]]:
    """A graph with `resources` local resources: 1 document, 20 actors, and chapters of 50 measures, each measure
    with a source span and one mention (4 resources per measure, 1 per chapter). Also the real ontology."""
    store = ox.Store()
    store.load(path=str(ONTOLOGY_DIR / "helsegraf.ttl"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(str(iris.graph("ontology"))))
    g = ox.NamedNode(str(iris.graph("syntetisk")))
    quads: list[ox.Quad] = []

    def add(s, p, o):
        quads.append(ox.Quad(s, ox.NamedNode(p if p.startswith("http") else HG + p), o, g))

    def lit(v, lang=None):
        return ox.Literal(str(v), language=lang) if lang else ox.Literal(v)

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))

    rdf_type, title = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://purl.org/dc/terms/title"
    doc = ox.NamedNode(str(iris.document("syntetisk")))
    add(doc, rdf_type, ox.NamedNode(HG + "Document"))
    for p, v in ((title, lit("Syntetisk stortingsmelding", "nb")), ("http://purl.org/dc/terms/alternative", lit("Syntetisk", "nb")),
                 ("http://purl.org/dc/terms/issued", ox.Literal("2024-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
                 ("http://purl.org/dc/terms/type", ox.NamedNode(str(iris.concept("sjanger", "stortingsmelding"))))):
        add(doc, p, v)
    actors = [ox.NamedNode(str(iris.actor(f"aktor-{i}"))) for i in range(20)]
    for i, a in enumerate(actors):
        add(a, rdf_type, ox.NamedNode(HG + "Actor"))
        add(a, "http://www.w3.org/2004/02/skos/core#prefLabel", lit(f"Aktør {i}", "nb"))
    lines: list[str] = []
    made, chapter, position = 1 + len(actors), 0, 0
    while made < resources:
        chapter += 1
        ch = ox.NamedNode(str(iris.part("syntetisk", f"kap-{chapter}")))
        for p, v in ((rdf_type, ox.NamedNode(HG + "Chapter")), (rdf_type, ox.NamedNode(HG + "DocumentPart")),
                     (title, lit(f"Kapittel om {WORDS[chapter % len(WORDS)]}", "nb")), ("number", lit(str(chapter))),
                     ("inDocument", doc)):
            add(ch, p, v)
        ch_span = ox.NamedNode(str(iris.span("syntetisk", len(lines) + 1, len(lines) + 1)))
        add(ch, "span", ch_span)
        add(ch_span, "startLine", integer(len(lines) + 1))
        lines.append(f"{chapter} Kapittel om {WORDS[chapter % len(WORDS)]}")
        made += 2
        for n in range(1, 51):
            if made >= resources:
                break
            position += 1
            text = "Regjeringen vil " + " ".join(WORDS[(chapter * 7 + n * 3 + k) % len(WORDS)] for k in range(8))
            lines.append(" • " + text)
            line = len(lines)
            m = ox.NamedNode(str(iris.item("syntetisk", f"kap-{chapter}/{n}")))
            span = ox.NamedNode(str(iris.span("syntetisk", line, line)))
            actor = actors[(chapter + n) % len(actors)]
            mention = ox.NamedNode(str(iris.item("syntetisk", f"kap-{chapter}/{n}/nevner/1")))
            for p, v in ((rdf_type, ox.NamedNode(HG + "ListItem")), (rdf_type, ox.NamedNode(HG + "Measure")),
                         ("https://schema.org/text", lit(text, "nb")), ("locator", lit(f"Kapittel {chapter}, punkt {n}")),
                         ("position", integer(position)), ("inDocument", doc), ("measureIn", doc),
                         ("inPart", ch), ("span", span), ("mentions", actor)):
                add(m, p, v)
            for p, v in ((rdf_type, ox.NamedNode(HG + "SourceSpan")), ("startLine", integer(line)),
                         ("endLine", integer(line)), ("inDocument", doc)):
                add(span, p, v)
            for p, v in ((rdf_type, ox.NamedNode(HG + "Mention")), ("mentionOf", actor), ("inItem", m), ("inDocument", doc),
                         ("inPart", ch), ("span", span), ("surfaceForm", lit(f"Aktør {(chapter + n) % len(actors)}", "nb"))):
                add(mention, p, v)
            made += 3
    store.extend(quads)
    return store, {doc.value: lines}


def real_store(iris: Iris) -> tuple[ox.Store, dict[str, list[str]]]:
    """The graph `helsegraf build` renders: the mapped documents and, as the build adds it, their VoID."""
    manifest = load_manifest(MANIFEST)
    ds = assemble(manifest, iris)
    describe_into(ds.store, iris, load_deployment(deployment_path()))
    return ds.store, {str(iris.document(p.slug)): p.lines for p in ds.parsed}


def measure(label: str, store: ox.Store, iris: Iris, sources, jobs: int, runs: int, where: Path) -> None:
    local = len({q.subject.value for q in store if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(iris.base)})
    times, pages = [], 0
    # Runs keep their output until all are done: deleting ~32,000 files (with the disk's discards) while the next
    # run writes would be timed with it, and a real build deletes the old site only after the new one is written.
    with tempfile.TemporaryDirectory(dir=where, prefix="bench-site-") as tmp:
        disk = ox.Store(str(Path(tmp) / "store"))
        disk.bulk_load(store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        del disk
        for n in range(runs):
            os.sync()
            t = time.perf_counter()
            pages = render_site(Path(tmp) / "store", iris, Path(tmp) / f"site-{n}", sources, jobs=jobs).pages
            times.append(time.perf_counter() - t)
    best, median = min(times), statistics.median(times)
    # peak resident memory so far of this process (the graph in memory, the plan) and of the largest rendering worker
    own, worker = (resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"{label}, written to {where}: {local} resources, {len(store)} quads → {pages} pages; {jobs} process(es); "
          f"median {median:.2f} s = {pages / median:.0f} pages/s (best {pages / best:.0f}, worst {pages / max(times):.0f}; "
          f"{runs} runs); peak memory {own:.0f} MiB (main), {worker:.0f} MiB (largest worker)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synthetic", type=int, default=10_000, help="resources in the synthetic graph (0: skip it)")
    ap.add_argument("--jobs", type=int, default=default_jobs(), help="rendering processes (default: the cores)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--where", type=Path, action="append",
                    help="folder to write into (repeatable) [default: beside build/, and /dev/shm if present]")
    args = ap.parse_args()
    where = args.where or [DEFAULT_BUILD.parent] + ([Path("/dev/shm")] if Path("/dev/shm").is_dir() else [])
    print(f"machine: {describe()}")
    iris = Iris(load_deployment(deployment_path()).base_iri)
    graphs = [("real graph", real_store(iris))]
    if args.synthetic:
        graphs.append((f"synthetic graph ({args.synthetic} resources asked)", synthetic_store(iris, args.synthetic)))
    for label, (store, sources) in graphs:
        for folder in where:
            measure(label, store, iris, sources, args.jobs, args.runs, folder)


if __name__ == "__main__":
    main()
