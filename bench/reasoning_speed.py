"""Reasoning over a built store, by two versions of the code side by side in one run: each given checkout's
`reasoning.infer` run in a fresh process over its own copy of the store with the inferred graph taken out, one
after the other, `--rounds` times; its seconds, how many triples it inferred, and a digest of them (the versions
must agree).

Usage: python bench/reasoning_speed.py --store BUILD/store --code /path/to/checkout-a /path/to/checkout-b
       [--rounds 1] [--folder DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

# Run in the checkout's own process (its src/ first on the path): the store copied, the inferred and metadata
# graphs removed and compacted away (as reasoning finds the store in a build), then timed.
ONE = r"""
import hashlib, json, shutil, sys, time
import pyoxigraph as ox
from rdflib import Graph
import helsegraf
from helsegraf import reasoning
from helsegraf.paths import ontology_dir
src, work, base = sys.argv[1:4]
shutil.copytree(src, work)
store = ox.Store(work)
for name in ("inferred", "metadata"):
    store.remove_graph(ox.NamedNode(base + name))
store.optimize()
skip = {base + n for n in ("inferred", "ontology", "metadata")}
graphs = sorted(g.value for g in store.named_graphs() if g.value not in skip)
ax = reasoning.axioms_from(reasoning.close_ontology(Graph().parse(ontology_dir() / "helsegraf.ttl")))
t = time.perf_counter()
n = reasoning.infer(store, ax, base + "inferred", graphs)
seconds = time.perf_counter() - t
quads = sorted(str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(base + "inferred")))
print(json.dumps({"seconds": round(seconds, 1), "inferred": n, "graphs": len(graphs), "code": helsegraf.__file__,
                  "digest": hashlib.sha256("\n".join(quads).encode()).hexdigest()[:16]}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a build's store (read, never written)")
    ap.add_argument("--code", type=Path, nargs="+", required=True, help="checkouts whose src/ to run")
    ap.add_argument("--base", default="https://w3id.org/helsegraf/graph/", help="the build's graph IRI base")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--folder", type=Path, default=None, help="where the copies go (default: a temporary folder)")
    args = ap.parse_args()
    print(describe())
    print(f"store: {args.store}")
    for r in range(args.rounds):
        for code in args.code:
            with tempfile.TemporaryDirectory(dir=args.folder, prefix="reasoning-") as scratch:
                env = {**os.environ, "PYTHONPATH": str(code.resolve() / "src")}
                out = subprocess.run([sys.executable, "-c", ONE, str(args.store), str(Path(scratch) / "store"),
                                      args.base], env=env, capture_output=True, text=True, check=True)
                row = json.loads(out.stdout.strip().splitlines()[-1])
                assert row["code"].startswith(str(code.resolve())), (row["code"], code)
                print(f"round {r + 1}  {code}: {row['seconds']:7.1f} s  {row['inferred']:>9,} inferred over "
                      f"{row['graphs']} graphs  digest {row['digest']}", flush=True)
                shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
