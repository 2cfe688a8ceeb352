"""SPARQL 1.1 Protocol conformance, case by case after the W3C protocol test suite's expectations
(data-sparql11/protocol: query_*, bad_*). Update cases expect a refusal: this endpoint is read-only.

Each case is data: the request, the statuses that pass, and what the answer must hold.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest

BASE = "https://w3id.org/helsegraf/"
CURATED = BASE + "graph/curated"
WHITE_PAPER = BASE + "graph/meld-st-9-2023-2024"
ASK = "ASK {}"
SELECT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"

# name, method, query-string params, headers, body, accepted statuses, Content-Type prefix of the answer (or None)
CASES = [
    ("query_get", "GET", {"query": ASK}, {"Accept": "application/sparql-results+json"}, None, {200},
     "application/sparql-results+json"),
    ("query_post_form", "POST", {}, {"Content-Type": FORM, "Accept": "application/sparql-results+xml"},
     urllib.parse.urlencode({"query": ASK}).encode(), {200}, "application/sparql-results+xml"),
    ("query_post_direct", "POST", {}, {"Content-Type": DIRECT, "Accept": "application/sparql-results+json"},
     ASK.encode(), {200}, "application/sparql-results+json"),
    ("query_content_type_select", "GET", {"query": SELECT}, {"Accept": "text/csv"}, None, {200}, "text/csv"),
    ("query_content_type_ask", "GET", {"query": ASK}, {"Accept": "application/sparql-results+xml"}, None, {200},
     "application/sparql-results+xml"),
    ("query_content_type_describe", "GET", {"query": f"DESCRIBE <{BASE}id/aktor/ks>"}, {"Accept": "text/turtle"},
     None, {200}, "text/turtle"),
    ("query_content_type_construct", "GET", {"query": f"CONSTRUCT {{ <{BASE}id/aktor/ks> ?p ?o }} WHERE "
                                                      f"{{ <{BASE}id/aktor/ks> ?p ?o }}"},
     {"Accept": "application/rdf+xml"}, None, {200}, "application/rdf+xml"),
    ("query_dataset_default_graphs_get", "GET", {"query": SELECT, "default-graph-uri": CURATED},
     {"Accept": "application/sparql-results+json"}, None, {200}, "application/sparql-results+json"),
    ("query_dataset_default_graphs_post", "POST", {"default-graph-uri": CURATED},
     {"Content-Type": DIRECT, "Accept": "application/sparql-results+json"}, SELECT.encode(), {200},
     "application/sparql-results+json"),
    ("query_dataset_named_graphs_get", "GET", {"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                                                        "GROUP BY ?g", "named-graph-uri": CURATED},
     {"Accept": "application/sparql-results+json"}, None, {200}, "application/sparql-results+json"),
    ("query_multiple_dataset", "POST", {"default-graph-uri": CURATED, "named-graph-uri": WHITE_PAPER},
     {"Content-Type": DIRECT, "Accept": "application/sparql-results+json"},
     b"SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", {200}, "application/sparql-results+json"),
    ("query_accept_no_preference", "GET", {"query": ASK}, {"Accept": "*/*"}, None, {200},
     "application/sparql-results+json"),
    ("query_accept_q_values", "GET", {"query": SELECT},
     {"Accept": "application/sparql-results+json;q=0.2, text/tab-separated-values;q=0.9"}, None, {200},
     "text/tab-separated-values"),
    ("query_accept_nothing_offered", "GET", {"query": SELECT}, {"Accept": "image/png"}, None, {406}, None),
    ("bad_query_method", "PUT", {"query": ASK}, {}, None, {403, 405}, None),
    ("bad_multiple_queries", "GET", [("query", ASK), ("query", SELECT)], {}, None, {400}, None),
    ("bad_query_wrong_media_type", "POST", {}, {"Content-Type": "text/plain"}, ASK.encode(), {415}, None),
    ("bad_query_missing_form_type", "POST", {}, {}, urllib.parse.urlencode({"query": ASK}).encode(), {415}, None),
    ("bad_query_missing_direct_type", "POST", {}, {}, ASK.encode(), {415}, None),
    ("bad_query_non_utf8", "POST", {}, {"Content-Type": DIRECT}, ASK.encode("utf-16"), {400}, None),
    ("bad_query_syntax", "GET", {"query": "ASK {"}, {}, None, {400}, None),
    ("bad_update_get", "GET", {"update": "CLEAR ALL"}, {}, None, {403}, None),
    ("bad_update_post_form", "POST", {}, {"Content-Type": FORM},
     urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(), {403}, None),
    ("bad_update_post_direct", "POST", {}, {"Content-Type": "application/sparql-update"}, b"CLEAR ALL", {403}, None),
    ("bad_update_in_query_parameter", "GET", {"query": "CLEAR ALL"}, {}, None, {400}, None),
]


def request(url, method, params, headers, body):
    """Exactly the request given (urllib would add a Content-Type of its own to a body without one)."""
    parts = urllib.parse.urlsplit(url)
    qs = urllib.parse.urlencode(params)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, parts.path + ("?" + qs if qs else ""), body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        conn.close()


@pytest.mark.parametrize("name, method, params, headers, body, statuses, ctype", CASES, ids=[c[0] for c in CASES])
def test_protocol_case(server, name, method, params, headers, body, statuses, ctype):
    status, got_headers, answer = request(server.endpoint_url, method, params, headers, body)
    assert status in statuses, (status, answer[:300])
    if ctype:
        assert got_headers["Content-Type"].startswith(ctype)
    if status >= 400:
        assert answer.strip(), "an error says what is wrong"


def test_default_graph_uri_narrows_the_dataset(server):
    def count(params):
        _, _, body = request(server.endpoint_url, "GET", {"query": SELECT, **params},
                             {"Accept": "application/sparql-results+json"}, None)
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    everything, curated = count({}), count({"default-graph-uri": CURATED})
    assert 0 < curated < everything


def test_service_description_without_a_query(server):
    status, headers, body = request(server.endpoint_url, "GET", {}, {"Accept": "text/turtle"}, None)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert b"sparql-service-description" in body and b"oxigraph" not in body.lower()


def test_service_description_names_this_endpoint_and_counts_what_it_serves(server):
    """Regression: the description named the build's default port whatever port `serve` ran on, and counted the
    graph without the description itself. Its counts are checked here against COUNT queries to the endpoint."""
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import VOID

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    _, _, body = request(server.endpoint_url, "GET", {}, {"Accept": "text/turtle"}, None)
    g = Graph().parse(data=body.decode("utf-8"), format="turtle")
    service = next(g.subjects(sd.endpoint, None))
    assert set(g.objects(service, sd.endpoint)) == {URIRef(server.endpoint_url)}
    assert set(g.objects(None, VOID.sparqlEndpoint)) == {URIRef(server.endpoint_url)}

    def count(query):
        _, _, answer = request(server.endpoint_url, "GET", {"query": query},
                               {"Accept": "application/sparql-results+json"}, None)
        return {tuple(b[v]["value"] for v in sorted(b) if v != "n"): int(b["n"]["value"])
                for b in json.loads(answer)["results"]["bindings"]}

    default = g.value(g.value(g.value(service, sd.defaultDataset), sd.defaultGraph), VOID.triples)
    # The default graph is the merge of the named graphs: a triple two graphs hold is one triple of it.
    assert count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }") == {(): int(default)}
    served = count("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    described = {(str(g.value(n, sd.name)),): int(g.value(g.value(n, sd.graph), VOID.triples))
                 for n in g.objects(g.value(service, sd.defaultDataset), sd.namedGraph)}
    assert described == served


def test_the_site_names_the_endpoint_serve_runs(server):
    """The query page finds its endpoint at endpoint.json beside it; `serve` answers with its own address."""
    status, headers, body = request(server.site_url + "endpoint.json", "GET", {}, {}, None)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body) == {"endpoint": server.endpoint_url}
