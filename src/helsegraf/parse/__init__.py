"""One parser per document genre; each turns a source into a ParsedDocument of plain records.

A plain-text source is read as lines by its genre's parser; a PDF source is read with its layout
(layout/pdf.py: the pages the manifest selects, between its start and stop headings) by the layout parser.
"""

from __future__ import annotations

from ..errors import InputError
from ..records import ParsedDocument
from ..sources import SourceDoc, read_checked, read_source


def parse_document(doc: SourceDoc, check_sha256: bool = True) -> ParsedDocument:
    from . import programme, speech, white_paper

    if doc.is_pdf:
        return _parse_pdf(doc, check_sha256)
    lines = read_source(doc, check_sha256=check_sha256)
    parser = {"white_paper": white_paper.parse, "speech": speech.parse, "programme": programme.parse}[doc.parser]
    parsed = parser(doc, lines)
    if not parsed.measures and not doc.implausible_ok:
        # A document of a known genre that yields nothing was read wrongly; a build that said it succeeded would
        # hide that.
        raise InputError(doc.path, f"no measures or commitments found in '{doc.slug}' by the {doc.parser} parser "
                                   f"({len(parsed.items)} list items, {len(parsed.parts)} headings or parts); if the "
                                   "document holds none, say `implausible_ok = true` in its manifest entry")
    return parsed


def _parse_pdf(doc: SourceDoc, check_sha256: bool) -> ParsedDocument:
    from ..layout.pdf import read_pdf, select
    from .layout_programme import parse_layout

    read_checked(doc, check_sha256)
    pages = select(read_pdf(doc.path, doc.pages), doc.path, doc.start_heading, doc.stop_heading)
    parsed, coverage = parse_layout(doc, pages)
    if not parsed.lines:
        raise InputError(doc.path, f"no text on pages {doc.pages or 'all'} of the PDF for '{doc.slug}'")
    if coverage.commitments == 0 and not doc.implausible_ok:
        raise InputError(doc.path, f"no commitments found in '{doc.slug}' (pages {doc.pages or 'all'}): "
                                   f"{coverage.markers} list items, {coverage.lead_ins} lead-ins; "
                                   f"'helsegraf inspect {doc.path.name} --pages {doc.pages or '1-'}' shows what was read")
    return parsed
