"""The white paper's outline: chapters, sections and boxes, with references in running text rejected."""

from collections import Counter

import pytest

from helsegraf.parse.outline import OutlineTracker
from tests.conftest import WHITE_PAPER


@pytest.fixture(scope="module")
def parts(parsed):
    return {p.key: p for p in parsed[WHITE_PAPER].parts}


def test_ten_chapters_with_titles(parts):
    chapters = [p for p in parts.values() if p.kind == "chapter"]
    assert [p.number for p in chapters] == [str(n) for n in range(1, 11)]
    assert parts["kap-3"].title == "En helse- og omsorgstjeneste som fremmer forebygging og mestring"
    assert parts["kap-7"].title.startswith("En sammenhengende, trygg og helhetlig svangerskaps-,")


def test_sections_dehyphenated_and_nested(parts):
    assert parts["avsnitt-3.1"].title == "En forebyggende helse- og omsorgstjeneste"
    assert parts["avsnitt-8.1"].title == "Den økonomiske situasjonen i kommuner og regionale helseforetak"
    assert parts["avsnitt-3.1.1"].parent == "avsnitt-3.1"
    assert parts["avsnitt-3.1"].parent == "kap-3"


def test_boxes(parts):
    assert parts["boks-3.1"].title == "Regjeringen vil"
    assert parts["boks-3.13"].title == ("Retningslinje for oppfølging og overgang for ungdom med kronisk eller "
                                        "langvarig sykdom/tilstand ved Sykehuset Telemark")
    assert parts["boks-3.9"].title == "Faglig samarbeidsutvalg om rehabilitering og voksenhabilitering"
    counts = Counter(p.number.split(".")[0] for p in parts.values() if p.kind == "box")
    assert counts["3"] == 14 and counts["4"] == 17


def test_numbers_in_running_text_are_not_headings():
    lines = ["", "1  Kapittel", "", "Tekst.", "", "4.1.1. Samlet vil disse endringene", "", "1.1 Ekte avsnitt", "",
             "Boks 1.2 viser hvordan det gjøres", "", "Boks 1.1 Ekte boks", "", "Boks 1.2 viser at det går an å skrive",
             "en lang setning som fortsetter", "over flere linjer", "og enda en", ""]
    t = OutlineTracker(lines)
    found = [h for i in range(len(lines)) if (h := t.heading_at(lines, i))]
    assert [(h.kind, h.number) for h in found] == [("chapter", "1"), ("section", "1.1"), ("box", "1.1")]


def headings(lines, **kw):
    t = OutlineTracker(lines, **kw)
    return [(h.kind, h.number, h.title) for i in range(len(lines)) if (h := t.heading_at(lines, i))]


def test_one_space_chapter_heading_is_told_from_footnotes_numbered_alike():
    # Chapter 1's footnotes reach 2 and 3 before chapter 2 begins; chapter 2's own footnote 2 stands after 2.1.
    lines = ["1 Innledning", "", "1.1 Bakgrunn", "", "Tekst¹.", "", "2 Statistisk sentralbyrå (2017): Tall",
             "3 NOU 2023: 4 Tid for handling", "", " 2 Styring og finansiering", "", "Tekst.", "", "2.1 Økonomi", "",
             "Tekst.", "", "1 Meld. St. 5 (2022–2023)", "2 Helsedirektoratet (2021) Styringsdata", ""]
    assert [h[:2] for h in headings(lines)] == [("chapter", "1"), ("section", "1.1"), ("chapter", "2"),
                                                ("section", "2.1")]


def test_running_header_directly_above_a_chapter_heading():
    lines = ["1  Innledning", "", "Tekst.", "46 Meld. St. 9 2023–2024", "2  Styring", "", "2.1 Økonomi"]
    found = headings(lines, is_furniture=lambda line: line.startswith("46 Meld."))
    assert [h[:2] for h in found] == [("chapter", "1"), ("chapter", "2"), ("section", "2.1")]


def test_box_title_wrapped_without_trailing_space_goes_on_in_lower_case():
    lines = ["1  Innledning", "", "Boks 1.3 Regjeringen", "vil", "– gjøre noe", ""]
    assert headings(lines)[1] == ("box", "1.3", "Regjeringen vil")


def test_body_text_after_a_box_title_is_not_title():
    lines = ["1  Innledning", "", "Boks 1.1 Regjeringen vil", "Regjeringen vil styrke arbeidet"]
    assert headings(lines)[1] == ("box", "1.1", "Regjeringen vil")
