"""Variants of the seed white paper in the clothes other white papers wear, made from its text.

Each variant changes one thing the genre varies in and keeps the measures: a parser for the genre must find the same
136 measures, with the same text, in every one of them. Run as a script to write them out for a look:

    python -m tests.parse.white_paper_variants OUTDIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Callable

DASH_ITEM = re.compile(r"^(\s?)[–-](\s+\S)")
# The seed prints chapter headings with two spaces after the number, chapters in order; other lines of that form are
# not in order ("30  prosent" would be chapter 30).
SEED_CHAPTER = re.compile(r"^ ?(\d{1,2})\s{2,}\S")
BOX = re.compile(r"^ ?Boks (\d{1,2})\.(\d{1,2})\s+(\S.*)$")


def _chapter_lines(lines: list[str]) -> set[int]:
    found, expect = set(), 1
    for i, line in enumerate(lines):
        m = SEED_CHAPTER.match(line)
        if m and int(m.group(1)) == expect:
            found.add(i)
            expect += 1
    return found


def nynorsk(lines: list[str]) -> list[str]:
    """Boxes titled "Regjeringa vil" and lists announced by "regjeringa vil:" (the nynorsk definite form)."""
    out = []
    for line in lines:
        line = re.sub(r"\bRegjeringen\b", "Regjeringa", line)
        line = re.sub(r"\bregjeringen\b", "regjeringa", line)
        out.append(line)
    return out


def bullets(lines: list[str]) -> list[str]:
    """Items marked "•" instead of "–" (a dash that goes on a wrapped chapter title stays)."""
    chapters = _chapter_lines(lines)
    return [line if i - 1 in chapters else DASH_ITEM.sub(r"\1•\2", line) for i, line in enumerate(lines)]


def header_above_chapter(lines: list[str]) -> list[str]:
    """A running header printed directly above each chapter heading, with no blank line between."""
    out: list[str] = []
    chapters = _chapter_lines(lines)
    for i, line in enumerate(lines):
        if i in chapters and i > 20:
            out.append(f"{40 + len(out) // 100} Meld. St. 9 2023–2024")
            line = line.lstrip()
        out.append(line)
    return out


def renumbered_boxes(lines: list[str]) -> list[str]:
    """Every box number shifted by two within its chapter (Boks 3.1 → Boks 3.3), so no measure box is box 1."""
    def shift(m: re.Match) -> str:
        return f"Boks {m.group(1)}.{int(m.group(2)) + 2}"

    return [re.sub(r"Boks (\d{1,2})\.(\d{1,2})", shift, line) for line in lines]


def wrapped_box_titles(lines: list[str]) -> list[str]:
    """Box titles over two lines: "Boks 3.1 Regjeringen" / "vil", as a narrow box column wraps them."""
    out: list[str] = []
    for line in lines:
        m = BOX.match(line)
        if m and m.group(3).strip() == "Regjeringen vil":
            out.extend([line.replace("Regjeringen vil", "Regjeringen").rstrip(), "vil"])
            continue
        out.append(line)
    return out


def one_space_chapters(lines: list[str]) -> list[str]:
    """Chapter headings "3 Tittel" with one space after the number."""
    chapters = _chapter_lines(lines)
    return [re.sub(r"^( ?\d{1,2})\s{2,}", r"\1 ", line) if i in chapters else line for i, line in enumerate(lines)]


def everything(lines: list[str]) -> list[str]:
    for variant in (bullets, wrapped_box_titles, renumbered_boxes, header_above_chapter, one_space_chapters, nynorsk):
        lines = variant(lines)
    return lines


VARIANTS: dict[str, Callable[[list[str]], list[str]]] = {
    f.__name__: f
    for f in (nynorsk, bullets, header_above_chapter, renumbered_boxes, wrapped_box_titles, one_space_chapters,
              everything)
}


def main(outdir: str) -> None:
    from tests.repo import MANIFEST
    from helsegraf.sources import load_manifest, read_source
    from tests.conftest import WHITE_PAPER

    doc = next(d for d in load_manifest(MANIFEST).documents if d.slug == WHITE_PAPER)
    lines = read_source(doc)
    Path(outdir).mkdir(parents=True, exist_ok=True)
    for name, variant in VARIANTS.items():
        (Path(outdir) / f"{name}.txt").write_text("\n".join(variant(lines)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
