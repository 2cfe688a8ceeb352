"""Loading inferred triples into a large store: `bulk_extend` a batch at a time (as reasoning.infer did, 50,000
quads a call) against one `bulk_load` of them all from an N-Triples file on disk, side by side in one run.

The store is filled with `--base` million quads over many subjects in a few graphs (as a build's store is), then
`--inferred` quads over the same subjects are loaded into another graph each way, in a fresh copy of the store.

Usage: python bench/inferred_load.py [--base 4] [--inferred 1] [--batch 50000] [--folder DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

P = [ox.NamedNode(f"https://example.org/p{n}") for n in range(20)]


def quads(n: int, graphs: list[ox.NamedNode], subjects: int, seed: int):
    rnd = random.Random(seed)
    for i in range(n):
        s = ox.NamedNode(f"https://example.org/id/{rnd.randrange(subjects)}")
        o = ox.NamedNode(f"https://example.org/id/{rnd.randrange(subjects)}") if i % 3 else ox.Literal(f"tekst {i}")
        yield ox.Quad(s, rnd.choice(P), o, graphs[i % len(graphs)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=float, default=4.0, help="millions of quads in the store before")
    ap.add_argument("--inferred", type=float, default=1.0, help="millions of quads to load")
    ap.add_argument("--batch", type=int, default=50_000)
    ap.add_argument("--folder", type=Path, default=None)
    a = ap.parse_args()
    folder = Path(tempfile.mkdtemp(dir=a.folder))
    base, inferred = int(a.base * 1e6), int(a.inferred * 1e6)
    subjects = base // 10
    print(describe())
    print(f"store: {base:,} quads over {subjects:,} subjects; loading {inferred:,} inferred quads")
    start = folder / "start"
    store = ox.Store(str(start))
    store.bulk_extend(quads(base, [ox.NamedNode(f"https://example.org/graph/{g}") for g in range(80)], subjects, 1))
    store.optimize()
    store.flush()
    del store
    target = ox.NamedNode("https://example.org/graph/inferred")
    try:
        for way in ("bulk_extend", "bulk_load"):
            path = folder / way
            shutil.copytree(start, path)
            store = ox.Store(str(path))
            t = time.perf_counter()
            made = (q.triple for q in quads(inferred, [target], subjects, 2))
            if way == "bulk_extend":
                batch = []
                for tr in made:
                    batch.append(ox.Quad(tr.subject, tr.predicate, tr.object, target))
                    if len(batch) == a.batch:
                        store.bulk_extend(batch)
                        batch = []
                store.bulk_extend(batch)
            else:
                spill = folder / "inferred.nt"
                with open(spill, "wb") as f:
                    ox.serialize(made, f, format=ox.RdfFormat.N_TRIPLES)
                store.bulk_load(path=str(spill), format=ox.RdfFormat.N_TRIPLES, to_graph=target)
            store.flush()
            seconds = time.perf_counter() - t
            n = sum(1 for _ in store.quads_for_pattern(None, None, None, target))
            print(f"  {way:12s} {seconds:8.1f} s  ({n:,} quads in the graph)")
            del store
            shutil.rmtree(path)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
