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


def test_other_lists_are_text_items(parsed):
    doc = parsed[SPEECH]
    others = [i for i in doc.items if i.kind is ItemKind.TEXT_ITEM]
    assert [i.text for i in others[:3]] == ["Forebygge der vi kan", "Øke helsekompetansen i befolkninga, og",
                                            "Styrke arbeidsretta rehabilitering"]
    assert len(others) == 6
    assert {g.text for g in doc.groups} == {"Vi presenterer:", "Det handler om tre spor:", "Det er tre ting vi skal oppnå:"}


def test_parts_without_headings_are_named_by_how_they_open(parsed):
    parts = {p.key: p.title for p in parsed[SPEECH].parts}
    assert parts["del-1"] == "Del 1: Kjære alle sammen!"  # the speech's title lines are skipped
    assert parts["del-3"] == "Del 3: Vi vil forenkle og tydeliggjøre regelverk."
    assert parts["del-2"].endswith(" …") and len(parts["del-2"]) < 90
