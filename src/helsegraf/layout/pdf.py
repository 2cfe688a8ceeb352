"""PDF pages as positioned lines, with PDFium (pypdfium2): what every genre's parser reads from a PDF.

Chosen by measurement (bench/pdf_extractors.py): PDFium keeps the ligatures other extractors drop, reads
two-column pages column by column in the PDF's own order, and reads some 30 pages a second on one core.

Each line keeps its page, its box on the page, its font size and whether it is bold. What is not the document's
text is taken out here and kept aside, so `helsegraf inspect` can show it: running headers and footers (lines at
the top or bottom of the page that repeat across pages, letter-spaced ones included), page numbers (kept as the
page's printed number), and margin line numbers (numbers alone at the left of the text, as some parties print).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

EDGE = 0.12  # the top and bottom share of a page where running headers and footers stand
REPEATS_MAX = 5  # a top or bottom line repeated on this many pages is furniture, however many pages are read
FURNITURE_Y = 6.0  # points: furniture repeats at the same place on the page, within this
GAP_EM = 2.5  # a gap this many font sizes wide splits a line into two (a margin number, a second column)
NUMBER_GAP_EM = 0.8  # after a number that opens a line, a narrower gap is enough
DIGITS = re.compile(r"\d+")
LINE_NUMBER = re.compile(r"^(\d{1,5})(?:\s+(\S.*))?$")
PAGE_NUMBER = re.compile(r"^(?:side\s+)?(\d{1,4})$", re.IGNORECASE)
LIGATURE = re.compile("[\ufb00-\ufb06]")
FF_AS_W = re.compile(r"(?<=[a-zæøå])W(?=[a-zæøå])")
LETTER_SPACED = re.compile(r"(?<=\b\w) (?=\w\b)")


@dataclass
class Line:
    page: int  # 1-based page of the PDF file
    x0: float
    y0: float  # from the top of the page, in points
    x1: float
    y1: float
    size: float  # font size in points, from the glyphs' height
    bold: bool
    text: str
    column: int = 0
    line_number: int | None = None  # the number printed in the margin, where the document numbers its lines
    printed: str | None = None  # the page number printed on its page, where there is one
    removed: str = ""  # why the line is not text: "header", "footer", "page number", "line number", "outside"

    @property
    def where(self) -> str:
        return f"p. {self.page}, col. {self.column + 1}, y {self.y0:.0f}"


@dataclass
class Page:
    number: int  # 1-based page of the PDF file
    width: float
    height: float
    lines: list[Line]
    printed: str | None = None  # the page number printed on the page, where one is
    removed: list[Line] = field(default_factory=list)

    def text_lines(self) -> list[Line]:
        return [ln for ln in self.lines if not ln.removed]


def page_range(spec: str | None, count: int, path: Path) -> range:
    """'28-33' (1-based, inclusive), '28', or None for every page."""
    if spec is None:
        return range(1, count + 1)
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", str(spec))
    if not m:
        raise InputError(path, f"pages: expected 'FIRST-LAST' (for example '28-33'), got {spec!r}")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if not 1 <= first <= last <= count:
        raise InputError(path, f"pages {spec}: the PDF has pages 1-{count}")
    return range(first, last + 1)


def read_pdf(path: Path, pages: str | None = None) -> list[Page]:
    """The selected pages of a PDF as lines in reading order, headers, footers and line numbers marked."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        raise InputError(path, f"not a readable PDF: {e}") from None
    try:
        out = []
        for n in page_range(pages, len(pdf), path):
            page = pdf[n - 1]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    lines = _lines(textpage, n, height)
                finally:
                    textpage.close()
            finally:
                page.close()
            out.append(Page(n, width, height, _columns(lines, width)))
    finally:
        pdf.close()
    _mark_furniture(out)
    return out


def select(pages: list[Page], path: Path, start: str | None = None, stop: str | None = None) -> list[Page]:
    """The text from the line that reads `start` up to (not including) the line that reads `stop`, such as a
    programme's health chapter between its heading and the next chapter's. Lines outside are marked "outside";
    a heading not found is an error naming it (a silent miss would read the whole range)."""
    lines = [ln for p in pages for ln in p.text_lines()]

    def find(text: str, after: int) -> int:
        want = " ".join(text.split()).casefold()
        for k in range(after, len(lines)):
            if " ".join(lines[k].text.split()).casefold() == want:
                return k
        first, last = pages[0].number, pages[-1].number
        raise InputError(path, f"the heading {text!r} is not on pages {first}-{last}; 'helsegraf inspect "
                               f"{path.name} --pages {first}-{last}' shows the lines there")

    begin = find(start, 0) if start else 0
    end = find(stop, begin + 1) if stop else len(lines)
    for k, ln in enumerate(lines):
        if k < begin or k >= end:
            ln.removed = "outside"
    for p in pages:
        p.removed = [ln for ln in p.lines if ln.removed]
    return pages


def _lines(textpage, page_no: int, height: float) -> list[Line]:
    """Characters grouped into lines at PDFium's line breaks, split where a wide gap shows two things side by side."""
    import pypdfium2.raw as raw

    lines: list[Line] = []
    chars: list[tuple[str, float, float, float, float, bool]] = []

    def flush() -> None:
        if chars:
            lines.extend(_split(chars, page_no, height))
            chars.clear()

    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage, i)
        ch = chr(code) if code else ""
        if ch == "\x02":
            # PDFium's mark for a hyphen at a line's end, which it joins to the next line on its own; kept as a
            # hyphen and a line break, so that de-hyphenation decides ("helse- og" keeps it, "helse-\ntjenesten"
            # does not) and every line keeps its own place on the page.
            if chars:
                last = chars[-1]
                chars.append(("-", last[3], last[2], last[3] + 0.1, last[4], last[5]))
            flush()
            continue
        if ch in ("\r", "\n", ""):
            if ch == "\n":
                flush()
            continue
        if unicodedata.category(ch) == "Cc":  # glyphs some fonts map to control codes stand for spaces
            ch = " "
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        bold = raw.FPDFText_GetFontWeight(textpage, i) >= 600
        chars.append((ch, left, bottom, right, top, bold))
    flush()
    return lines


def repair(text: str) -> str:
    """Ligature code points as letters (U+FB01 "ﬁ" -> "fi"), and the mid-word capital W some fonts' Unicode maps give
    for the "ff" ligature ("oWentlige" -> "offentlige"): a capital W between lower-case letters is no Norwegian."""
    text = LIGATURE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return FF_AS_W.sub("ff", text)


def _split(chars, page_no: int, height: float) -> list[Line]:
    sizes = [c[4] - c[2] for c in chars if not c[0].isspace()]
    size = statistics.median(sizes) if sizes else 0.0
    runs: list[list] = [[]]
    last_right = None
    for c in chars:
        gap = c[1] - last_right if last_right is not None else 0.0
        # A number that opens a line and stands apart from what follows (more than a space) is a margin line
        # number: its own segment, so the text keeps its own left edge (the hanging indent of list items).
        number_apart = (size and gap > NUMBER_GAP_EM * size and
                        "".join(x[0] for x in runs[-1]).strip().isdigit())
        if last_right is not None and not c[0].isspace() and size and (gap > GAP_EM * size or number_apart):
            runs.append([])
        runs[-1].append(c)
        if not c[0].isspace():
            last_right = c[3]
    out = []
    for run in runs:
        text = repair(re.sub(r"\s+", " ", "".join(c[0] for c in run)).strip())
        ink = [c for c in run if not c[0].isspace()]
        if not text or not ink:
            continue
        run_sizes = [c[4] - c[2] for c in ink]
        out.append(Line(page_no, min(c[1] for c in ink), height - max(c[4] for c in ink), max(c[3] for c in ink),
                        height - min(c[2] for c in ink), round(statistics.median(run_sizes), 1),
                        sum(c[5] for c in ink) * 2 > len(ink), text))
    return out


def _columns(lines: list[Line], width: float) -> list[Line]:
    """Reading order: on a page with text on both sides of the middle, the left column before the right."""
    middle = width / 2
    left = [ln for ln in lines if ln.x1 <= middle + 2]
    right = [ln for ln in lines if ln.x0 >= middle - 2]
    if len(left) >= 5 and len(right) >= 5:
        for ln in lines:
            ln.column = 1 if ln.x0 >= middle - 2 else 0
        # The left column, then the right, each from the top down: the content stream's order is not always the
        # reading order (a lead-in set at the top of a column may come in the stream after the list below it).
        return sorted(lines, key=lambda ln: (ln.column, round(ln.y0, 1), ln.x0))
    return lines


def _normalized(text: str) -> str:
    return DIGITS.sub("#", LETTER_SPACED.sub("", text)).casefold()


def _furniture_key(ln: Line) -> tuple[str, int, int]:
    return _normalized(ln.text), round(ln.y0 / FURNITURE_Y), round(ln.x0 / FURNITURE_Y)


def _mark_furniture(pages: list[Page]) -> None:
    # A running header or footer repeats its text at the same height: a lead-in that happens to open the top of a
    # column on several pages ("Fremskrittspartiet vil:") stands at a different height each time.
    edges: Counter = Counter()
    for p in pages:
        for key in {_furniture_key(ln) for ln in p.lines if _at_edge(ln, p)}:
            edges[key] += 1
    # On more than half the pages read (at least two, at most REPEATS_MAX): a chapter's running title repeats on all
    # its pages; a line that opens a column on a few pages does not.
    repeats = max(2, min(len(pages) // 2 + 1, REPEATS_MAX))
    for p in pages:
        for ln in p.lines:
            if _at_edge(ln, p):
                m = PAGE_NUMBER.match(ln.text)
                if m:
                    ln.removed = "page number"
                    p.printed = p.printed or m.group(1)
                elif len(pages) > 1 and edges[_furniture_key(ln)] >= repeats:
                    ln.removed = "header" if ln.y0 < p.height / 2 else "footer"
            if not ln.removed and _margin_number(ln, p):
                ln.removed = "line number"
        _strip_numbered_lines(p)
        p.removed = [ln for ln in p.lines if ln.removed]
        for ln in p.lines:
            ln.printed = p.printed


def _strip_numbered_lines(p: Page) -> None:
    """Line numbers printed before the text ("1684 Behandling av …"): where most of a page's rows open with a
    number and the numbers rise row by row, they are margin numbers; a number alone goes, and a line that opens
    with one loses it (kept in `line_number`). Rows, not lines: a number set apart from its text is a line of its
    own beside it."""
    lines = sorted((ln for ln in p.lines if ln.removed in ("", "line number")), key=lambda ln: (ln.column, ln.y0))
    rows: list[list[Line]] = []
    for ln in lines:  # one row: the lines of a column whose tops are within half a line of each other
        if rows and rows[-1][0].column == ln.column and abs(rows[-1][0].y0 - ln.y0) < 0.5 * max(ln.size, 1):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    row_of = {id(ln): row for row in rows for ln in row}
    firsts = [min(row, key=lambda ln: ln.x0) for row in rows]
    numbered = [(ln, int(m.group(1))) for ln in firsts if (m := LINE_NUMBER.match(ln.text))]
    ids = {id(ln) for ln, _ in numbered}
    firsts = [ln for ln in firsts if not ln.removed or id(ln) in ids]
    if len(numbered) < 5 or len(numbered) < 0.6 * len(firsts):
        return
    numbered.sort(key=lambda lv: (lv[0].column, lv[0].y0))
    values = [v for _, v in numbered]
    rising = sum(1 for a, b in zip(values, values[1:]) if 0 < b - a <= 3)
    if rising < 0.8 * (len(values) - 1):
        return
    for ln, value in numbered:
        rest = LINE_NUMBER.match(ln.text).group(2)
        for other in row_of[id(ln)]:
            other.line_number = value
        if rest:
            ln.text = rest
        else:
            ln.removed = "line number"


def _at_edge(ln: Line, p: Page) -> bool:
    return ln.y1 <= p.height * EDGE or ln.y0 >= p.height * (1 - EDGE)


def _margin_number(ln: Line, p: Page) -> bool:
    """A number alone in a column's left margin: the line numbers some programmes print beside the text."""
    if not DIGITS.fullmatch(ln.text):
        return False
    same_column = [o for o in p.lines if o.column == ln.column and o is not ln and not DIGITS.fullmatch(o.text)]
    return bool(same_column) and ln.x1 < min(o.x0 for o in same_column) - 1
