"""Tracing at scale: typing and linking on the real corpus and on synthetic corpora 2, 5 and 10 times its size, side
by side in one run, with the candidate pairs blocking lets through against all pairs; and the share of the full
build the tracing stage takes on the real sources.

The synthetic corpora are the real items recombined: each synthetic document takes a real document's items and
swaps the clauses of its items with those of other items of the same genre (seeded), so the vocabulary, lengths
and entity density are the corpus's, but no two synthetic documents are copies. Mentions are dropped there (the
matcher is not what is measured). Usage:

    python bench/trace_speed.py [--factors 1,2,5,10] [--runs 3] [--no-build]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import real_inputs  # noqa: E402
from machine import describe  # noqa: E402

from helsegraf.build import build  # noqa: E402
from helsegraf.traces import corpus_features, trace_corpus  # noqa: E402
from helsegraf.traces.link import candidates, load_method  # noqa: E402
from helsegraf.traces.lexicon import load_lexicon  # noqa: E402

CLAUSE = re.compile(r"(?<=[,;])\s+|\s+og\s+")


def synthetic(docs, parsed, factor: int, seed: int = 7):
    """`factor` copies of every document, the later copies with their items' clauses recombined."""
    rng = random.Random(seed)
    clauses = [c for p in parsed for it in p.measures for c in CLAUSE.split(it.text) if c]
    out_docs, out_parsed = [], []
    for n in range(factor):
        for d, p in zip(docs, parsed):
            if n == 0:
                out_docs.append(d)
                out_parsed.append(p)
                continue
            items = []
            for it in p.measures:
                parts = CLAUSE.split(it.text)
                parts = [rng.choice(clauses) if rng.random() < 0.5 else c for c in parts]
                items.append(dataclasses.replace(it, text=", ".join(parts)))
            out_docs.append(dataclasses.replace(d, slug=f"{d.slug}-syn{n}"))
            out_parsed.append(dataclasses.replace(p, slug=f"{d.slug}-syn{n}", items=items))
    return out_docs, out_parsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--factors", default="1,2,5,10")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-build", action="store_true", help="skip the full builds (the share of the build)")
    args = ap.parse_args()
    print(f"machine: {describe()}")
    docs, parsed, mentions, mappings = real_inputs()
    lexicon = load_lexicon(mappings / "trace_lexicon.toml")
    method = load_method(mappings / "trace_rules.toml")

    print(f"\n{'corpus':<10}{'items':>8}{'all pairs':>14}{'candidates':>12}{'links':>8}{'seconds':>9}"
          f"{'s per 1k items':>16}{'peak RSS MiB':>14}")
    base = None
    for factor in (int(f) for f in args.factors.split(",")):
        sdocs, sparsed = synthetic(docs, parsed, factor)
        smentions = mentions if factor == 1 else {d.slug: mentions.get(d.slug, []) for d in sdocs}
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            traces = trace_corpus(sdocs, sparsed, smentions, mappings)
            times.append(time.perf_counter() - t)
        items = corpus_features(sdocs, sparsed, smentions, lexicon)
        cands = len(candidates(items, traces.weights, method))
        n = len(traces.items)
        secs = statistics.median(times)
        base = base or secs / n
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{f'{factor}×':<10}{n:>8}{n * (n - 1) // 2:>14,}{cands:>12,}{len(traces.links):>8}{secs:>9.2f}"
              f"{1000 * secs / n:>16.2f}{rss:>14.0f}")
    if not args.no_build:
        totals, links = [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                t = time.perf_counter()
                result = build(Path(tmp) / "build")
                totals.append(time.perf_counter() - t)
                links.append(result.seconds.get("link", 0.0))
        total, link = statistics.median(totals), statistics.median(links)
        print(f"\nfull build on the real sources (median of {args.runs}): {total:.1f} s, of which typing and linking "
              f"{link:.1f} s; the build without them would take {total - link:.1f} s, so tracing costs "
              f"{total / (total - link):.2f}× (target ≤ 1.5×; the site's trace pages are counted in the build, "
              f"not in the {link:.1f} s)")


if __name__ == "__main__":
    main()
