"""The search page's own index (sok-indeks.js): every page Pagefind indexes is in it with its type, document and
identifiers, so that an exact identifier finds its resource and results can be filtered, from a server or from disk."""

import json

import pytest

from helsegraf.site.search_entries import TYPES, normal


@pytest.mark.parametrize("a, b", [("NOU 2020: 13", "nou-2020-13"), ("NOU 2020:13", "NOU 2020: 13"),
                                  ("LOV-1999-07-02-64", "lov 1999 07 02 64"), ("Meld. St. 9 (2023–2024)", "meld st 9 2023 2024")])
def test_identifiers_compare_by_letters_and_digits(a, b):
    assert normal(a) == normal(b)


def test_different_identifiers_stay_different():
    assert normal("NOU 2020: 13") != normal("NOU 2020: 1")
    assert normal("Ø") != normal("O")


def _index(built) -> dict:
    text = (built.out / "site" / "sok-indeks.js").read_text(encoding="utf-8")
    prefix = "window.helsegrafSok = "
    assert text.startswith(prefix) and text.endswith(";\n") and "<" not in text
    return json.loads(text[len(prefix):-2])


def test_every_searchable_page_is_in_the_index(built):
    site = built.out / "site"
    index = _index(built)
    paths = {e[0] for e in index["entries"]}
    searchable = {str(p.relative_to(site)) for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")}
    assert searchable <= paths and all((site / p).is_file() for p in paths)
    assert {e[2] for e in index["entries"]} == {k for k, _ in TYPES}
    assert {e[3] for e in index["entries"]} - {""} == set(index["documents"])


def test_laws_reports_and_actors_carry_their_identifiers(built):
    by_path = {e[0]: e for e in _index(built)["entries"]}
    assert "LOV-1999-07-02-64" in by_path["id/lov/helsepersonelloven.html"][4].split(" | ")
    assert "NOU 2020: 13" in by_path["id/rapport/nou-2020-13.html"][4].split(" | ")
    assert "971032146" in by_path["id/aktor/ks.html"][4].split(" | ")  # from its adms:Identifier
    measure = by_path["id/meld-st-9-2023-2024/boks-3.1/1.html"]
    assert measure[2] == "measure" and measure[3] == "meld-st-9-2023-2024"
    assert measure[1].startswith("Boks 3.1, punkt 1: be Helsedirektoratet utrede")
