"""The PDF layout layer on the real programmes (sources/pdf/): lines in reading order, with their page, column,
size and weight, and page furniture taken out with its reason."""

from pathlib import Path

import pytest

from helsegraf.errors import InputError
from helsegraf.layout.pdf import read_pdf
from tests.repo import SOURCES

PDF = SOURCES / "pdf"


def texts(pages):
    return [ln.text for p in pages for ln in p.text_lines()]


def test_margin_line_numbers_are_taken_out_and_kept_aside():
    pages = read_pdf(PDF / "arbeiderpartiet-2025-2029.pdf", "44")
    lines = pages[0].text_lines()
    assert not any(ln.text[:4].isdigit() for ln in lines), [ln.text for ln in lines if ln.text[:4].isdigit()]
    lead = next(ln for ln in lines if ln.text == "Arbeiderpartiet vil:")
    assert lead.bold and lead.line_number == 1670
    assert any(ln.text.startswith("• gjøre hverdagen som pårørende bedre") for ln in lines)
    assert {ln.removed for ln in pages[0].removed} == {"line number", "page number"}


def test_the_printed_page_number_is_read_and_taken_out():
    pages = read_pdf(PDF / "krf-2025-2029.pdf", "28-30")
    assert [p.printed for p in pages] == ["27", "28", "29"]
    assert not any(t in ("27", "28", "29") for t in texts(pages))


@pytest.mark.parametrize("pdf, pages, furniture", [
    ("fremskrittspartiet-2025-2029.pdf", "63-65", "Program 2025-2029"),
    ("mdg-2025-2029.pdf", "34-36", "Arbeidsprogram for MDG 2025–2029"),
    ("sv-2025-2029-forslag.pdf", "24-26", "post@sv.no | sv.no"),
])
def test_running_headers_and_footers_are_taken_out(pdf, pages, furniture):
    read = read_pdf(PDF / pdf, pages)
    assert furniture not in texts(read)
    assert all(any(ln.text == furniture and ln.removed in ("header", "footer") for ln in p.removed) for p in read)


def test_two_columns_are_read_one_after_the_other():
    page = read_pdf(PDF / "venstre-2025-2029.pdf", "29")[0]
    lines = page.text_lines()
    assert {ln.column for ln in lines} == {0, 1}
    columns = [ln.column for ln in lines]
    assert columns == sorted(columns)  # the whole left column, then the right
    leads = [i for i, ln in enumerate(lines) if ln.text == "Venstre vil:"]
    assert len(leads) == 2 and all(lines[i].bold for i in leads)
    assert lines[leads[0] + 1].text.startswith("• Finansiere mer forskning på forebygging")
    assert lines[leads[1] + 1].text.startswith("• Satse mer på kvalifisering")  # its glyph for a space is U+0001


def test_a_hyphen_at_a_line_end_is_kept_with_its_line():
    lines = texts(read_pdf(PDF / "venstre-2025-2029.pdf", "29"))
    assert any(t.endswith("lønns-") for t in lines)  # "lønns- og arbeidsvilkår": de-hyphenation decides later


def test_headings_are_larger_than_text():
    lines = read_pdf(PDF / "venstre-2025-2029.pdf", "28")[0].text_lines()
    heading = next(ln for ln in lines if ln.text == "4 Helse og omsorg")
    body = next(ln for ln in lines if ln.text.startswith("Venstre vil ha en sterk offentlig helsetjeneste"))
    assert heading.size > body.size * 1.5 and heading.bold and not body.bold


@pytest.mark.parametrize("spec", ["0-3", "5-2", "x", "60-70"])
def test_a_bad_page_range_names_the_file(spec):
    with pytest.raises(InputError) as e:
        read_pdf(PDF / "sv-2025-2029-forslag.pdf" if spec != "60-70" else PDF / "venstre-2025-2029.pdf", spec)
    assert ".pdf" in str(e.value) and "pages" in str(e.value)


def test_a_file_that_is_not_a_pdf_is_an_input_error(tmp_path: Path):
    bad = tmp_path / "not.pdf"
    bad.write_text("no PDF here")
    with pytest.raises(InputError, match="not a readable PDF"):
        read_pdf(bad)
