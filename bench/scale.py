"""How the build grows with the corpus: a synthetic corpus of k documents of each genre (bench/synthetic.py: the
five seed texts' structure with varied text, so documents are not copies of each other), built whole for each k in
a fresh process; then one document changed and the corpus built again with the cache of the first build, in
another fresh process (the incremental rebuild).

Reported per k: documents, triples, pages, seconds per stage, and the process's high-water mark of resident memory
at the end of each stage (ru_maxrss; the largest child, a site worker or Pagefind, apart); the incremental
rebuild's seconds and how many documents it worked on; then the growth exponent b of each stage's time and of the
peak memory (fitted as y = a·k^b over the ks: 1 is linear).

`--copies` builds the old corpus instead (the seed texts copied k times): identical texts make tracing link every
copy to every other, an upper bound for that stage. The PDFs (party programmes) are left out either way: parsing
them is per-document work like the rest.

Usage: python bench/scale.py [--ks 1 2 4 8] [--copies] [--no-rebuild] [--rebuilds N] [--generic-pages files served]
       [--keep] [--out bench/results/scale.txt]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from machine import describe, report  # noqa: E402
from process_peaks import ProcessPeaks  # noqa: E402
from repo import ROOT  # noqa: E402
from bench.synthetic import write_corpus  # noqa: E402

SEEDS = ["meld-st-9-2023-2024", "tale-nhsp-2024", "hurdalsplattformen-2021-helse", "ap-var-felles-helsetjeneste-2023",
         "helsepartiet-prinsipprogram-2017"]

CHILD = """
import json, sys, time
from pathlib import Path
from helsegraf.build import build
t = time.perf_counter()
r = build(Path(sys.argv[1]), Path(sys.argv[2]), cache=Path(sys.argv[3]), generic_pages=sys.argv[4])
print(json.dumps({"triples": r.triples, "pages": r.pages, "seconds": r.seconds, "peak": r.peak_mib,
                  "wall": time.perf_counter() - t, "redone": len(r.redone), "documents": len(r.report),
                  "pairs_linked": r.pairs_linked, "pages_kept": r.pages_kept}))
"""


def copies(dst: Path, k: int) -> Path:
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


def change_one(manifest: Path) -> str:
    """Change a word in the first document's text (a word of running text, so its structure stays) and its
    checksum: a new version of one source. Returns its slug."""
    text = manifest.read_text(encoding="utf-8")
    entry = text.split("[[document]]")[1]
    slug = re.search(r'^slug = "([^"]+)"', entry, re.M).group(1)
    file = manifest.parent / re.search(r'^file = "([^"]+)"', entry, re.M).group(1)
    if file.parent.is_symlink():  # a copy corpus links the real texts: edit a copy, never the sources
        real = file.parent.resolve()
        file.parent.unlink()
        shutil.copytree(real, file.parent)
    old = file.read_bytes()
    new = old.replace(b" og ", b" samt ", 1)
    assert new != old, file
    file.write_bytes(new)
    manifest.write_text(text.replace(hashlib.sha256(old).hexdigest(), hashlib.sha256(new).hexdigest()),
                        encoding="utf-8")
    return slug


def count_entries(folder: Path) -> int:
    """Files and folders under `folder`: what a build creates (and a rebuild deletes)."""
    return sum(len(dirs) + len(files) for _, dirs, files in os.walk(folder))


def run(out: Path, manifest: Path, cache: Path, generic_pages: str = "files") -> dict:
    """One build in a fresh process; its result, with the peak of the largest process it started (a site worker,
    a validation worker, Pagefind) read from /proc as it ran (process_peaks.py: getrusage's figure for children
    is the build's own peak whenever a child is started by exec)."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(out), str(manifest), str(cache), generic_pages],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with ProcessPeaks(proc.pid) as peaks:
        stdout, stderr = proc.communicate()
    if proc.returncode:
        sys.exit(stderr)
    result = json.loads(stdout.strip().splitlines()[-1])
    name, mib = peaks.largest_below_root()
    result["peak"]["children"] = mib
    result["largest_child"] = name
    result["entries"] = count_entries(out)
    return result


def exponent(ks: list[int], ys: list[float]) -> float:
    """The least-squares slope of log y on log k."""
    xs, ls = [math.log(k) for k in ks], [math.log(max(y, 1e-9)) for y in ys]
    mx, my = sum(xs) / len(xs), sum(ls) / len(ls)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ls)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ks", type=int, nargs="+", default=[1, 2, 4, 8])
    ap.add_argument("--copies", action="store_true", help="the seed texts copied k times instead of a synthetic corpus")
    ap.add_argument("--no-rebuild", action="store_true", help="build each k once, without the incremental rebuild")
    ap.add_argument("--rebuilds", type=int, default=1,
                    help="change a document and rebuild this many times, one after the other (the table shows the "
                         "first; each is listed below it)")
    ap.add_argument("--generic-pages", nargs="+", choices=["files", "served"], default=["files"],
                    help="build each k with its generic pages written as files, left to `serve`, or each in turn "
                         "(helsegraf build --generic-pages)")
    ap.add_argument("--keep", action="store_true",
                    help="leave the builds' folders (named on stderr) rather than delete them at the end")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    # Each build's folder is deleted after the last build, not before the next: on a filesystem like this machine's
    # (ext4 without a journal) creating files is slow for minutes after many were deleted (bench/README.md), which
    # would slow each build by its predecessor's size.
    folders: list[Path] = []
    try:
        lines = []
        for mode in args.generic_pages:
            lines += measure(args, mode, folders) + [""]
    finally:
        if args.keep:
            print("kept: " + " ".join(map(str, folders)), file=sys.stderr)
        else:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
    report(lines[:-1], args.out)


def measure(args, mode: str, folders: list[Path]) -> list[str]:
    rows = {}
    for k in args.ks:
        folders.append(tmp := Path(tempfile.mkdtemp(prefix=f"scale-{k}-{mode}-")))
        manifest = copies(tmp / "sources", k) if args.copies else write_corpus(tmp / "sources", copies=k)
        rows[k] = run(tmp / "build", manifest, tmp / "cache", mode)
        if args.no_rebuild:
            print(f"{mode} k={k}: {rows[k]}", file=sys.stderr)
            continue
        rows[k]["incrementals"] = []
        for _ in range(args.rebuilds):  # each over the last, a word of the same document changed each time
            changed = change_one(manifest)
            # into the same folder, as `helsegraf build` rebuilds: its wall time includes deleting the first build
            again = run(tmp / "build", manifest, tmp / "cache", mode)
            rows[k]["incrementals"].append({
                "wall": again["wall"], "redone": again["redone"], "changed": changed, "seconds": again["seconds"],
                "peak": max(again["peak"].values()), "pairs_linked": again["pairs_linked"],
                "pages_kept": again["pages_kept"], "pages": again["pages"]})
        rows[k]["incremental"] = rows[k]["incrementals"][0]
        print(f"{mode} k={k}: {rows[k]}", file=sys.stderr)
    stages = [s for s in rows[args.ks[0]]["seconds"] if s not in ("link", "documents")]
    corpus = ("the five seed texts copied k times" if args.copies else
              "bench/synthetic.py --copies k: k documents modelled on each of the five seed texts, varied text")
    lines = [f"machine: {describe()}", f"corpus: {corpus} ({', '.join(SEEDS)})",
             f"generic pages: {mode} (helsegraf build --generic-pages {mode})", ""]
    head = f"{'k':>3} {'docs':>5} {'triples':>9} {'pages':>7} " + " ".join(f"{s + ' s':>11}" for s in stages) + \
        f" {'total s':>8} {'peak':>9} {'entries':>9} {'rebuild s':>10} {'redone':>7}"
    lines.append(head)
    for k, r in rows.items():
        inc = r.get("incremental")
        lines.append(f"{k:>3} {r['documents']:>5} {r['triples']:>9} {r['pages']:>7} "
                     + " ".join(f"{r['seconds'][s]:>11.1f}" for s in stages)
                     + f" {sum(r['seconds'][s] for s in stages):>8.1f} {max(r['peak'].values()):>5.0f} MiB"
                     + f" {r['entries']:>9}"
                     + (f" {inc['wall']:>10.1f} {inc['redone']:>4} of {r['documents']}" if inc else ""))
    lines += ["", "peak memory at the end of each stage (MiB; the build's own high-water mark; children = the largest "
              "process it started, read from /proc every 0.5 s):",
              f"{'k':>3} " + " ".join(f"{s:>11}" for s in stages) + f" {'children':>9}"]
    for k, r in rows.items():
        lines.append(f"{k:>3} " + " ".join(f"{r['peak'][s]:>11.0f}" for s in stages) + f" {r['peak']['children']:>9.0f}"
                     + f" ({r.get('largest_child', '?')})")
    if any("incremental" in r for r in rows.values()):
        lines += ["", "incremental rebuild (one document changed, the rest from the cache), seconds per stage:"]
    for k, r in rows.items():
        for inc in r.get("incrementals", []):
            lines.append(f"{k:>3} " + ", ".join(f"{s} {v:.1f}" for s, v in inc["seconds"].items()) +
                         f"; wall {inc['wall']:.1f} s; peak {inc['peak']:.0f} MiB; pairs of documents linked "
                         f"{inc['pairs_linked']}, pages kept {inc['pages_kept']} of {inc['pages']}")
    if len(rows) > 1:
        ks = list(rows)
        lines += ["", "growth exponent b (y = a·k^b; 1 = linear):"]
        lines.append(f"  triples           {exponent(ks, [rows[k]['triples'] for k in ks]):.2f}")
        for s in stages:
            lines.append(f"  time {s:<12} {exponent(ks, [rows[k]['seconds'][s] for k in ks]):.2f}")
        lines.append(f"  time {'total':<12} {exponent(ks, [sum(rows[k]['seconds'][s] for s in stages) for k in ks]):.2f}")
        lines.append(f"  peak memory       {exponent(ks, [max(rows[k]['peak'].values()) for k in ks]):.2f}")
        if not args.no_rebuild:
            lines.append(f"  rebuild           {exponent(ks, [rows[k]['incremental']['wall'] for k in ks]):.2f}")
    return lines


if __name__ == "__main__":
    main()
