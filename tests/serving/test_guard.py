"""The check every query passes before evaluation: lexical, so strings, IRIs and comments never count."""

import pytest

from helsegraf.serving.guard import QueryRefused, check, decode_escapes, shape
from helsegraf.serving.limits import Limits

LIMITS = Limits()


def test_a_library_like_query_passes():
    s = check("PREFIX hg: <https://w3id.org/helsegraf/ontology#>\n"
              "SELECT ?m (COUNT(*) AS ?n) WHERE { ?m a hg:Measure ; hg:inPart/hg:partOf* ?p . } GROUP BY ?m", LIMITS)
    assert s.depth == 2 and s.closures == 1 and not s.federated


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * where { service silent <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\U00000053ervice ?endpoint { ?s ?p ?o } }",
])
def test_service_in_any_spelling_is_federation(query):
    assert shape(query).federated
    with pytest.raises(QueryRefused) as e:
        check(query, LIMITS)
    assert e.value.status == 400


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE" }',
    "SELECT * WHERE { ?s ?p '''a SERVICE b''' }",
    "PREFIX ex: <urn:> SELECT * WHERE { ?s ex:SERVICE ?o }",
    "SELECT ?SERVICE WHERE { ?SERVICE ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>",
    "SELECT * WHERE { <http://example.org/SERVICE> ?p ?o }",
])
def test_service_as_data_is_not_federation(query):
    assert not shape(query).federated


def test_service_may_be_allowed_for_trusted_use():
    assert check("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", Limits(allow_service=True)).federated


def test_brackets_in_strings_do_not_nest():
    assert shape('SELECT * WHERE { ?s ?p "' + "{" * 500 + '" }').depth == 1


@pytest.mark.parametrize("opening, closing", [("{", "}"), ("(", ")"), ("[", "]")])
def test_deep_nesting_is_refused_with_its_depth(opening, closing):
    with pytest.raises(QueryRefused) as e:
        check("SELECT * WHERE { " + opening * 100 + closing * 100 + " }", LIMITS)
    assert e.value.status == 400 and "101 deep" in e.value.message


def test_select_star_count_star_and_arithmetic_are_not_path_closures():
    assert shape("SELECT * WHERE { ?s ?p ?o } ").closures == 0
    assert shape("SELECT (COUNT(*) AS ?n) (?a*2 AS ?b) (?a + 1 AS ?c) WHERE { ?s ?p ?o }").closures == 0
    assert shape("SELECT * WHERE { ?s <urn:p>* ?o . ?s (<urn:a>|<urn:b>)+ ?o }").closures == 2


def test_too_many_closures_terms_or_bytes_are_refused():
    with pytest.raises(QueryRefused, match="closures"):
        check("SELECT * WHERE { " + " ".join(f"?s{i} <urn:p>* ?o{i} ." for i in range(17)) + " }", LIMITS)
    with pytest.raises(QueryRefused, match="terms"):
        check("SELECT * WHERE { VALUES ?x { " + " ".join(f'"{i}"' for i in range(4001)) + " } }", LIMITS)
    with pytest.raises(QueryRefused) as e:
        check("SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000, LIMITS)
    assert e.value.status == 413


def test_escapes_decode_as_the_parser_decodes_them():
    assert decode_escapes("\\u0041\\U0001F600\\uD800") == "A\U0001F600\\uD800"
