"""Quality of the traces: the linker's links against the hand-labelled pairs (tests/fixtures/trace_pairs.toml, dev
and held-out split, per relation), and the typing against the hand-typed items (tests/fixtures/item_types.toml).
The pairs and the types were labelled before the linker and the typing rules were written; the thresholds were
chosen on the dev split only. Usage:

    python bench/trace_quality.py [-v]     # -v: every disagreement on the dev split
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import real_inputs  # noqa: E402
from machine import describe  # noqa: E402
from repo import ROOT  # noqa: E402

from helsegraf.traces import trace_corpus  # noqa: E402
from helsegraf.traces.evaluation import evaluate, load_pairs  # noqa: E402
from helsegraf.traces.typing import type_item  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    print(f"machine: {describe()}")
    docs, parsed, mentions, mappings = real_inputs()
    traces = trace_corpus(docs, parsed, mentions, mappings)
    m = traces.method
    print(f"method {m.name} {m.version}: same ≥ {m.same}, overlapping ≥ {m.overlapping}, contradicting ≥ "
          f"{m.contradicting} with opposite cues; {len(traces.links)} links over {len(traces.items)} items")
    pairs = load_pairs(ROOT / "tests" / "fixtures" / "trace_pairs.toml")
    for split in ("dev", "heldout"):
        s = evaluate(traces.links, pairs, split)
        print(f"\n{split} split ({s.n} pairs)\n{s.table()}")
    if args.v:
        predicted = {}
        for link in traces.links:
            predicted[(str(link.a), str(link.b))] = predicted[(str(link.b), str(link.a))] = link.relation
        for p in pairs:
            got = predicted.get((p.a, p.b), "none")
            if p.split == "dev" and got != p.relation:
                print(f"  {p.relation:>13} → {got:<13} {p.a_text[:70]!r} / {p.b_text[:70]!r}")
    hand = tomllib.loads((ROOT / "tests" / "fixtures" / "item_types.toml").read_text(encoding="utf-8"))["item"]
    right = tp = fp = fn = 0
    for item in hand:
        t = type_item(item["text"], traces.instruments, traces.topics, traces.lexicon)
        right += t.instrument == item["instrument"]
        got, want = set(t.topics), set(item["topics"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    defaults = sum(1 for t in traces.typed.values() if t.instrument_cue is None)
    no_topic = sum(1 for t in traces.typed.values() if t.topics == (traces.topics.default,))
    print(f"\ntyping, {len(hand)} hand-typed items: instrument {right / len(hand):.3f}; topics precision "
          f"{tp / (tp + fp):.3f}, recall {tp / (tp + fn):.3f}")
    print(f"all {len(traces.typed)} items: {defaults} with the default instrument (no cue), {no_topic} with no topic "
          f"but '{traces.topics.default}'; {sum(len(v) for v in traces.periods.values())} time expressions")


if __name__ == "__main__":
    main()
