"""A white paper that arrives as a PDF goes in with a manifest entry alone: the seed's first three chapters printed
back to a PDF (tests/parse/white_paper_pdf.py: two columns, running headers, bold headings, one space after the
chapter numbers as PDF text has it) give the measures the text gives, with their PDF pages."""

import dataclasses
import hashlib

import pytest

from helsegraf.errors import InputError
from helsegraf.parse import parse_document, white_paper
from helsegraf.sources import read_source
from tests.conftest import WHITE_PAPER
from tests.parse.white_paper_pdf import write_pdf

LAST_LINE = 3647  # the end of chapter 3, Boks 3.1 included


@pytest.fixture(scope="module")
def seed(manifest):
    doc = next(d for d in manifest.documents if d.slug == WHITE_PAPER)
    return doc, read_source(doc)


@pytest.fixture(scope="module")
def pdf_doc(seed, tmp_path_factory):
    doc, lines = seed
    pdf = tmp_path_factory.mktemp("wp") / "meld-st-9-kap-1-3.pdf"
    write_pdf(lines[:LAST_LINE], pdf)
    return dataclasses.replace(doc, slug="meld-st-9-kap-1-3", path=pdf,
                               sha256=hashlib.sha256(pdf.read_bytes()).hexdigest())


def test_measures_from_the_pdf_are_the_measures_from_the_text(seed, pdf_doc):
    doc, lines = seed
    text = [(i.kind, i.part, i.number, i.text) for i in white_paper.parse(doc, lines).items if i.span.start <= LAST_LINE]
    parsed = parse_document(pdf_doc)
    assert len(text) == 35
    assert [(i.kind, i.part, i.number, i.text) for i in parsed.items] == text


def test_outline_and_pages_from_the_pdf(seed, pdf_doc):
    doc, lines = seed
    parsed = parse_document(pdf_doc)
    chapters = [p.title for p in parsed.parts if p.kind == "chapter"]
    assert chapters == [p.title for p in white_paper.parse(doc, lines).parts if p.kind == "chapter"][:3]
    box = next(p for p in parsed.parts if p.key == "boks-3.1")
    assert box.title == "Regjeringen vil" and box.span.pdf_page == 16
    assert all(i.span.pdf_page is not None and i.span.page is not None for i in parsed.items)
    first = next(i for i in parsed.items if i.part == "boks-3.1")
    assert first.span.pdf_page == 16 and first.text.startswith("be Helsedirektoratet utrede hvordan omstilling")


def test_a_white_paper_pdf_without_measures_is_an_error(pdf_doc):
    # The first two pages hold the opening of chapter 1 and no measure list.
    with pytest.raises(InputError, match="no measures found in 'meld-st-9-kap-1-3' .* white_paper parser"):
        parse_document(dataclasses.replace(pdf_doc, pages="1-2"))


def test_a_white_paper_pdf_goes_in_through_the_manifest(seed, pdf_doc, tmp_path):
    # Regression: the manifest loader refused any PDF not read by the programme parser, so a white paper PDF could
    # not be taken with a manifest entry, though the parser read it.
    from helsegraf.sources import load_manifest

    doc, _ = seed
    (tmp_path / "wp.pdf").write_bytes(pdf_doc.path.read_bytes())
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(f'''
[[document]]
slug = "meld-st-9-kap-1-3"
file = "wp.pdf"
sha256 = "{pdf_doc.sha256}"
parser = "white_paper"
title = "{doc.title}"
genre = "{doc.genre}"
issuer = "{doc.issuer}"
date = "{doc.date}"
''', encoding="utf-8")
    loaded = load_manifest(manifest).documents[0]
    assert loaded.is_pdf and loaded.parser == "white_paper"
    assert len(parse_document(loaded).measures) == 35
