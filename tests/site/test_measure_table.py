"""The table of all measures (tiltak.html) and its CSV (tiltak.csv): every measure the parsers find is a row, once,
with what it names; the filters' options count the rows they keep; the page holds every row so it works from disk."""

import csv
import html
import io
import re

from helsegraf.site.measure_table import COLUMNS, MULTI


def _csv(built) -> list[dict]:
    text = (built.out / "site" / "tiltak.csv").read_bytes().decode("utf-8")
    assert text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_every_measure_is_one_row(built, parsed, measure_count):
    rows = _csv(built)
    assert len(rows) == measure_count
    assert len({r["iri"] for r in rows}) == len(rows)
    assert list(rows[0]) == [c for c, _ in COLUMNS]
    keys = {f"{slug}/{m.key}" for slug, p in parsed.items() for m in p.measures}
    assert {r["iri"].split("/id/", 1)[1] for r in rows} == keys


def test_rows_carry_what_the_measure_names(built):
    rows = {r["iri"].split("/id/", 1)[1]: r for r in _csv(built)}
    first = rows["meld-st-9-2023-2024/boks-3.1/1"]
    assert first["dokument"].startswith("Meld. St. 9")
    assert first["del"] == "Boks 3.1 Regjeringen vil" and first["punkt"] == "Boks 3.1, punkt 1"
    assert "Helsedirektoratet" in first["aktorer"].split(MULTI)
    assert first["tiltak"].startswith("be Helsedirektoratet utrede")


def test_a_restated_measure_points_to_its_original_row(built):
    rows = _csv(built)
    iris = {r["iri"] for r in rows}
    restated = [r for r in rows if r["gjentar"]]
    assert restated and all(r["gjentar"] in iris and r["gjentar"] != r["iri"] for r in restated)


def test_the_page_holds_every_row_and_filters_that_count_them(built):
    page = (built.out / "site" / "tiltak.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-iri="([^"]+)" data-f="([^"]*)"', page)
    assert [iri for iri, _ in rows] == [r["iri"] for r in _csv(built)]
    tokens = [set(html.unescape(f).split()) for _, f in rows]
    options = re.findall(r'<option value="([^"]+)">[^<]*\((\d+)\)</option>', page)
    assert len(options) > 50
    for token, count in options:
        token = html.unescape(token)
        assert sum(token in t for t in tokens) == int(count), token


def test_a_broader_patient_group_keeps_the_measures_for_its_narrower_ones(built):
    """Regression (#13): the white paper's measures for frail elderly were not found under "Eldre"."""
    page = (built.out / "site" / "tiltak.html").read_text(encoding="utf-8")
    rows = [(iri, set(html.unescape(f).split())) for iri, f in re.findall(r'<tr data-iri="([^"]+)" data-f="([^"]*)"', page)]
    eldre = next(t for _, ts in rows for t in ts if t.endswith("/pasientgruppe/eldre"))
    frail = next(t for _, ts in rows for t in ts if "skropel" in t and t.startswith("patient_group="))
    assert all(eldre in ts for _, ts in rows if frail in ts)
    assert any(eldre in ts and "meld-st-9" in iri for iri, ts in rows)
