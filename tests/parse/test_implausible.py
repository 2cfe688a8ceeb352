"""A PDF programme whose lead-ins mostly have no list after them (markers the rules do not know) fails its build,
naming the lead-ins; `implausible_ok` accepts it."""

import dataclasses
import hashlib

import pytest

from helsegraf.errors import InputError
from helsegraf.parse import parse_document
from helsegraf.sources import SourceDoc


def programme_pdf(path, sections):
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=(595.0, 842.0), invariant=1)
    y = 60.0
    for title, marker in sections:
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(55, 842 - y, title)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(55, 842 - (y + 25), "Partiet vil:")
        for k in range(3):
            canvas.drawString(65, 842 - (y + 40 + 13 * k), f"{marker} gjøre tiltak nummer {k + 1} for {title.lower()}")
        y += 110
    canvas.showPage()
    canvas.save()


@pytest.fixture
def doc(tmp_path):
    pdf = tmp_path / "program.pdf"
    # One section with a marker the rules know, three with one they do not.
    programme_pdf(pdf, [("Helse", "•"), ("Eldre", "»"), ("Rus", "»"), ("Psykisk helse", "»")])
    return SourceDoc(slug="partiet-helse", path=pdf, sha256=hashlib.sha256(pdf.read_bytes()).hexdigest(),
                     parser="programme", title="Program", short_title="Program", genre="partiprogram",
                     issuer="arbeiderpartiet", date="2025", curated=())


def test_most_lead_ins_without_a_list_fail_the_document(doc):
    with pytest.raises(InputError, match=r"3 of 4 lead-ins have no list after them.*Partiet vil:"):
        parse_document(doc)


def test_implausible_ok_accepts_it(doc):
    parsed = parse_document(dataclasses.replace(doc, implausible_ok=True))
    assert len(parsed.measures) == 3
    assert len(parsed.coverage["lead_ins_without_items"]) == 3
