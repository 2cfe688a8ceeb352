"""The store as the pages see it: each subject's triples with types first, incoming links, labels by preference
and language, and the named graphs each triple comes from — read from the store on disk, in any process."""

import pyoxigraph as ox

import multiprocessing

from helsegraf.site.store_view import LABEL_LENGTH, StoreView

EX = "https://w3id.org/helsegraf/id/"
TTL = f"""
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{EX}a> a <{EX}K> ; rdfs:label "etikett"@nb , "label"@en ; dcterms:title "Tittel"@nb ; dcterms:isPartOf <{EX}b> .
<{EX}b> skos:prefLabel "English only"@en , "{'x' * (LABEL_LENGTH + 10)}"@nb .
"""


def view(tmp_path) -> StoreView:
    store = ox.Store(str(tmp_path / "store"))
    store.load(TTL.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{EX}g1"))
    store.add(ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode("http://purl.org/dc/terms/isPartOf"), ox.NamedNode(f"{EX}b"),
                      ox.NamedNode(f"{EX}g2")))
    store.flush()
    del store
    return StoreView(tmp_path / "store")


def test_triples_are_deduplicated_across_graphs_and_types_come_first(tmp_path):
    s = view(tmp_path)
    preds = [t.predicate.value for t in s.of(f"{EX}a")]
    assert preds[0].endswith("#type") and preds.count("http://purl.org/dc/terms/isPartOf") == 1
    part_of = next(t for t in s.of(f"{EX}a") if t.predicate.value.endswith("isPartOf"))
    assert s.graphs(f"{EX}a", part_of) == (f"{EX}g1", f"{EX}g2")


def test_labels_prefer_title_then_preflabel_and_bokmaal_and_are_shortened(tmp_path):
    s = view(tmp_path)
    assert s.label(f"{EX}a") == "Tittel" and s.label_en(f"{EX}a") == "label"
    assert s.label(f"{EX}b").endswith("…") and len(s.label(f"{EX}b")) <= LABEL_LENGTH
    assert s.english_labels() == {f"{EX}a": "label", f"{EX}b": "English only"}
    assert s.label("not an IRI") is None and not s.has(f"{EX}nothing")


def test_incoming_links_instances_and_uses(tmp_path):
    s = view(tmp_path)
    assert s.incoming(f"{EX}b") == [("http://purl.org/dc/terms/isPartOf", f"{EX}a")]
    assert s.instances() == {f"{EX}K": [f"{EX}a"]}
    assert s.subjects() == [f"{EX}a", f"{EX}b"]
    # the triple in two graphs is one use
    assert s.property_uses()["http://purl.org/dc/terms/isPartOf"] == 1


def _label_in_child(s: StoreView, q) -> None:
    q.put(s.label(f"{EX}b") is not None and s.store is not None)


def test_a_forked_process_opens_the_store_for_itself(tmp_path):
    s = view(tmp_path)
    parent = s.store
    s.label(f"{EX}a")
    q = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_label_in_child, args=(s, q))
    child.start()
    child.join(30)
    assert child.exitcode == 0 and q.get(timeout=5) is True
    assert s.store is parent  # the parent's handle is untouched
