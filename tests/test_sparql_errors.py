"""A query that uses an undeclared prefix is told which, and the PREFIX line to add (regression: six lines of
Unicode ranges)."""

import pyoxigraph as ox
import pytest

from helsegraf.sparql_errors import explain, undeclared_prefixes


def _message(query: str) -> str:
    with pytest.raises(SyntaxError) as e:
        ox.Store().query(query)
    return explain(query, str(e.value))


def test_an_undeclared_prefix_is_named_with_its_declaration():
    msg = _message("SELECT * WHERE { ?s a hg:Measure }")
    assert msg == ("the prefix 'hg:' is not declared (at 1:33). "
                   "Add: PREFIX hg: <https://w3id.org/helsegraf/ontology#>")
    assert "u{" not in msg


def test_a_prefix_helsegraf_does_not_know_is_named_too():
    msg = _message("PREFIX hg: <https://w3id.org/helsegraf/ontology#> SELECT * WHERE { ?s a hg:Measure ; foo:bar 1 }")
    assert "'foo:'" in msg and "declare it with its IRI" in msg


def test_colons_in_iris_strings_and_comments_are_not_prefixes():
    q = 'PREFIX hg: <x:> SELECT * WHERE { ?s hg:a "b:c" ; <http://x.org/d:e> ?o } # f:g'
    assert undeclared_prefixes(q) == []


def test_other_errors_keep_the_engines_message():
    q = "SELECT * WHERE { ?s ?p "
    with pytest.raises(SyntaxError) as e:
        ox.Store().query(q)
    assert explain(q, str(e.value)) == str(e.value)
