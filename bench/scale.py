"""How the build grows with the corpus: the five seed texts copied k times (each copy a document of its own, under a
new slug, in one manifest), built whole for each k, each build in a fresh process.

Reported per k: triples, pages, seconds per stage, and the process's high-water mark of resident memory at the end
of each stage (ru_maxrss; the largest child, a site worker or Pagefind, apart); then the growth exponent b of each
stage's time and of the peak memory (fitted as y = a·k^b over the ks: 1 is linear).

Copies are identical texts: every measure of a copy is "the same" as its original's, so tracing finds more pairs
than a corpus of different documents would — an upper bound for that stage. The seed texts are the five documents
that come as text; the PDFs (party programmes) are left out, as parsing them is the same work k times over.

Usage: python bench/scale.py [--ks 1 2 4 8] [--out bench/results/scale.txt]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402
from repo import ROOT  # noqa: E402

SEEDS = ["meld-st-9-2023-2024", "tale-nhsp-2024", "hurdalsplattformen-2021-helse", "ap-var-felles-helsetjeneste-2023",
         "helsepartiet-prinsipprogram-2017"]

CHILD = """
import json, sys
from pathlib import Path
from helsegraf.build import build
r = build(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps({"triples": r.triples, "pages": r.pages, "seconds": r.seconds, "peak": r.peak_mib}))
"""


def corpus(dst: Path, k: int) -> Path:
    """sources/ with each seed text entered k times: the original and k-1 copies slugged '<slug>-kopi-<i>'."""
    sources = ROOT / "sources"
    head, *entries = (sources / "manifest.toml").read_text(encoding="utf-8").split("[[document]]")
    seeds = {re.search(r'^slug = "([^"]+)"', e, re.M).group(1): e for e in entries}
    out = []
    for slug in SEEDS:
        for i in range(k):
            entry = seeds[slug]
            if i:
                entry = entry.replace(f'slug = "{slug}"', f'slug = "{slug}-kopi-{i}"', 1)
                entry = re.sub(r'^(short_title = ".*)"$', rf'\1 (kopi {i})"', entry, count=1, flags=re.M)
            out.append("[[document]]" + entry)
    dst.mkdir(parents=True)
    (dst / "texts").symlink_to(sources / "texts")
    manifest = dst / "manifest.toml"
    manifest.write_text(head + "".join(out), encoding="utf-8")
    return manifest


def exponent(ks: list[int], ys: list[float]) -> float:
    """The least-squares slope of log y on log k."""
    xs, ls = [math.log(k) for k in ks], [math.log(max(y, 1e-9)) for y in ys]
    mx, my = sum(xs) / len(xs), sum(ls) / len(ls)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ls)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ks", type=int, nargs="+", default=[1, 2, 4, 8])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rows = {}
    for k in args.ks:
        with tempfile.TemporaryDirectory() as tmp:
            manifest = corpus(Path(tmp) / "sources", k)
            proc = subprocess.run([sys.executable, "-c", CHILD, str(Path(tmp) / "build"), str(manifest)],
                                  capture_output=True, text=True, check=True)
            rows[k] = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"k={k}: {rows[k]}", file=sys.stderr)
    stages = [s for s in rows[args.ks[0]]["seconds"] if s != "link"]
    lines = [f"machine: {describe()}", f"corpus: the five seed texts copied k times ({', '.join(SEEDS)})", ""]
    head = f"{'k':>3} {'triples':>9} {'pages':>7} " + " ".join(f"{s + ' s':>11}" for s in stages) + \
        f" {'total s':>8} " + " ".join(f"{'peak@' + s:>16}" for s in stages) + f" {'children':>9}"
    lines.append(head)
    for k, r in rows.items():
        lines.append(f"{k:>3} {r['triples']:>9} {r['pages']:>7} " + " ".join(f"{r['seconds'][s]:>11.1f}" for s in stages)
                     + f" {sum(r['seconds'][s] for s in stages):>8.1f} "
                     + " ".join(f"{r['peak'][s]:>12.0f} MiB" for s in stages) + f" {r['peak']['children']:>5.0f} MiB")
    if len(rows) > 1:
        ks = list(rows)
        lines += ["", "growth exponent b (y = a·k^b; 1 = linear):"]
        for s in stages:
            lines.append(f"  time {s:<12} {exponent(ks, [rows[k]['seconds'][s] for k in ks]):.2f}")
        lines.append(f"  time {'total':<12} {exponent(ks, [sum(rows[k]['seconds'][s] for s in stages) for k in ks]):.2f}")
        lines.append(f"  peak memory       {exponent(ks, [max(rows[k]['peak'][s] for s in stages) for k in ks]):.2f}")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
