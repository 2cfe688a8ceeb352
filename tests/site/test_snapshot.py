"""The in-memory snapshot pages are rendered from: each subject's triples with types first, incoming links,
labels by preference and language, and the named graphs each triple comes from."""

import pyoxigraph as ox

from helsegraf.site.snapshot import LABEL_LENGTH, Snapshot

EX = "https://w3id.org/helsegraf/id/"
TTL = f"""
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{EX}a> a <{EX}K> ; rdfs:label "etikett"@nb , "label"@en ; dcterms:title "Tittel"@nb ; dcterms:isPartOf <{EX}b> .
<{EX}b> skos:prefLabel "English only"@en , "{'x' * (LABEL_LENGTH + 10)}"@nb .
"""


def snapshot() -> Snapshot:
    store = ox.Store()
    store.load(TTL.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{EX}g1"))
    store.add(ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode("http://purl.org/dc/terms/isPartOf"), ox.NamedNode(f"{EX}b"),
                      ox.NamedNode(f"{EX}g2")))
    return Snapshot.read(store)


def test_triples_are_deduplicated_across_graphs_and_types_come_first():
    s = snapshot()
    preds = [t.predicate.value for t in s.of(f"{EX}a")]
    assert preds[0].endswith("#type") and preds.count("http://purl.org/dc/terms/isPartOf") == 1
    part_of = next(t for t in s.of(f"{EX}a") if t.predicate.value.endswith("isPartOf"))
    assert s.graphs[part_of] == (f"{EX}g1", f"{EX}g2")


def test_labels_prefer_title_then_preflabel_and_bokmaal_and_are_shortened():
    s = snapshot()
    assert s.labels[f"{EX}a"] == "Tittel"
    assert s.labels[f"{EX}b"].endswith("…") and len(s.labels[f"{EX}b"]) <= LABEL_LENGTH


def test_incoming_links_and_instances():
    s = snapshot()
    assert s.incoming[f"{EX}b"] == [("http://purl.org/dc/terms/isPartOf", f"{EX}a")]
    assert s.instances() == {f"{EX}K": [f"{EX}a"]}
