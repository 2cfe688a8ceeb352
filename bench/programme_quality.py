"""Commitments extracted from the programmes' PDFs against the hand-labelled ones (tests/fixtures/programmes/):
per programme, the hand count, how many were extracted, exact-text matches, recall, precision, and how many carry
the right section heading and page. Usage: python bench/programme_quality.py [-v]"""

from __future__ import annotations

import sys
import time
import tomllib
import unicodedata
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from helsegraf.layout.pdf import read_pdf, select  # noqa: E402
from helsegraf.parse.layout_programme import parse_layout  # noqa: E402
from repo import ROOT, SOURCES  # noqa: E402
from helsegraf.records import ItemKind  # noqa: E402


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def main() -> None:
    verbose = "-v" in sys.argv
    print(f"machine: {describe()}")
    print(f"{'programme':<34}{'hand':>6}{'found':>7}{'exact':>7}{'recall':>8}{'precision':>10}{'section':>9}{'page':>6}"
          f"{'pages/s':>9}")
    for path in sorted((ROOT / "tests" / "fixtures" / "programmes").glob("*.toml")):
        gold = tomllib.loads(path.read_text(encoding="utf-8"))
        pdf = SOURCES / "pdf" / f"{gold['document']}.pdf"
        t = time.perf_counter()
        pages = select(read_pdf(pdf, gold["pages"]), pdf, gold.get("start"), gold.get("stop"))
        parsed, _ = parse_layout(SimpleNamespace(slug=gold["document"], short_title=gold["document"]), pages)
        seconds = time.perf_counter() - t
        want = [norm(c["text"]) for c in gold["commitment"]]
        extracted = [it for it in parsed.items if it.kind is ItemKind.COMMITMENT]
        got = [norm(it.text) for it in extracted]
        pairs, used = [], set()
        for c in gold["commitment"]:  # in reading order: a programme may say the same thing in two sections
            k = next((k for k, it in enumerate(extracted) if k not in used and norm(it.text) == norm(c["text"])), None)
            if k is not None:
                used.add(k)
                pairs.append((c, extracted[k]))
        exact = len(pairs)
        titles = {p.key: " ".join(x for x in (p.number, p.title) if x) for p in parsed.parts}
        section = sum(1 for c, it in pairs if titles.get(it.part) == c["section"])
        page = sum(1 for c, it in pairs if it.span.pdf_page == c["page"])
        right = sum(1 for g in got if g in want)
        print(f"{path.stem:<34}{len(want):>6}{len(got):>7}{exact:>7}{exact / len(want):>8.3f}"
              f"{(right / len(got) if got else 0):>10.3f}{section:>9}{page:>6}{len(pages) / seconds:>9.1f}")
        if verbose:
            for w in want:
                if w not in got:
                    print("   missed:", w[:120])
            for g in got:
                if g not in want:
                    print("   extra: ", g[:120])


if __name__ == "__main__":
    main()
