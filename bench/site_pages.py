"""Site rendering speed: pages per second for the real graph, and for a synthetic programme of 10,000 commitments
built through the same pipeline (100 headings of 100 bullets each; each commitment also brings its source span and
mentions, which get pages too).

Usage: python bench/site_pages.py [--synthetic N]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from helsegraf.build import build  # noqa: E402

WORDS = ("styrke", "kommunene", "helsefellesskapene", "sykehusene", "barn og unge", "fastlegene", "rehabilitering",
         "digitale løsninger", "Helsedirektoratet", "eldre", "forebygging", "kvalitet", "personell", "samhandling")


def synthetic_sources(root: Path, n: int) -> Path:
    per = 100
    lines = ["Syntetisk program", ""]
    for h in range(n // per):
        lines += [f"Tema nummer {h + 1}", "", "Helsepartiet vil:", ""]
        for i in range(per):
            words = " ".join(WORDS[(h * 7 + i * 3 + k) % len(WORDS)] for k in range(8))
            lines.append(f" • Tiltak {h + 1}.{i + 1}: {words}.")
        lines.append("")
    text = ("\n".join(lines) + "\n").encode()
    (root / "texts").mkdir(parents=True)
    (root / "texts" / "syntetisk.txt").write_bytes(text)
    manifest = root / "manifest.toml"
    manifest.write_text(f"""[[document]]
slug = "syntetisk-program"
file = "texts/syntetisk.txt"
sha256 = "{hashlib.sha256(text).hexdigest()}"
parser = "programme"
commitment_lead = "Helsepartiet vil"
title = "Syntetisk program"
genre = "partiprogram"
issuer = "helsepartiet"
date = "2020"
""", encoding="utf-8")
    return manifest


def measure(label: str, **kwargs) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        result = build(Path(tmp) / "build", **kwargs)
        total = time.perf_counter() - t
    site_s = result.seconds["site"]
    print(f"{label}: {result.pages} pages in {site_s:.1f} s = {result.pages / site_s:.0f} pages/s "
          f"(whole build {total:.1f} s, {result.triples} triples)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--synthetic", type=int, default=10_000)
    args = ap.parse_args()
    print(f"machine: {describe()}")
    measure("real graph")
    if not args.synthetic:
        return
    with tempfile.TemporaryDirectory() as tmp:
        measure(f"synthetic, {args.synthetic} commitments", manifest_path=synthetic_sources(Path(tmp), args.synthetic))


if __name__ == "__main__":
    main()
