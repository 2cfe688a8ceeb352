"""The query library: every .rq has a header whose columns match its SELECT, and answers with known content."""

import re

import pytest

from helsegraf.errors import InputError
from helsegraf.queries import format_results, library_queries, load_query, run_local

QUERIES = library_queries()


def select_vars(text: str) -> list[str]:
    body = re.sub(r"^#.*$", "", text, flags=re.M)
    m = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\s+WHERE", body, re.S | re.I)
    names = []
    for alias in re.finditer(r"\(.*?AS\s+\?(\w+)\)|\?(\w+)", m.group(1)):
        names.append(alias.group(1) or alias.group(2))
    return names


@pytest.mark.parametrize("q", QUERIES, ids=[q.name for q in QUERIES])
def test_header_documents_the_query(q):
    for key in ("title", "nb", "en", "columns"):
        assert q.header.get(key), f"{q.path} lacks '# {key}:'"
    assert q.columns == select_vars(q.text)


def test_contract_queries_exist_with_their_columns():
    assert load_query("measures").columns == ["measure", "document", "locator", "text"]
    assert load_query("documents").columns == ["document", "title", "date", "genre"]


@pytest.fixture(scope="module")
def store(built):
    return built.out / "store"


def rows(store, name):
    res = run_local(load_query(name), store)
    return [{k: v["value"] for k, v in r.items()} for r in res.rows]


def test_measures_query(store):
    r = rows(store, "measures")
    assert len(r) == 458
    first_wp = next(x for x in r if x["document"].endswith("/meld-st-9-2023-2024"))
    assert first_wp["locator"] == "Avsnitt 2.3.5, punkt 1"
    assert any(x["text"] == "gjennomføre tillitsreformen" and x["locator"] == "Boks 8.1, punkt 3" for x in r)


def test_documents_query(store):
    r = rows(store, "documents")
    assert [x["date"] for x in r] == ["2017-02-08", "2021-10", "2023", "2024-03-01", "2024-03-01"]
    assert r[3]["title"].startswith("Meld. St. 9 (2023–2024)")
    assert r[3]["genre"].endswith("/sjanger/stortingsmelding")


def test_measures_per_part(store):
    r = rows(store, "measures-per-part")
    box51 = next(x for x in r if x["part"].endswith("/boks-5.1"))
    assert box51["measures"] == "33" and box51["title"] == "Regjeringen vil"


def test_measures_mentioning(store):
    r = rows(store, "measures-mentioning")
    assert {x["locator"] for x in r} >= {"Boks 3.1, punkt 1", "Boks 3.1, punkt 2", "Boks 4.1, punkt 9", "Boks 6.1, punkt 3"}
    assert all("helsedirektoratet" in x["text"].lower() for x in r)


def test_nested_measures(store):
    r = rows(store, "nested-measures")
    assert len(r) == 4 and all(x["parent"].endswith("/boks-5.1/13") for x in r)


def test_curated_facts(store):
    r = rows(store, "curated-facts")
    assert {(x["document"].rsplit("/", 1)[1], x["property"].rsplit("/", 1)[1]) for x in r} == {
        ("tale-nhsp-2024", "issued"), ("tale-nhsp-2024", "publisher"),
        ("hurdalsplattformen-2021-helse", "issued"), ("hurdalsplattformen-2021-helse", "publisher"),
        ("hurdalsplattformen-2021-helse", "title"),
        ("ap-var-felles-helsetjeneste-2023", "issued"), ("ap-var-felles-helsetjeneste-2023", "publisher")}
    assert {x["source"] for x in r} == {"sources/texts/SEEDS-README.md"}


def test_measures_on_page(store):
    r = rows(store, "measures-on-page")
    first_box = next(x for x in r if x["locator"] == "Boks 3.1, punkt 1")
    assert (first_box["page"], first_box["startLine"], first_box["endLine"]) == ("22", "1633", "1637")
    assert first_box["status"].endswith("#PageInferred")


def test_formats(store):
    res = run_local(load_query("documents"), store)
    csv_text = format_results(res, "csv")
    assert csv_text.splitlines()[0] == "document,title,date,genre"
    assert format_results(res, "json").startswith('{\n  "head": {\n    "vars": [')
    assert "(5 rows)" in format_results(res, "table")


def test_bad_query_file_names_file_and_line(tmp_path, store):
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: x\nSELECT ?x WHERE {\n  ?x ?y \n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        run_local(load_query(str(bad)), store)
    assert e.value.path == bad and "SPARQL syntax error" in str(e.value)
