"""PDF text extractors compared on the real programmes: correctness probes and speed, side by side in one run.

For each PDF in ../shared/corpus/programmes-2025 (or the folders given) and each extractor — pypdfium2 (PDFium),
pdfplumber (pdfminer.six) and poppler's `pdftotext` (Debian's poppler-utils, in its reading-order and -layout
modes), and helsegraf's own layout reader on PDFium (characters with their boxes, grouped into lines and columns,
page furniture taken out) — it extracts every page and reports, one process, one core:

- pages/s (wall time of the whole document, median of --runs);
- ligature words: occurrences of common words that hold "ti", "ff", "fi", "fl" or "ft" — glyphs some fonts set as
  ligatures, which some extractors drop ("Konserva vt", "o entlig") — as a share of the most any extractor found;
- broken characters: U+FFFD, private-use code points, and ligature code points left undecomposed (U+FB00–FB06);
- merged columns: lines with two runs of text separated by five or more spaces (two columns side by side);
- words split by a hyphen at a line end (to be joined), counted for information.

Usage: python bench/pdf_extractors.py [--runs 3] [DIR ...]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "programmes-2025"
# Common words of Norwegian policy text that hold a pair some fonts set as one ligature glyph.
LIGATURE_WORDS = re.compile(r"\b(tiltak\w*|offentlig\w*|effektiv\w*|finansier\w*|flere|flest|tilbud\w*|tilby\w*|"
                            r"politikk\w*|aktiv\w*|prioriter\w*|stiftelse\w*|kvalitet\w*|utfordring\w*|"
                            r"\w*tid\b|\w*til\b|oftere|kraft\w*|fritt|frivillig\w*|fleksib\w*|ansvarlig\w*)",
                            re.IGNORECASE)
BROKEN = re.compile(r"[\ufffd\ue000-\uf8ff\ufb00-\ufb06]")
MERGED = re.compile(r"\S\s{5,}\S")
HYPHENATED = re.compile(r"[a-zæøå]-\n\s*[a-zæøå]")


def pdfium_text(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for page in pdf:
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


def plumber_text(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def poppler_text(path: Path, layout: bool) -> list[str]:
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(cmd, capture_output=True, check=True, text=True).stdout.split("\f")


def helsegraf_text(path: Path) -> list[str]:
    """helsegraf's own reader: PDFium's characters with their boxes, lines, columns, furniture taken out."""
    from helsegraf.layout.pdf import read_pdf

    return ["\n".join(ln.text for ln in page.text_lines()) for page in read_pdf(path)]


EXTRACTORS = {
    "helsegraf layout": helsegraf_text,
    "pypdfium2": pdfium_text,
    "pdfplumber": plumber_text,
    "pdftotext": lambda p: poppler_text(p, False),
    "pdftotext -layout": lambda p: poppler_text(p, True),
}


def probes(pages: list[str]) -> dict[str, int]:
    text = unicodedata.normalize("NFC", "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n"))
    return {"ligature_words": len(LIGATURE_WORDS.findall(text)), "broken": len(BROKEN.findall(text)),
            "merged_lines": sum(1 for ln in text.split("\n") if MERGED.search(ln.strip())),
            "hyphenated": len(HYPHENATED.findall(text)), "chars": len(text)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*", type=Path, default=[CORPUS])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not shutil.which("pdftotext"):
        sys.exit("pdftotext is not installed: apt-get install poppler-utils")
    pdfs = sorted(p for d in args.dirs for p in d.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs in {', '.join(map(str, args.dirs))}")
    print(f"machine: {describe()}")
    print(f"{len(pdfs)} PDFs; median of {args.runs} runs per extractor and document, one process")
    totals: dict[str, dict[str, float]] = {name: {"pages": 0, "seconds": 0.0} for name in EXTRACTORS}
    rows = []
    for pdf in pdfs:
        found = {}
        for name, extract in EXTRACTORS.items():
            times, pages = [], []
            for _ in range(args.runs):
                t = time.perf_counter()
                pages = extract(pdf)
                times.append(time.perf_counter() - t)
            n = len([p for p in pages if p is not None])
            sec = statistics.median(times)
            totals[name]["pages"] += n
            totals[name]["seconds"] += sec
            found[name] = (n / sec, probes(pages))
        best = max(p["ligature_words"] for _, p in found.values()) or 1
        if not rows:
            print(f"\n{'document':<34}{'extractor':<20}{'pages/s':>9}{'ligature words':>16}{'broken chars':>14}"
                  f"{'merged lines':>14}{'hyphen breaks':>15}")
        for name, (pps, p) in found.items():
            rows.append((pdf.name, name))
            print(f"{pdf.name:<34}{name:<20}{pps:>9.1f}{p['ligature_words'] / best:>15.1%} {p['broken']:>13}"
                  f"{p['merged_lines']:>14}{p['hyphenated']:>15}", flush=True)
    print("\nall documents:")
    for name, t in totals.items():
        print(f"  {name:<20} {t['pages'] / t['seconds']:8.1f} pages/s ({t['pages']:.0f} pages in {t['seconds']:.2f} s)")
    print("ligature words: occurrences of common words holding ti/ff/fi/fl/ft, as a share of the most any extractor "
          "found in that document; merged lines: two columns side by side on one line.")


if __name__ == "__main__":
    main()
