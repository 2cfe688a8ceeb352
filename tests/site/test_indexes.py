"""Index pages per class: every class with pages has one, grouped (by document and chapter, or by kind) and sorted
in reading order; large classes are split so that no page lists more than ROWS_PER_PAGE resources."""

import re

import pyoxigraph as ox

from helsegraf.site.indexes import ROWS_PER_PAGE, class_slug, natural
from helsegraf.site.words import antall


def test_natural_order_reads_numbers_as_numbers():
    assert sorted(["boks-3.10", "boks-3.2", "Boks-3.1"], key=natural) == ["Boks-3.1", "boks-3.2", "boks-3.10"]
    assert class_slug("https://w3id.org/helsegraf/ontology#Measure") == "hg-Measure"


def test_every_class_with_instances_has_an_index_page_listed_on_the_overview(built):
    site = built.out / "site"
    store = ox.Store.read_only(str(built.out / "store"))
    classes = {r["c"].value for r in store.query(
        "SELECT DISTINCT ?c WHERE { ?s a ?c FILTER(STRSTARTS(STR(?s), 'https://w3id.org/helsegraf/id/') "
        "&& !CONTAINS(STR(?s), '#')) }",  # fragments are shown on their resource's page
        use_default_graph_as_union=True)}
    overview = (site / "indeks/index.html").read_text(encoding="utf-8")
    for c in classes:
        assert (site / f"indeks/{class_slug(c)}.html").is_file(), c
        assert f'href="{class_slug(c)}.html"' in overview, c


def test_measures_are_grouped_by_document_and_chapter_in_reading_order(built, measure_count):
    site = built.out / "site/indeks"
    page = (site / "hg-Measure.html").read_text(encoding="utf-8")
    assert antall(measure_count, "ressurs", "ressurser") in page
    if measure_count > ROWS_PER_PAGE:  # split: a table of groups, each on pages of its own
        groups = re.findall(r'<tr><td><a href="([^"]+)">(.*?)</a></td><td>(\d+)</td>', page)
        assert sum(int(n) for _, _, n in groups) == measure_count
        href, _, n = next(g for g in groups if g[1].startswith("Meld. St. 9 (2023–2024) › 3 En helse- og omsorgstjeneste"))
        assert n == "23"
        box = (site / href).read_text(encoding="utf-8")
    else:
        headings = re.findall(r"<h2>(.*?) \((\d+)\)</h2>", page)
        assert sum(int(n) for _, n in headings) == measure_count
        assert ("Meld. St. 9 (2023–2024) › 3 En helse- og omsorgstjeneste som fremmer forebygging og mestring",
                "23") in headings
        box = page.split("3 En helse- og omsorgstjeneste som fremmer", 1)[1]
    assert box.index("boks-3.1/1<") < box.index("boks-3.1/2<") < box.index("boks-3.1/10<")


def test_actors_are_grouped_by_kind(built):
    page = (built.out / "site/indeks/hg-Actor.html").read_text(encoding="utf-8")
    kinds = dict(re.findall(r"<h2>(.*?) \((\d+)\)</h2>", page))
    assert kinds["departement"] == "6" and kinds["regionalt helseforetak"] == "4"
    from helsegraf.entities.catalogue import load_catalogue
    assert sum(int(n) for n in kinds.values()) == len(load_catalogue().of_kind("actor"))


def _rows(page: str) -> int:
    listing = page.split('<ol start="', 1)[1].split("</ol>", 1)[0]
    return len(re.findall(r"<li><a href=", listing))


def test_large_classes_are_split_into_pages_of_at_most_the_limit(built):
    site = built.out / "site"
    page = (site / "indeks/hg-Mention.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(hg-Mention/[^"]+\.html)"', page))
    rows = {g: _rows((site / "indeks" / g).read_text(encoding="utf-8")) for g in linked}
    assert all(0 < n <= ROWS_PER_PAGE for n in rows.values()), rows
    mentions = ox.Store.read_only(str(built.out / "store")).query(
        "SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/helsegraf/ontology#Mention> }",
        use_default_graph_as_union=True)
    assert sum(rows.values()) == int(next(iter(mentions))["n"].value)  # every mention listed once


def test_a_class_page_lists_the_properties_its_instances_use(built, measure_count):
    page = (built.out / "site/indeks/hg-Measure.html").read_text(encoding="utf-8")
    used = dict(re.findall(r"<code>([\w:]+)</code></th><td>(\d+)</td>", page))
    assert int(used["schema:text"]) == measure_count and int(used["hg:inDocument"]) == measure_count
    assert "hg:assignsTaskTo" in used and int(used["hg:assignsTaskTo"]) < measure_count


def test_members_with_the_same_position_and_line_are_ordered_by_label_then_iri_as_natural_keys_order_them():
    """The label's and IRI's natural keys are made only for members whose position and line tie (_ByLabel): the
    order is that of the keys made for every member."""
    import random

    from helsegraf.site.indexes import _ByLabel, natural

    labels = {f"https://ex.org/{i}": random.Random(i).choice(["Boks 3.10", "boks 3.2", "Æ", "a", "Å 1", "å 01", "B"])
              for i in range(200)}
    rows = [(random.Random(i).choice([-1, 1]), random.Random(i + 1).choice([-1, 7]), iri)
            for i, iri in enumerate(sorted(labels, reverse=True))]
    lazy = sorted(rows, key=lambda r: (r[0], r[1], _ByLabel(r[2], labels.get)))
    eager = sorted(rows, key=lambda r: (r[0], r[1], natural(labels[r[2]]), natural(r[2])))
    assert lazy == eager


def test_the_properties_a_class_uses_are_counted_the_same_from_the_sorted_dump_and_from_the_store(synthetic_built,
                                                                                                   tmp_path):
    """A build counts them from its sorted N-Quads in one stream; rendered without a dump (serve, a site alone),
    the store is read resource by resource. The same counts and the same example, the first instance's in IRI
    order, though the dump orders subjects by their N-Triples bytes ('<a-b>' before '<a>')."""
    from helsegraf.rdf.iris import Iris
    from helsegraf.site.indexes import ClassIndexes, PropertyUse
    from helsegraf.site.links import Paths
    from helsegraf.site.pages import Planner
    from helsegraf.site.store_view import StoreView
    from helsegraf.site.vocabulary import load_vocabulary_labels
    from helsegraf.site.writer import Writer

    iris = Iris("https://w3id.org/helsegraf/")
    paths = Paths(iris)

    def used(dump):
        view = StoreView(synthetic_built.out / "store", dump)
        counted = None
        if dump is not None:  # in the view's pass over the dump, as plan_site has it
            counted = PropertyUse(paths.page)
            view.visit(counted.add)
        writer = Writer(tmp_path, view, paths, load_vocabulary_labels())
        planner = Planner(view, paths, str(iris.graph("ontology")), {})
        return ClassIndexes(view, paths, planner.documents, planner.outlines, planner.top, writer.term_label,
                            counted).properties_used()

    from_store, from_dump = used(None), used(synthetic_built.out / "helsegraf.nq")
    assert len(from_store) > 10 and sum(len(v) for v in from_store.values()) > 100
    assert from_dump == from_store
