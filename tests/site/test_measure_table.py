"""The table of all measures (tiltak.html) and its CSV (tiltak.csv): every measure the parsers find is a row, once,
with what it names; the filters' options count the rows they keep; the page holds every row so it works from disk,
up to a size a browser shows, and past it a page per document holds them."""

import csv
import html
import io
import re

from helsegraf.site import measure_table
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


def test_the_corpus_fits_one_table_page(built):
    assert len(_csv(built)) <= measure_table.ROWS_PER_PAGE
    assert not (built.out / "site" / "tiltak").exists()


def _tables(site) -> list[tuple[str, str]]:
    """The tables tiltak.html lists: (path, count)."""
    return re.findall(r'<td><a href="(tiltak/[^"]+\.html)">[^<]+</a></td><td>(\d+)</td>',
                      (site / "tiltak.html").read_text(encoding="utf-8"))


def test_more_measures_than_a_page_holds_make_a_table_per_document(small_pages_site):
    """At 64x every measure in one page was 45.5 MB: over ROWS_PER_PAGE rows, tiltak.html lists a table per
    document, each holding that document's rows as the one table would, with filters that count them; the CSV
    keeps every row."""
    site, listed = small_pages_site, _tables(small_pages_site)
    every = [r["iri"] for r in list(csv.DictReader(io.StringIO((site / "tiltak.csv").read_text(encoding="utf-8"))))]
    assert len(every) > 10
    assert "<tr data-iri=" not in (site / "tiltak.html").read_text(encoding="utf-8")
    assert len(listed) == 5  # the corpus's documents, each with measures
    seen = []
    for path, count in listed:
        page = (site / path).read_text(encoding="utf-8")
        rows = re.findall(r'<tr data-iri="([^"]+)" data-f="([^"]*)"', page)
        assert len(rows) == int(count) and len({iri.rsplit("/id/", 1)[1].split("/")[0] for iri, _ in rows}) == 1
        tokens = [set(html.unescape(f).split()) for _, f in rows]
        for token, n in re.findall(r'<option value="([^"]+)">[^<]*\((\d+)\)</option>', page):
            assert sum(html.unescape(token) in t for t in tokens) == int(n), token
        assert 'href="../tiltak.html"' in page  # back to the list
        seen += [iri for iri, _ in rows]
        assert (site / "en" / path).is_file()
    assert seen == every  # every row once, in the one table's order
