"""SHACL validation alone, whole and in parts (helsegraf.validation), on the synthetic corpus at several sizes:
seconds and the process's peak memory, each size and method in a fresh process.

Usage: python bench/validation_parts.py [--ks 1 2 4 8] [--out bench/results/validation_parts.txt]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe, report  # noqa: E402

CHILD = """
import json, resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench.synthetic import write_corpus
from helsegraf import serialize
from helsegraf.graph import assemble
from helsegraf.paths import ontology_dir
from helsegraf.rdf.iris import Iris
from helsegraf.sources import load_manifest
from helsegraf.validation import check, check_in_parts
from rdflib import Graph
import pyoxigraph as ox
with tempfile.TemporaryDirectory() as tmp:
    store = ox.Store(str(Path(tmp) / "store"))
    assemble(load_manifest(write_corpus(Path(tmp) / "s", copies=int(sys.argv[1]))), Iris("https://w3id.org/helsegraf/"),
             store=store)
    nq = Path(tmp) / "x.nq"
    serialize.write_sorted_nquads(store, nq)
    n = sum(1 for _ in serialize.union_triples(nq))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    if sys.argv[2] == "parts":
        ok, _, v = check_in_parts(serialize.union_triples(nq), store, ontology_dir() / "shapes.ttl")
    else:
        g = Graph()
        data = ox.serialize(serialize.union_triples(nq), format=ox.RdfFormat.N_TRIPLES)
        g.parse(data=data.decode("utf-8"), format="nt")
        ok, _, v = check(g, ontology_dir() / "shapes.ttl")
    print(json.dumps({"triples": n, "ok": ok, "violations": v, "seconds": time.perf_counter() - t,
                      "peak_before": before, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ks", type=int, nargs="+", default=[1, 2, 4, 8])
    ap.add_argument("--methods", nargs="+", default=["whole", "parts"])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    root = str(Path(__file__).resolve().parents[1])
    lines = [f"machine: {describe()}", "validation alone of the synthetic corpus (bench/synthetic.py --copies k), "
             "each in a fresh process; peak = the process's high-water mark (the graph assembled first, in a store "
             "on disk)", "",
             f"{'k':>3} {'method':>7} {'triples':>9} {'seconds':>8} {'peak MiB':>9} {'before MiB':>11} verdict"]
    for k in args.ks:
        for method in args.methods:
            proc = subprocess.run([sys.executable, "-c", CHILD, str(k), method, root], capture_output=True, text=True)
            if proc.returncode:
                sys.exit(proc.stderr)
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            lines.append(f"{k:>3} {method:>7} {r['triples']:>9} {r['seconds']:>8.1f} {r['peak']:>9.0f} "
                         f"{r['peak_before']:>11.0f} {'conforms' if r['ok'] else str(r['violations']) + ' violations'}")
            print(lines[-1], file=sys.stderr)
    report(lines, args.out)


if __name__ == "__main__":
    main()
