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
    assert s.incoming(f"{EX}b", 50) == [("http://purl.org/dc/terms/isPartOf", [f"{EX}a"], 1)]
    assert s.instances() == {f"{EX}K": [f"{EX}a"]}
    assert s.subjects() == [f"{EX}a", f"{EX}b"]
    # the triple in two graphs is one use
    assert s.property_uses()["http://purl.org/dc/terms/isPartOf"] == 1


def test_many_incoming_links_are_counted_by_the_store_as_python_would(tmp_path, monkeypatch):
    """Beyond INCOMING_READ links the store counts them and picks the first: the same answer as reading them all,
    links in two graphs counted once, blank nodes left out."""
    from helsegraf.site import store_view

    store = ox.Store(str(tmp_path / "store"))
    target, part, see = (ox.NamedNode(f"{EX}{x}") for x in ("t", "part", "see"))
    for i in range(30):
        for g in ("g1", "g2"):
            store.add(ox.Quad(ox.NamedNode(f"{EX}s{i:02}"), part if i % 3 else see, target, ox.NamedNode(f"{EX}{g}")))
    store.add(ox.Quad(ox.BlankNode("b"), part, target, ox.NamedNode(f"{EX}g1")))
    store.flush()
    del store
    s = StoreView(tmp_path / "store")
    read = s.incoming(f"{EX}t", 4)
    assert read == [(f"{EX}part", [f"{EX}s01", f"{EX}s02", f"{EX}s04", f"{EX}s05"], 20),
                    (f"{EX}see", [f"{EX}s00", f"{EX}s03", f"{EX}s06", f"{EX}s09"], 10)]
    monkeypatch.setattr(store_view, "INCOMING_READ", 5)
    assert s.incoming(f"{EX}t", 4) == read


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


def test_a_resource_view_answers_per_resource_as_the_tables_do(tmp_path, one_built):
    """`serve` reads what a page needs of the resources it links to per resource (ResourceView); the build reads it
    for the whole graph in passes. The same answers, for every subject of a real build's graph and for resources
    the graph does not describe."""
    from helsegraf.site.store_view import ResourceView

    s = view(tmp_path)
    keys = [f"{EX}a", f"{EX}b", f"{EX}K", f"{EX}nothing", "not an IRI"]
    per = ResourceView(tmp_path / "store")
    assert [(per.has(k), per.types(k), per.label(k), per.label_en(k)) for k in keys] == \
           [(s.has(k), s.types(k), s.label(k), s.label_en(k)) for k in keys]
    whole, per = StoreView(one_built.out / "store"), ResourceView(one_built.out / "store")
    keys = whole.subjects() + [k for k in whole.tables.subjects if k.startswith("_:")][:50]
    assert len(keys) > 900
    assert [(per.has(k), per.types(k), per.label(k), per.label_en(k)) for k in keys] == \
           [(whole.has(k), whole.types(k), whole.label(k), whole.label_en(k)) for k in keys]


def test_the_tables_read_from_the_sorted_dump_are_those_read_from_the_store(built):
    """A build reads the whole graph's tables from its sorted dump in one pass, not from the store (site/__init__)."""
    from helsegraf.site.indexes import PLACES

    store, dump = built.out / "store", built.out / "helsegraf.nq"
    passes, once = StoreView(store), StoreView(store, dump, first=PLACES)
    assert once.tables.subjects == passes.tables.subjects and len(once.tables.subjects) > 10_000
    assert once.tables.types == passes.tables.types
    assert once.tables.labels == passes.tables.labels and once.tables.labels_en == passes.tables.labels_en
    assert once.property_uses() == passes.property_uses()
    for prop in PLACES:
        assert once.first_values(prop) == passes.first_values(prop) and once.first_values(prop)


def test_the_mentions_in_running_text_gathered_in_the_pass_over_the_dump_are_those_the_store_is_asked_for(built):
    """The site's plan gathers them as the view reads its tables from the dump (data.RunningMentions, a visitor of
    that pass) rather than asking the store (data.running_mentions): the same rows, in the same order."""
    from helsegraf.site import data
    from helsegraf.site.indexes import PLACES, START_LINE

    store, dump = built.out / "store", built.out / "helsegraf.nq"
    view = StoreView(store, dump, first=PLACES)
    gathered = data.RunningMentions()
    assert view.visitable
    view.visit(gathered.add)
    view.tables  # read: the pass over the dump, which the visitor sees
    assert not view.visitable
    asked = data.running_mentions(StoreView(store).store)
    assert gathered.result(view.first_values(START_LINE)) == asked
    assert sum(len(v) for v in asked.values()) > 1_000


def test_the_ends_of_every_item_s_links_gathered_in_the_pass_over_the_dump_are_those_read_from_the_store(built):
    """data.LinkEnds, a visitor of the view's pass over the dump, against data.item_link_ends, which reads them
    from the store for a document's items: the same ends for every item of every document."""
    from helsegraf.site import data

    store, dump = built.out / "store", built.out / "helsegraf.nq"
    view = StoreView(store, dump)
    gathered = data.LinkEnds()
    view.visit(gathered.add)
    view.tables  # read: the pass over the dump, which the visitor sees
    items = [it["item"] for rows in data.items(view.store).values() for it in rows]
    read = data.item_link_ends(view.store, items)
    assert gathered.of(items) == read and sum(len(v) for v in read.values()) > 1_000
