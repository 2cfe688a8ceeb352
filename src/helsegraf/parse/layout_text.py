"""White papers and speeches read from their PDF: the layout's lines, written in the conventions their text parsers
read (parse/white_paper.py, parse/speech.py), and the parser's spans mapped back to PDF and printed pages.

The white-paper parser, for one, reads the genre from text: headings by their numbers, boxes by "Boks N.k", items by their
markers, paragraphs by blank lines, and a page break as the page's first line indented by one space (which ends a
box unless "Boks N.k forts." resumes it). From a PDF all of that is known from the layout, so this module writes
it so: a blank line where the vertical gap opens a paragraph or the size or weight changes (a heading), and the
page's first line indented by one. Page numbers need no inference: every line keeps its PDF page and the page
number printed on it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from ..layout.pdf import Line, Page
from ..records import PageStatus, ParsedDocument, Span
from .layout_programme import BOLD_HEADING_RATIO, HEADING_RATIO, PARAGRAPH_GAP


def layout_text(pages: list[Page]) -> tuple[list[str], list[Line | None]]:
    """The text lines, and for each the layout line it came from (None for a blank line put in)."""
    lines = [ln for p in pages for ln in p.text_lines()]
    body = statistics.median([ln.size for ln in lines]) if lines else 0.0
    texts: list[str] = []
    origin: list[Line | None] = []
    prev: Line | None = None
    for ln in lines:
        new_page = prev is not None and ln.page != prev.page
        if prev is not None and not new_page:
            gap = prev.column != ln.column or ln.y0 - prev.y0 > PARAGRAPH_GAP * max(prev.size, ln.size, 1)
            style = _styled(prev, body) != _styled(ln, body)
            if gap or style:
                texts.append("")
                origin.append(None)
        elif new_page and _styled(ln, body):
            texts.append("")
            origin.append(None)
        texts.append((" " if new_page else "") + ln.text)
        origin.append(ln)
        prev = ln
    return texts, origin


def _styled(ln: Line, body: float) -> bool:
    """Set apart from the body text as the programme parser's headings are: larger, or bold and a little larger."""
    return ln.size >= body * (BOLD_HEADING_RATIO if ln.bold else HEADING_RATIO) or ln.bold


def parse_via_text(doc, pages: list[Page], parse: Callable[..., ParsedDocument]) -> ParsedDocument:
    texts, origin = layout_text(pages)
    parsed = parse(doc, texts)

    def where(span: Span) -> Span:
        ln = next((origin[k - 1] for k in range(span.start, min(span.end, len(origin)) + 1) if origin[k - 1]), None)
        if ln is None:
            return span
        printed = int(ln.printed) if ln.printed and ln.printed.isdigit() else None
        if printed is None:  # the page number stood in a running header the text parser read (and counted on from)
            return Span(span.start, span.end, span.page, span.page_status, ln.page)
        return Span(span.start, span.end, printed, PageStatus.STATED, ln.page)

    for part in parsed.parts:
        part.span = where(part.span)
    for item in parsed.items:
        item.span = where(item.span)
    for group in parsed.groups:
        group.span = where(group.span)
    return parsed
