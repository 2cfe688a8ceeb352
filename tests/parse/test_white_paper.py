"""Meld. St. 9: every measure of every "Regjeringen vil" box, with structure, pages and clean text.

The expected counts and texts were checked by hand against sources/texts/003_6bc2f8ff33798407.txt.
"""

from collections import Counter

import pytest

from helsegraf.records import ItemKind, PageStatus
from tests.conftest import WHITE_PAPER


@pytest.fixture(scope="module")
def wp(parsed):
    return parsed[WHITE_PAPER]


def by_locator(wp, locator):
    [item] = [i for i in wp.items if i.locator == locator]
    return item


def test_measures_per_box(wp):
    boxes = Counter(i.part for i in wp.items if i.kind is ItemKind.BOX_MEASURE)
    assert boxes == {
        "boks-3.1": 23, "boks-4.1": 14, "boks-5.1": 33, "boks-6.1": 16,
        "boks-7.1": 14, "boks-8.1": 14, "boks-9.1": 6,
    }


def test_every_box_of_chapters_3_to_9_is_found(wp):
    measure_boxes = sorted({i.part for i in wp.items if i.kind is ItemKind.BOX_MEASURE})
    assert measure_boxes == [f"boks-{n}.1" for n in range(3, 10)]


def test_box_continued_after_page_break_keeps_numbering(wp):
    # Boks 5.1 continues on the next page ("Boks 5.1 forts."): items 10.. follow on without restarting.
    item = by_locator(wp, "Boks 5.1, punkt 10")
    assert item.text.startswith("Understøtte helse- og omsorgstjenestenes arbeid for hensiktsmessig oppgavedeling")
    assert item.span.start == 6708


def test_box_interrupted_by_body_text_continues(wp):
    # Boks 7.1 is interrupted by running text and resumes at "Boks 7.1 forts." about 90 lines later.
    assert by_locator(wp, "Boks 7.1, punkt 11").span.end == 10627
    item12 = by_locator(wp, "Boks 7.1, punkt 12")
    assert item12.text == "Øke forskningen om gravide med minoritetsbakgrunn gjennom Nasjonalt forskningssenter for kvinnehelse."
    assert item12.span.start == 10722
    assert "koronapandemien" not in " ".join(i.text for i in wp.items if i.part == "boks-7.1")


def test_nested_items_under_ved_aa(wp):
    parent = by_locator(wp, "Boks 5.1, punkt 13")
    assert parent.text.endswith("ved å:")
    children = [i for i in wp.items if i.parent == parent.key]
    assert [c.number for c in children] == ["13.1", "13.2", "13.3", "13.4"]
    assert children[0].text == "vurdere tiltak for å rekruttere og beholde lærlinger i kommunene"
    after = by_locator(wp, "Boks 5.1, punkt 14")
    assert after.parent is None and after.text.startswith("Gi de regionale helseforetakene i oppdrag å sørge for")


def test_lead_in_sentences_group_the_items(wp):
    groups = {g.key: g.text for g in wp.groups if g.part == "boks-3.1"}
    assert groups["boks-3.1/innledning-1"] == (
        "Regjeringen vil forsterke den forebyggende innsatsen i helse- og omsorgstjenesten gjennom å")
    assert groups["boks-3.1/innledning-4"] == "Regjeringen vil fremme kvinners helse gjennom å"
    assert len(groups) == 4
    assert by_locator(wp, "Boks 3.1, punkt 13").group == "boks-3.1/innledning-3"
    box_51 = [g for g in wp.groups if g.part == "boks-5.1"]
    assert len(box_51) == 3 and box_51[2].text.endswith("gjennom følgende tiltak:")


@pytest.mark.parametrize(
    "locator, text",
    [
        ("Boks 3.1, punkt 1", "be Helsedirektoratet utrede hvordan omstilling til en mer forebyggende helse- og "
                              "omsorgstjeneste systematisk kan støttes og evalueres"),
        ("Boks 3.1, punkt 19", "legge fram en egen strategi for kvinnehelse i 2024"),
        ("Boks 4.1, punkt 1", "legge til rette for en framtidsrettet og bærekraftig allmennlegetjeneste gjennom å "
                              "endre kompetanse- og spesialistutdanningskrav, redusere fastlegenes oppgaver og å fremme "
                              "en lovproposisjon med meldingsdel våren 2025 med regjeringens samlede løsninger for "
                              "allmennlegetjenestene"),
        ("Boks 5.1, punkt 1", "Stille krav om at personellkonsekvenser skal utredes som del av beslutningsgrunnlaget "
                              "for alle tiltak innenfor Helse- og omsorgsdepartementets sektoransvar"),
        ("Boks 5.1, punkt 22", "Øke kapasiteten i LIS1-utdanningen ved å åpne for at tjenesten kan opprette egne "
                               "stillinger i tillegg til de som er nasjonalt fastsatt"),
        ("Boks 6.1, punkt 13", "Bedre bruk av nasjonale kompetansetjenester, -sentre og -nettverk"),
        ("Boks 8.1, punkt 3", "gjennomføre tillitsreformen"),
        ("Boks 9.1, punkt 6", "legge til rette for finansieringsmodeller som bidrar til en bærekraftig forvaltning og "
                              "drift av de nasjonale e-helseløsningene, og forutsigbar videreutvikling som gir størst "
                              "mulig nytte og insentiver til å ta ut gevinster"),
    ],
)
def test_exact_item_text(wp, locator, text):
    assert by_locator(wp, locator).text == text


def test_item_wrapped_over_a_blank_line_is_one_item(wp):
    item = by_locator(wp, "Boks 4.1, punkt 7")
    assert item.text.endswith("Midlene skal brukes etter enighet mellom helseforetak og aktuelle kommuner")
    assert (item.span.start, item.span.end) == (3703, 3711)


def test_announced_measures_outside_boxes(wp):
    announced = [i for i in wp.items if i.kind is ItemKind.ANNOUNCED_MEASURE]
    assert Counter(i.part for i in announced) == {"avsnitt-2.3.5": 12, "avsnitt-10.2.4": 4}
    assert announced[0].text.startswith("gjennomgå helseforskningsloven og annet regelverk")
    # continued after a page break that starts with a dash
    assert by_locator(wp, "Avsnitt 10.2.4, punkt 2").text.startswith("Gjenbruke, eller ved behov utvikle, nye indikatorer")


def test_goal_and_summary_lists_are_not_measures(wp):
    texts = " ".join(i.text for i in wp.items)
    assert "Redusert andel i befolkningen med lav helsekompetanse" not in texts  # 10.1: goals
    assert "understøtte arbeidet med å fremme godt arbeidsmiljø" not in texts  # kap. 5: summary of the box
    assert "Levende lokalsamfunn" not in texts  # chapter 1: areas of another white paper


def test_pages_stated_and_inferred(wp):
    # Page 65 keeps its running header; a measure on it would be stated. Boks 3.1 is counted from headers.
    item = by_locator(wp, "Boks 3.1, punkt 1")
    assert item.span.page_status is PageStatus.INFERRED
    assert item.span.page == 22
    assert by_locator(wp, "Boks 9.1, punkt 1").span.page == 137
    assert by_locator(wp, "Boks 5.1, punkt 10").span.page == by_locator(wp, "Boks 5.1, punkt 9").span.page + 1


def test_reading_order_is_source_order(wp):
    starts = [i.span.start for i in wp.items]
    assert starts == sorted(starts)
    assert [i.order for i in wp.items] == list(range(1, len(wp.items) + 1))


def test_no_text_carries_extraction_artefacts(wp):
    for i in wp.items:
        assert "\n" not in i.text and "  " not in i.text
        assert "Meld. St. 9 2023–2024" not in i.text and not i.text.startswith("–")


def test_keys_are_unique_and_readable(wp):
    keys = [i.key for i in wp.items]
    assert len(keys) == len(set(keys))
    assert "boks-5.1/13.2" in keys and "avsnitt-2.3.5/1" in keys
