"""Result formats by Accept header: q-values, wildcards, the most specific range, and 406."""

import pyoxigraph as ox
import pytest

from helsegraf.serving.formats import GRAPHS, SOLUTIONS, NotAcceptable, choose


@pytest.mark.parametrize("accept, expected", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("application/json", "application/sparql-results+json"),
    ("text/*", "text/csv; charset=utf-8"),
    ("application/sparql-results+json;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values;q=0.9, text/csv;q=0.1", "text/tab-separated-values; charset=utf-8"),
    ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
])
def test_solutions(accept, expected):
    assert choose(accept, SOLUTIONS)[1] == expected


def test_graphs_prefer_turtle_and_honour_q_zero():
    assert choose("*/*", GRAPHS) == (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8")
    assert choose("text/turtle;q=0, */*", GRAPHS)[0] == ox.RdfFormat.N_TRIPLES
    assert choose("application/json", GRAPHS)[0] == ox.RdfFormat.JSON_LD


@pytest.mark.parametrize("accept", ["image/png", "text/html", "application/sparql-results+json;q=0"])
def test_nothing_offered_is_not_acceptable(accept):
    with pytest.raises(NotAcceptable, match="offered"):
        choose(accept, SOLUTIONS)
