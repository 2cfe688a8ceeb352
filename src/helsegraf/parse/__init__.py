"""One parser per document genre; each turns a source's lines into a ParsedDocument of plain records."""

from __future__ import annotations

from ..records import ParsedDocument
from ..sources import SourceDoc, read_source


def parse_document(doc: SourceDoc, check_sha256: bool = True) -> ParsedDocument:
    from . import programme, speech, white_paper

    lines = read_source(doc, check_sha256=check_sha256)
    parser = {"white_paper": white_paper.parse, "speech": speech.parse, "programme": programme.parse}[doc.parser]
    return parser(doc, lines)
