"""One parser per document genre; each turns a source into a ParsedDocument of plain records.

A plain-text source is read as lines by its genre's parser. A PDF source is read with its layout (layout/pdf.py: the
pages the manifest selects, between its start and stop headings): a programme by the layout parser
(layout_programme.py), a white paper or a speech by its text parser over the layout written as text
(layout_text.py).
"""

from __future__ import annotations

from ..errors import InputError
from ..records import ParsedDocument
from ..sources import SourceDoc, read_checked, read_source
from .restatements import mark_restatements


MISSED_SHARE = 0.25  # more than this share of a programme's lead-ins with no list after them fails its build


def text_parser(genre: str):
    """The parser that reads a text of this genre (manifest `parser`): white_paper, speech or programme."""
    from . import programme, speech, white_paper

    return {"white_paper": white_paper.parse, "speech": speech.parse, "programme": programme.parse}[genre]


def parse_document(doc: SourceDoc, check_sha256: bool = True) -> ParsedDocument:
    """The document's parts, lists and items, whichever genre and format, with restated measures marked."""
    return mark_restatements(_parse(doc, check_sha256))


def _parse(doc: SourceDoc, check_sha256: bool) -> ParsedDocument:
    if doc.is_pdf:
        return _parse_pdf(doc, check_sha256)
    lines = read_source(doc, check_sha256=check_sha256)
    parsed = text_parser(doc.parser)(doc, lines)
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
    from .layout_text import parse_via_text

    read_checked(doc, check_sha256)
    pages = select(read_pdf(doc.path, doc.pages), doc.path, doc.start_heading, doc.stop_heading)
    if not any(p.text_lines() for p in pages):
        raise InputError(doc.path, f"no text on pages {doc.pages or 'all'} of the PDF for '{doc.slug}'")
    if doc.parser in ("white_paper", "speech"):
        parsed = parse_via_text(doc, pages, text_parser(doc.parser))
        if not parsed.measures and not doc.implausible_ok:
            raise InputError(doc.path, f"no measures found in '{doc.slug}' (pages {doc.pages or 'all'}) by the "
                                       f"{doc.parser} parser: {len(parsed.parts)} headings or parts, "
                                       f"{len(parsed.items)} list items; 'helsegraf inspect {doc.path.name} --pages "
                                       f"{doc.pages or '1-'}' shows what was read")
        return parsed
    parsed, coverage = parse_layout(doc, pages)
    if coverage.commitments == 0 and not doc.implausible_ok:
        raise InputError(doc.path, f"no commitments found in '{doc.slug}' (pages {doc.pages or 'all'}): "
                                   f"{coverage.markers} list items, {coverage.lead_ins} lead-ins; "
                                   f"'helsegraf inspect {doc.path.name} --pages {doc.pages or '1-'}' shows what was read")
    missed = coverage.lead_ins_without_items
    if len(missed) > max(1, MISSED_SHARE * (coverage.lead_ins + len(missed))) and not doc.implausible_ok:
        # Lead-ins that no list followed are pledges the parser did not see as items (markers it does not know,
        # a layout it misread); a few may be prose, many mean the document was read wrongly.
        raise InputError(doc.path, f"'{doc.slug}': {len(missed)} of {coverage.lead_ins + len(missed)} lead-ins have "
                                   f"no list after them, so their pledges were not read: {'; '.join(missed[:5])}; "
                                   f"'helsegraf inspect {doc.path.name} --parsed' shows what was read "
                                   "(`implausible_ok = true` in the manifest entry accepts it; the build report still "
                                   "lists them)")
    return parsed
