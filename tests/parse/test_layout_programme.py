"""Programmes parsed from their PDF layout, measured against the hand-labelled commitments in
tests/fixtures/programmes/ (labelled from the PDF pages before the parser ran on them)."""

import tomllib
import unicodedata
from types import SimpleNamespace

import pytest

from helsegraf.layout.pdf import read_pdf, select
from helsegraf.parse.layout_programme import parse_layout
from tests.repo import ROOT, SOURCES
from helsegraf.records import ItemKind

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "programmes").glob("*.toml"))


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module", params=FIXTURES, ids=lambda p: p.stem)
def labelled(request):
    gold = tomllib.loads(request.param.read_text(encoding="utf-8"))
    doc = SimpleNamespace(slug=gold["document"], short_title=gold["document"])
    pdf = SOURCES / "pdf" / f"{gold['document']}.pdf"
    pages = select(read_pdf(pdf, gold["pages"]), pdf, gold.get("start"), gold.get("stop"))
    parsed, coverage = parse_layout(doc, pages)
    return gold, parsed, coverage


def test_the_labels_are_what_they_say(labelled):
    gold, _, _ = labelled
    assert gold["count"] == len(gold["commitment"])


def test_recall_and_precision_of_commitments(labelled):
    gold, parsed, _ = labelled
    want = [norm(c["text"]) for c in gold["commitment"]]
    got = [norm(it.text) for it in parsed.items if it.kind is ItemKind.COMMITMENT]
    found = sum(1 for t in want if t in got)
    right = sum(1 for t in got if t in want)
    assert found / len(want) >= 0.97, [t for t in want if t not in got]
    assert right / len(got) >= 0.99, [t for t in got if t not in want]


def matched(gold, parsed):
    """Each labelled commitment with the extracted one it matches, in reading order (a programme may say the
    same thing in two sections)."""
    extracted = [it for it in parsed.items if it.kind is ItemKind.COMMITMENT]
    used: set[int] = set()
    for c in gold["commitment"]:
        k = next((k for k, it in enumerate(extracted) if k not in used and norm(it.text) == norm(c["text"])), None)
        if k is not None:
            used.add(k)
        yield c, (extracted[k] if k is not None else None)


def test_section_and_page_of_each_commitment(labelled):
    gold, parsed, _ = labelled
    titles = {p.key: " ".join(x for x in (p.number, p.title) if x) for p in parsed.parts}
    wrong = [(c["text"][:60], c["section"], titles.get(it.part), c["page"], it.span.pdf_page)
             for c, it in matched(gold, parsed)
             if it is not None and (titles.get(it.part) != c["section"] or it.span.pdf_page != c["page"])]
    assert wrong == []


def test_coverage_accounts_for_every_marker(labelled):
    _, parsed, coverage = labelled
    assert coverage.markers == coverage.items == len(parsed.items)
    assert coverage.commitments + coverage.text_items == coverage.items
    assert coverage.lead_ins >= 1


def test_a_lead_in_with_no_list_after_it_is_reported():
    """A list whose markers the rules do not know leaves its lead-in alone: the coverage says so."""
    from helsegraf.layout.pdf import Line, Page
    from helsegraf.parse.layout_programme import parse_layout

    def line(y, text, x=50.0):
        return Line(1, x, y, x + 300, y + 12, 12.0, False, text)

    page = Page(1, 600, 800, [line(100, "Partiet vil:"), line(114, "☛ Gjøre noe med markører ingen kjenner."),
                              line(150, "Partiet vil:"), line(164, "• Gjøre noe annet.")])
    parsed, coverage = parse_layout(SimpleNamespace(slug="x", short_title="x"), [page])
    assert coverage.commitments == 1 and [it.text for it in parsed.items] == ["Gjøre noe annet."]
    assert coverage.lead_ins_without_items == ["line 1: Partiet vil:"]
