"""The query library: every .rq has a header whose columns match its SELECT, and answers with known content."""

import re

import pytest

from helsegraf.errors import InputError
from pathlib import Path

from helsegraf.queries import LibraryQuery, format_results, library_queries, load_query, run_local

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
    assert load_query("traces").columns == ["a", "b", "relation", "score"]


@pytest.fixture(scope="module")
def store(built):
    return built.out / "store"


def rows(store, name):
    res = run_local(load_query(name), store)
    return [{k: v["value"] for k, v in r.items()} for r in res.rows]


def test_measures_query(store, measure_count):
    r = rows(store, "measures")
    assert len(r) == measure_count
    first_wp = next(x for x in r if x["document"].endswith("/meld-st-9-2023-2024"))
    assert first_wp["locator"] == "Avsnitt 2.3.5, punkt 1"
    assert any(x["text"] == "gjennomføre tillitsreformen" and x["locator"] == "Boks 8.1, punkt 3" for x in r)


def test_documents_query(store, manifest):
    r = rows(store, "documents")
    assert len(r) == len(manifest.documents)
    seeds = [x for x in r if not x["document"].endswith("-helse") or "hurdalsplattformen" in x["document"]]
    assert [x["date"] for x in seeds] == ["2017-02-08", "2021-10", "2023", "2024-03-01", "2024-03-01"]
    white_paper = next(x for x in r if x["document"].endswith("/meld-st-9-2023-2024"))
    assert white_paper["title"].startswith("Meld. St. 9 (2023–2024)")
    assert white_paper["genre"].endswith("/sjanger/stortingsmelding")


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
        ("ap-var-felles-helsetjeneste-2023", "issued"), ("ap-var-felles-helsetjeneste-2023", "publisher"),
        ("venstre-2025-2029-helse", "issued"), ("krf-2025-2029-helse", "issued"),
        ("arbeiderpartiet-2025-2029-helse", "issued"), ("mdg-2025-2029-helse", "issued"),
        ("fremskrittspartiet-2025-2029-helse", "issued"), ("sv-2025-2029-forslag-helse", "issued")}
    sources = {x["document"].rsplit("/", 1)[1]: x["source"] for x in r}
    assert sources["tale-nhsp-2024"] == "sources/texts/SEEDS-README.md"
    assert sources["venstre-2025-2029-helse"] == "sources/pdf/venstre-2025-2029.pdf, page 2"


def test_measures_on_page(store):
    r = rows(store, "measures-on-page")
    first_box = next(x for x in r if x["locator"] == "Boks 3.1, punkt 1")
    assert (first_box["page"], first_box["startLine"], first_box["endLine"]) == ("22", "1633", "1637")
    assert first_box["status"].endswith("#PageInferred")


def test_formats(store, manifest):
    res = run_local(load_query("documents"), store)
    csv_text = format_results(res, "csv")
    assert csv_text.splitlines()[0] == "document,title,date,genre"
    assert format_results(res, "json").startswith('{\n  "head": {\n    "vars": [')
    assert f"({len(manifest.documents)} rows)" in format_results(res, "table")


def test_bad_query_file_names_file_and_line(tmp_path, store):
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: x\nSELECT ?x WHERE {\n  ?x ?y \n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        run_local(load_query(str(bad)), store)
    assert e.value.path == bad and "SPARQL syntax error" in str(e.value)


def test_mentions_contract(store):
    assert load_query("mentions").columns == ["measure", "kind", "entity", "label"]
    r = rows(store, "mentions")
    kinds = {x["kind"] for x in r}
    assert kinds == {"actor", "law", "report", "patient_group"}
    assert {"measure": "https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-3.1/1", "kind": "actor",
            "entity": "https://w3id.org/helsegraf/id/aktor/helsedirektoratet", "label": "Helsedirektoratet"} in r


def test_measures_per_actor(store):
    r = {x["label"]: x for x in rows(store, "measures-per-actor")}
    assert r["Helsedirektoratet"]["tasks"] == "3"
    assert int(r["De regionale helseforetakene"]["tasks"]) >= 10
    assert int(r["Kommunene"]["measures"]) >= 30


def test_tasks_for_actor(store):
    r = rows(store, "tasks-for-actor")
    assert [x["locator"] for x in r] == ["Boks 3.1, punkt 1", "Boks 3.1, punkt 2", "Boks 4.1, punkt 9"]


def test_laws_to_change(store):
    r = rows(store, "laws-to-change")
    hp = [x for x in r if x["label"] == "helsepersonelloven"]
    assert {x["eli"] for x in hp} == {"https://lovdata.no/eli/lov/1999/07/02/64"}
    # Regression: section 2.3.5 restates Boks 9.1 punkt 4, and the law was listed with 3 measures where there are 2.
    assert len({x["measure"] for x in hp}) == 2
    assert not any(x["measure"].endswith("/avsnitt-2.3.5/2") for x in r)
    assert any(x["label"] == "psykisk helsevernloven" for x in r)


def test_reports_followed_up(store):
    r = rows(store, "reports-followed-up")
    assert {"report": "https://w3id.org/helsegraf/id/rapport/forenkle-og-forbedre", "label": "Forenkle og forbedre",
            "measure": "https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-4.1/13", "followsUp": "true"} in r


def test_measures_for_health_regions(store):
    r = rows(store, "measures-for-health-regions")
    assert len({x["measure"] for x in r}) >= 12
    assert all("regionale helseforetak" in x["text"].lower() or "RHF" in x["text"] or "Helse " in x["text"] for x in r)


def test_measures_for_patient_group(store):
    r = rows(store, "measures-for-patient-group")
    groups = {x["group"].rsplit("/", 1)[1] for x in r}
    assert {"barn-og-unge", "barn", "kvinner-i-svangerskap-fodsel-og-barseltid"} <= groups


def test_mention_provenance(store):
    r = rows(store, "mention-provenance")
    assert r[0]["startLine"] == "618" and r[0]["surface"] == "Sykehusutvalget"
    assert all(x["surface"].startswith("Sykehusutvalg") for x in r)


def test_measures_of_chapter(store):
    r = rows(store, "measures-of-chapter")
    assert len(r) == 33  # Boks 5.1: 29 items and 4 sub-items
    assert r[0]["locator"] == "Boks 5.1, punkt 1" and r[-1]["locator"] == "Boks 5.1, punkt 29"


def test_actor_kinds_per_chapter(store):
    r = rows(store, "actor-kinds-per-chapter")
    kap5 = {x["kindLabel"]: int(x["measures"]) for x in r if x["chapter"].endswith("/kap-5")}
    assert kap5["de regionale helseforetakene"] == 4  # Boks 5.1, punkt 4, 14, 15 and 24
    assert {"kollektiv aktør", "departement"} <= set(kap5)


def test_document_counts(store):
    r = {x["short"]: x for x in rows(store, "document-counts")}
    # 136 measures, 6 of them stated a second time (section 2.3.5 repeats five box measures; Boks 7.1 one of Boks 4.1)
    assert r["Meld. St. 9 (2023–2024)"]["measures"] == "130"
    # The speech's six main moves and its six other pledges ("tre spor", "tre ting vi skal oppnå"); no list as text.
    assert r["Helseministerens tale 1. mars 2024"]["measures"] == "12"
    assert r["Helseministerens tale 1. mars 2024"]["textItems"] == "0"
    assert int(r["Meld. St. 9 (2023–2024)"]["mentions"]) > 2000


def test_search_measures(store):
    r = rows(store, "search-measures")
    assert len(r) >= 10 and all("fastleg" in x["text"].lower() for x in r)
    assert any(x["locator"] == "Fastlegeordningen, punkt 3" for x in r)


def test_classes(store, measure_count):
    r = {x["label"]: int(x["instances"]) for x in rows(store, "classes")}
    assert r["measure"] == measure_count and r["box"] == 74 and r["chapter"] == 10
    from helsegraf.entities.catalogue import load_catalogue
    assert r["regional health authority"] == 4 and r["law"] == len(load_catalogue().of_kind("law"))


def test_platform_promises_in_white_paper(store):
    # The pairs issue #11 names as found by a reader; the query once compared the first 50 characters and found 1.
    r = {(x["promise"].split("/id/")[1], x["measureLocator"]): x["relation"]
         for x in rows(store, "platform-promises-in-white-paper")}
    assert r[("hurdalsplattformen-2021-helse/kvinnehelse/1", "Boks 3.1, punkt 19")] == "same"
    assert r[("hurdalsplattformen-2021-helse/legemidler/4", "Boks 6.1, punkt 6")] == "same"
    assert r[("hurdalsplattformen-2021-helse/psykisk-helse/3", "Boks 4.1, punkt 13")] in ("same", "overlapping")
    assert r[("hurdalsplattformen-2021-helse/sykehus-og-helsepersonell/3", "Boks 4.1, punkt 3")] == "same"
    assert len(r) > 20


def test_library_has_at_least_twenty_queries():
    assert len(library_queries()) >= 20


ID = "https://w3id.org/helsegraf/id/"


def test_traces_join_measures_of_two_documents(store):
    measures = {r["measure"]: r["document"] for r in rows(store, "measures")}
    r = rows(store, "traces")
    assert len(r) > 1000
    assert all(measures[x["a"]] != measures[x["b"]] for x in r)
    assert {x["relation"] for x in r} == {"same", "overlapping", "contradicting"}
    scores = [float(x["score"]) for x in r]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] and scores[0] <= 1


def test_the_platforms_womens_health_strategy_reached_the_white_paper(store):
    r = rows(store, "white-paper-counterparts")
    found = {(x["measure"], x["counterpart"]): x["relation"] for x in r}
    assert found[(f"{ID}meld-st-9-2023-2024/boks-3.1/19", f"{ID}hurdalsplattformen-2021-helse/kvinnehelse/1")] == "same"


def test_contradictions_carry_their_cue(store):
    r = rows(store, "contradictions")
    isf = next(x for x in r if x["b"] == f"{ID}meld-st-9-2023-2024/boks-8.1/6"
               or x["a"] == f"{ID}meld-st-9-2023-2024/boks-8.1/6")
    assert "redusere" in isf["cue"] and "innsatsstyrt" in isf["cue"]


def test_promises_without_counterpart_are_commitments_with_no_link_to_a_white_paper(store):
    r = rows(store, "promises-without-counterpart")
    linked = {x["counterpart"] for x in rows(store, "white-paper-counterparts") if x["relation"] != "contradicting"}
    assert r and not {x["promise"] for x in r} & linked


def test_every_measure_has_an_instrument_and_a_topic(store, measure_count):
    r = rows(store, "items-per-instrument-topic")
    instruments = {x["instrument"].rsplit("/", 1)[1] for x in r}
    assert instruments == {"informasjon", "myndighet", "okonomi", "organisering", "utredning", "plan"}
    count = LibraryQuery("count", Path("count.rq"), """PREFIX hg: <https://w3id.org/helsegraf/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a hg:Measure ; hg:instrument ?i ; dcterms:subject ?t }""", {})
    res = run_local(count, store)
    assert int(res.rows[0]["n"]["value"]) == measure_count


def test_measures_with_deadline(store):
    r = {x["measure"]: x for x in rows(store, "measures-with-deadline")}
    spring = r[f"{ID}meld-st-9-2023-2024/avsnitt-2.3.5/7"]
    assert (spring["expression"], spring["start"], spring["end"]) == ("våren 2025", "2025-01-01", "2025-06-30")
    plan = r[f"{ID}meld-st-9-2023-2024/boks-7.1/1"]
    assert (plan["start"], plan["end"]) == ("2024-01-01", "2027-12-31")  # the manifest's plan_period


def test_restatements_and_miscitations_are_in_the_graph(built, parsed):
    import pyoxigraph as ox

    s = ox.Store.read_only(str(built.out / "store"))
    q = lambda text: {tuple(t.value for t in r) for r in s.query("PREFIX hg: <https://w3id.org/helsegraf/ontology#> " + text,
                                                                 use_default_graph_as_union=True)}
    base = "https://w3id.org/helsegraf/id/meld-st-9-2023-2024/"
    restates = q("SELECT ?a ?b WHERE { ?a hg:restates ?b }")
    assert (base + "avsnitt-2.3.5/2", base + "boks-9.1/4") in restates
    assert len(restates) == sum(len(p.measures) - len(p.distinct_measures) for p in parsed.values())
    cited = q("SELECT ?x ?meant ?cited WHERE { ?x a hg:Miscitation ; hg:mentionOf ?meant ; hg:citedAs ?cited }")
    report = "https://w3id.org/helsegraf/id/rapport/"
    assert {(m, c) for _, m, c in cited} == {(report + "meld-st-24-2022-2023", report + "meld-st-25-2022-2023"),
                                           (report + "meld-st-27-2022-2023", report + "meld-st-25-2022-2023")}


@pytest.mark.parametrize("q", [q for q in QUERIES if q.params], ids=[q.name for q in QUERIES if q.params])
def test_every_parameter_is_used_and_no_query_names_a_resource_of_its_own(q):
    for name in q.params:
        assert f"${name}" in q.text, f"{q.name} declares {name} but does not use ${name}"
    body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
    assert "https://w3id.org/helsegraf/id/" not in body.replace("/id/sjanger/", "")


def test_a_parameter_replaces_its_default(store):
    rhf = rows_with(store, "tasks-for-actor", actor="de-regionale-helseforetakene")
    hdir = rows(store, "tasks-for-actor")
    assert len(rhf) >= 5 and hdir and not {r["measure"] for r in rhf} & {r["measure"] for r in hdir}
    assert rows_with(store, "tasks-for-actor", actor="id/aktor/de-regionale-helseforetakene") == rhf
    assert rows_with(store, "tasks-for-actor", actor="<https://w3id.org/helsegraf/id/aktor/de-regionale-helseforetakene>") == rhf


def test_a_parameter_value_that_is_no_term_is_refused():
    from helsegraf.errors import InputError

    with pytest.raises(InputError, match="neither an IRI"):
        load_query("tasks-for-actor").bind({"actor": "ks } ; DROP ALL"}, "https://w3id.org/helsegraf/")
    with pytest.raises(InputError, match="its parameters: actor"):
        load_query("tasks-for-actor").bind({"aktor": "ks"}, "https://w3id.org/helsegraf/")


def rows_with(store, name, **params):
    q = load_query(name).bind(params, "https://w3id.org/helsegraf/")
    return [{k: v["value"] for k, v in r.items()} for r in run_local(q, store).rows]


def test_cli_takes_inline_text_stdin_and_parameters(built):
    import subprocess
    import sys

    store = str(built.out / "store")
    run = lambda *args, stdin=None: subprocess.run([sys.executable, "-m", "helsegraf", "query", *args, "--store", store,
                                                    "-f", "csv"], capture_output=True, text=True, input=stdin)
    inline = run("SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/helsegraf/ontology#Document> }")
    assert inline.returncode == 0 and inline.stdout.splitlines()[1] == "11"
    piped = run("-", stdin="SELECT ?d WHERE { ?d a <https://w3id.org/helsegraf/ontology#Document> }")
    assert piped.returncode == 0 and len(piped.stdout.splitlines()) == 12
    rhf = run("tasks-for-actor", "--param", "actor=de-regionale-helseforetakene")
    assert rhf.returncode == 0 and len(rhf.stdout.splitlines()) >= 6
    bad = run("SELECT * WHERE { ?s a hg:Measure }")
    assert bad.returncode == 65 and "PREFIX hg: <https://w3id.org/helsegraf/ontology#>" in bad.stderr


def test_the_table_shows_whole_iris_compacted_by_prefix(store):
    """Regression: the table cut IRIs at 60 characters, so they could not be copied."""
    res = run_local(load_query("measures"), store)
    table = format_results(res, "table")
    assert "id:meld-st-9-2023-2024/boks-3.1/19 " in table and "…/boks" not in table
    assert table.rstrip().endswith("; id: is https://w3id.org/helsegraf/id/")


def test_every_worked_query_of_the_data_model_guide_runs_and_answers(store):
    """docs/data-model.md teaches by example: each of its queries must run as written and return rows."""
    from tests.repo import ROOT

    guide = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    examples = re.findall(r"```sparql\n(.*?)```", guide, re.S)
    assert len(examples) >= 5
    for text in examples:
        q = LibraryQuery("data-model example", Path("docs/data-model.md"), text, {})
        assert run_local(q, store).rows, text
