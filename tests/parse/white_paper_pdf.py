"""The seed white paper printed back to a PDF, as the published one is laid out: the seed's own pages, two columns,
a running header at the top of each page, headings bold and larger, paragraphs apart. The text parser's results on
the seed are what the PDF path must give back.

    python -m tests.parse.white_paper_pdf OUT.pdf [LAST_LINE]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HEADING = re.compile(r"^ ?(\d{1,2}(\.\d{1,2}){0,3}\s+\S|Boks \d{1,2}\.\d{1,2}\s)")
CHAPTER = re.compile(r"^ ?\d{1,2}\s{2,}\S")
HEADER = re.compile(r"^(\d{4}–\d{4} Meld\. St\. \d+ \d+|\d+ Meld\. St\. \d+ \d{4}–\d{4})\s*$")
BODY, TITLE, CHAPTER_SIZE, LEADING = 8.5, 10.5, 15.0, 10.5
TOP, BOTTOM, LEFT, GUTTER, COLUMN = 70.0, 790.0, 55.0, 20.0, 232.0


def seed_pages(lines: list[str]) -> list[list[str]]:
    """The seed's lines cut where its pages broke (a running header, or a line indented by one space); lines keep
    their trailing space, which marks a heading that wraps."""
    pages: list[list[str]] = [[]]
    for line in lines:
        if HEADER.match(line) or (line.startswith(" ") and not line.startswith("  ") and line.strip()
                                  and not line.lstrip().startswith(("•", "Figur", "Tabell"))):
            pages.append([])
        if not HEADER.match(line):
            pages[-1].append(line.lstrip())
    return [p for p in pages if any(x.strip() for x in p)]


def write_pdf(lines: list[str], out: Path, first_page: int = 5) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(out), pagesize=(595.0, 842.0), invariant=1)
    for n, page in enumerate(seed_pages(lines), first_page):
        header = f"2023–2024 Meld. St. 9 {n}" if n % 2 else f"{n} Meld. St. 9 2023–2024"
        canvas.setFont("Helvetica", 8)
        canvas.drawString(LEFT, 842.0 - 40.0, header)
        x, y = LEFT, TOP
        heading_goes_on = in_item = False
        size = BODY
        for line in page:
            if not line.strip():
                y += LEADING * 0.6
                continue
            starts = bool(HEADING.match(line))
            heading = starts or heading_goes_on
            if starts and y > TOP:
                y += LEADING  # space above a heading
            if y > BOTTOM:
                x, y = x + COLUMN + GUTTER, TOP
            if starts:
                size = CHAPTER_SIZE if CHAPTER.match(line) else TITLE
            elif not heading:
                size = BODY
            item = line.startswith("– ")
            in_item = item or (in_item and not heading and line[:1].islower())
            indent = 8.0 if in_item and not item else 0.0  # an item's wrapped lines hang under its text
            canvas.setFont("Helvetica-Bold" if heading else "Helvetica", size)
            canvas.drawString(x + indent, 842.0 - y, line.rstrip())
            y += LEADING * (1.4 if heading else 1.0)
            heading_goes_on = heading and line.endswith((" ", "-"))
        canvas.showPage()
    canvas.save()


def main(out: str, last: int = 3647) -> None:
    from helsegraf.sources import load_manifest, read_source
    from tests.conftest import WHITE_PAPER
    from tests.repo import MANIFEST

    doc = next(d for d in load_manifest(MANIFEST).documents if d.slug == WHITE_PAPER)
    write_pdf(read_source(doc)[:last], Path(out))


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
