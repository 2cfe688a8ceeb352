"""The speech: the plan's six main moves, and its other lists kept as text."""

from helsegraf.records import ItemKind
from tests.conftest import SPEECH


def test_six_main_moves(parsed):
    doc = parsed[SPEECH]
    moves = [i for i in doc.items if i.kind is ItemKind.MAIN_MOVE]
    assert [m.text for m in moves] == [
        "En endring av finansieringen av sykehusene",
        "Arbeid for forenkling og tydeliggjøring av regelverk",
        "Ny digitaliseringsstrategi",
        "Nye organiseringsformer",
        "Tiltak for å rekruttere og beholde fagfolk",
        "Og tiltak mot en mer tilgjengelig og fremtidsrettet allmennlegetjeneste.",
    ]
    assert moves[0].key == "hovedgrep/1" and moves[0].locator == "Hovedgrep, punkt 1"


def test_other_lists_of_pledges_are_measures_too(parsed):
    doc = parsed[SPEECH]
    pledges = [i for i in doc.items if i.kind is ItemKind.SPEECH_PLEDGE]
    assert [i.text for i in pledges[:3]] == ["Forebygge der vi kan", "Øke helsekompetansen i befolkninga, og",
                                             "Styrke arbeidsretta rehabilitering"]
    assert pledges[3].text.startswith("Kvinner skal oppleve sammenhengende, trygge og helhetlige tilbud")
    assert len(pledges) == 6 and all(i.kind.is_measure for i in pledges)
    groups = {g.key: g.text for g in doc.groups}
    assert groups == {"hovedgrep/innledning": "Vi presenterer:", "liste-2/innledning": "Det handler om tre spor:",
                      "liste-3/innledning": "Det er tre ting vi skal oppnå:"}
    assert {i.group for i in pledges} == {"liste-2/innledning", "liste-3/innledning"}
    assert not [i for i in doc.items if i.kind is ItemKind.TEXT_ITEM]


def test_a_list_of_examples_is_kept_as_text(manifest):
    from helsegraf.parse import speech

    doc = next(d for d in manifest.documents if d.slug == SPEECH)
    lines = ["Tittel", "", "Regjeringa presenterer fem hovedgrep. Vi presenterer:", "", " • Ett,", " • To", "",
             "Vi skal gjøre mye, for eksempel:", "", " • Dette", " • Hint", "", "Det handler om to spor:", "",
             " • Forebygge", " • Behandle"]
    kinds = [(i.key, i.kind) for i in speech.parse(doc, lines).items]
    assert kinds == [("hovedgrep/1", ItemKind.MAIN_MOVE), ("hovedgrep/2", ItemKind.MAIN_MOVE),
                     ("liste-2/1", ItemKind.TEXT_ITEM), ("liste-2/2", ItemKind.TEXT_ITEM),
                     ("liste-3/1", ItemKind.SPEECH_PLEDGE), ("liste-3/2", ItemKind.SPEECH_PLEDGE)]


def test_parts_without_headings_are_named_by_how_they_open(parsed):
    parts = {p.key: p.title for p in parsed[SPEECH].parts}
    assert parts["del-1"] == "Del 1: Kjære alle sammen!"  # the speech's title lines are skipped
    assert parts["del-3"] == "Del 3: Vi vil forenkle og tydeliggjøre regelverk."
    assert parts["del-2"].endswith(" …") and len(parts["del-2"]) < 90
