"""The first site: a page per resource, Turtle beside it, and source text shown, never executed."""

import hashlib
import posixpath
import re
import html
from pathlib import Path

import pytest

from helsegraf.build import build
from helsegraf.site.words import antall
from tests.site.built_site import BuiltSite
from tests.site.sample import SCOPES, pages_in


def test_pages_for_documents_and_measures(built):
    site = built.out / "site"
    assert (site / "index.html").is_file()
    assert (site / "id/meld-st-9-2023-2024.html").is_file()
    page = (site / "id/meld-st-9-2023-2024/boks-3.1/1.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in page
    assert "be Helsedirektoratet utrede hvordan omstilling" in page
    assert "1633–1637" in page and "Boks 3.1, punkt 1" in page
    assert 'href="2.html"' in page  # the next measure
    assert (site / "id/meld-st-9-2023-2024/boks-3.1/1.ttl").is_file()


@pytest.mark.parametrize("scope", SCOPES)
def test_every_local_link_resolves(built, scope):
    import posixpath
    import re

    site = built.out / "site"
    files, served = {str(p.relative_to(site)) for p in site.rglob("*")}, BuiltSite(built.out)
    broken = []
    for page in pages_in(site, scope):
        here = posixpath.dirname(str(page.relative_to(site)))
        for href in re.findall(r'href="([^"#]+)"', page.read_text(encoding="utf-8")):
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            href = href.split("?", 1)[0]  # a query string (the query page's ?query=) is not part of the path
            # the 404 page links from the site's root, since it is served at any path
            target = posixpath.normpath(href[1:] if href.startswith("/") else posixpath.join(here, href))
            if target != "." and target not in files and not served.exists(target):
                broken.append((str(page.relative_to(site)), href))
    assert broken == []


def test_source_markup_is_escaped(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    body = ("Testprogram\n\nOverskrift\n\nHelsepartiet vil:\n\n"
            " • <script>alert('x')</script> Innføre <b>fet</b> skrift & mer.\n").encode()
    (texts / "t.txt").write_bytes(body)
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(f"""
[[document]]
slug = "testprogram"
file = "texts/t.txt"
sha256 = "{hashlib.sha256(body).hexdigest()}"
parser = "programme"
commitment_lead = "Helsepartiet vil"
title = "Test <i>tittel</i>"
genre = "partiprogram"
issuer = "helsepartiet"
date = "2020"
""", encoding="utf-8")
    result = build(tmp_path / "out", manifest)
    page = Path(result.out / "site/id/testprogram/overskrift/1.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert html.escape("<script>alert('x')</script>", quote=False) in page or "&lt;script&gt;" in page
    assert "<b>fet</b>" not in page
    index = (result.out / "site/index.html").read_text(encoding="utf-8")
    assert "<i>tittel</i>" not in index and "&lt;i&gt;tittel&lt;/i&gt;" in index


def test_entity_pages_list_measures_and_mentions(built):
    site = built.out / "site"
    page = (site / "id/aktor/helsedirektoratet.html").read_text(encoding="utf-8")
    assert "Boks 3.1, punkt 1" in page and "får oppdrag" in page
    assert "Omtaler i løpende tekst" in page and page.count("<tr><td>") > 100
    law = (site / "id/lov/helsepersonelloven.html").read_text(encoding="utf-8")
    assert "https://lovdata.no/eli/lov/1999/07/02/64" in law and "skal endres eller gjennomgås" in law
    index = (site / "id/enheter.html").read_text(encoding="utf-8")
    for kind in ("aktor", "lov", "rapport", "pasientgruppe"):
        assert f'href="{kind}/' in index


def test_every_catalogued_entity_has_a_page(built):
    from helsegraf.entities.catalogue import load_catalogue
    from helsegraf.rdf.entities import SEGMENT

    for e in load_catalogue().entities.values():
        assert (built.out / "site" / "id" / SEGMENT[e.kind] / f"{e.slug}.html").is_file(), e.id


def test_alternates_parse_to_the_same_triples(built):
    import json

    import pyoxigraph as ox

    base = built.out / "site" / "id" / "meld-st-9-2023-2024" / "avsnitt-4.1.4"
    ttl = set(ox.parse(path=str(base) + ".ttl", format=ox.RdfFormat.TURTLE))
    nt = set(ox.parse(path=str(base) + ".nt", format=ox.RdfFormat.N_TRIPLES))
    doc = json.loads(open(str(base) + ".jsonld", encoding="utf-8").read())
    doc["@context"] = json.loads((built.out / "site" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    jl = set(ox.parse(json.dumps(doc), format=ox.RdfFormat.JSON_LD))
    assert ttl == nt == jl and len(ttl) > 5
    page = open(str(base) + ".html", encoding="utf-8").read()
    embedded = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert set(ox.parse(embedded, format=ox.RdfFormat.JSON_LD)) == ttl


def test_ontology_is_documented(built, measure_count):
    site = built.out / "site" / "ontologi"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "hg:Measure" in index and "hg:assignsTaskTo" in index
    term = (site / "Measure.html").read_text(encoding="utf-8")
    assert antall(measure_count, "ressurs", "ressurser") in term and "Something a government or party says it will do" in term


def test_every_resource_in_the_graph_has_a_page(built):
    import pyoxigraph as ox

    store = ox.Store.read_only(str(built.out / "store"))
    site = BuiltSite(built.out)
    base = "https://w3id.org/helsegraf/"
    missing = []
    for s in sorted({q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)}):
        if "#" in s and s.startswith(base) and not s.startswith(base + "ontology"):
            # a fragment (a concept's term, an actor's organisation number, the catalog's publisher) is described
            # in its resource's files
            whole = s[len(base):].split("#", 1)[0]
            if not (site.exists(whole + ".html") or site.exists(whole + ".ttl")):
                missing.append(s)
        elif s.startswith(base) and not s.startswith(base + "ontology") and not site.exists(s[len(base):] + ".html"):
            missing.append(s)  # documents' resources, named graphs, the dataset and its partitions, the service
        if s.startswith(base.replace("helsegraf/", "helsegraf/ontology#")):
            name = s.split("#", 1)[1]
            if not (built.out / "site" / "ontologi" / f"{name}.html").is_file():
                missing.append(s)
    assert missing == []
    graphs = {q.graph_name.value for q in store if isinstance(q.graph_name, ox.NamedNode)}
    assert sorted(g for g in graphs if not site.exists(g[len(base):] + ".html")) == []


def test_relative_links_equal_posixpath_relpath():
    import itertools
    import posixpath

    from helsegraf.site.links import relative as _relative

    paths = ["index.html", "sparql.html", "static/style.css", "id/x.html", "id/x/kap-3.html", "id/x/boks-3.1/1.html",
             "id/x/boks-3.1/13.2.html", "id/aktor/ks.html", "ontologi/Measure.html", "id/x/tekst/1633/1.html"]
    for target, page in itertools.product(paths, paths):
        from_dir = posixpath.dirname(page)
        assert _relative(target, from_dir) == posixpath.relpath(target, from_dir or "."), (target, page)


def test_document_page_shows_the_outline_with_measures_in_reading_order(built):
    page = (built.out / "site/id/meld-st-9-2023-2024.html").read_text(encoding="utf-8")
    toc = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert toc.count('<a href="#kap-') == 10 and 'href="#avsnitt-4.1.4"' in toc and 'href="#boks-3.1"' in toc
    assert "Boks 3.1: Regjeringen vil</a> <span class=\"count\">(23 tiltak)</span>" in toc
    body = page.split("Tiltak og punkter i leserekkefølge", 1)[1]
    # chapter, then its box, then the section after it; the box's items in order
    assert body.index('id="kap-3"') < body.index('id="boks-3.1"') < body.index('id="avsnitt-3.1"')
    box = body.split('id="boks-3.1"', 1)[1].split("</section>", 1)[0]
    assert box.index(">Boks 3.1, punkt 1<") < box.index(">Boks 3.1, punkt 2<") < box.index(">Boks 3.1, punkt 23<")


def test_entity_page_groups_measures_by_document_and_chapter_with_counts(built):
    page = (built.out / "site/id/aktor/helsedirektoratet.html").read_text(encoding="utf-8")
    section = page.split('<section id="meld-st-9-2023-2024">', 1)[1].split("</section>", 1)[0]
    assert re.search(r"<h3><a [^>]+>Meld\. St\. 9 \(2023–2024\)</a> \((\d+)\)</h3>", section)
    chapters = re.findall(r"<h4><a [^>]+>(.*?)</a> \((\d+)\)</h4>", section)
    assert ("3 En helse- og omsorgstjeneste som fremmer forebygging og mestring", "2") in chapters
    measures = re.findall(r"<li><a ", section)
    total = int(re.search(r"\((\d+)\)</h3>", section).group(1))
    assert len(measures) == total == sum(int(n) for _, n in chapters)


def test_a_source_span_page_shows_its_lines_of_the_source(built):
    page = BuiltSite(built.out).read("id/meld-st-9-2023-2024/linjer/1633-1637.html").decode("utf-8")
    assert '<pre class="passage"' in page and "<mark>" in page and "1633" in page


@pytest.mark.parametrize("scope", SCOPES)
def test_every_page_has_a_plain_title_one_h1_headings_in_order_and_a_description(built, scope):
    bad = []
    for path in pages_in(built.out / "site", scope):
        text = path.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", text)]
        jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        head = text.split("</head>", 1)[0]
        web_basics = ('<meta name="description" content="' in head and '<meta property="og:title"' in head
                      and ('<link rel="canonical" href="' in head or path.name == "404.html"))
        if not title or "<" in title.group(1) or levels[:1] != [1] or levels.count(1) != 1 or jumps or not web_basics:
            bad.append((str(path.relative_to(built.out / "site")), levels[:8], title and title.group(1)[:80]))
    assert bad[:10] == []


def test_each_property_row_names_the_graph_it_comes_from(built):
    page = (built.out / "site/id/meld-st-9-2023-2024/boks-3.1/1.html").read_text(encoding="utf-8")
    rows = {re.sub(r"<[^>]+>", " ", r) for r in re.findall(r'<tr><th scope="row">.*?</tr>', page)}
    rows = {re.sub(r"\s+", " ", r).strip() for r in rows}
    assert any(r.startswith("type rdf:type tiltak hg:Measure") and r.endswith("inferred") for r in rows)
    assert any(r.startswith("tekst schema:text be Helsedirektoratet") and r.endswith("meld-st-9-2023-2024") for r in rows)


def test_trace_pages(built):
    site = built.out / "site"
    measure = (site / "id/meld-st-9-2023-2024/boks-3.1/19.html").read_text(encoding="utf-8")
    spor = measure[measure.index('aria-labelledby="spor"'):]
    assert "hurdalsplattformen-2021-helse/kvinnehelse/1.html" in spor and "felles ord:" in spor
    # Regression: the section quotes other documents' measures; indexed, a search for their words found this page.
    assert '<section aria-labelledby="spor" data-pagefind-ignore>' in measure
    pairs = (site / "spor/index.html").read_text(encoding="utf-8")
    assert 'href="hurdalsplattformen-2021-helse--meld-st-9-2023-2024.html"' in pairs
    pair = html.unescape((site / "spor/hurdalsplattformen-2021-helse--meld-st-9-2023-2024.html").read_text(
        encoding="utf-8"))
    assert "Bare i Meld. St. 9 (2023–2024)" in pair and "Samme tiltak" in pair
    topic = (site / "id/tema/kvinnehelse.html").read_text(encoding="utf-8")
    assert "boks-3.1/19.html" in topic and "Comparative Agendas" not in topic  # no CAP subtopic for this one
    assert "undertema 333" in (site / "id/tema/psykisk-helse.html").read_text(encoding="utf-8")


def test_the_links_a_page_reads_are_those_the_plan_counted(built):
    """The pair index counts links from their ends alone, the pages read them whole: the two must agree."""
    import pyoxigraph as ox

    from helsegraf.site import data

    store = ox.Store.read_only(str(built.out / "store"))
    labels, total = data.nb_labels(store), 0
    for doc, items in data.items(store).items():
        iris = [it["item"] for it in items]
        full = data.item_links(store, iris, labels)
        assert {i: sorted((o, l["relation"]) for o, l in v) for i, v in full.items()} == data.item_link_ends(store, iris)
        total += sum(len(v) for v in full.values())
        assert all(l["terms"] or l["entities"] for v in full.values() for _, l in v)  # a link says why
    assert total > 1000


@pytest.mark.parametrize("scope", SCOPES)
def test_every_line_reference_links_to_its_line_in_the_published_source_text(built, scope):
    """Regression: "lines 1633–1637" named lines of a text the site did not publish. Each document's source text is a
    page with an anchor per line, and every passage links to the first line it shows: in every source span's page
    (every fifth in the sample: `serve` makes them in `make test`, ~1 ms each) and in the first box items'."""
    site = BuiltSite(built.out)
    anchors = {}
    checked = 0
    spans = site.pages("id/*/linjer/*.html")
    for page in (spans if scope == "whole" else spans[::5]) + site.pages("id/*/boks-*/*.html")[:200]:
        for href, line in re.findall(r'href="([^"#]*kildetekst\.html)#L(\d+)"', site.read(page).decode("utf-8")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            if target not in anchors:
                anchors[target] = set(re.findall(r'<span id="L(\d+)">', site.read(target).decode("utf-8")))
            assert line in anchors[target], (page, href, line)
            checked += 1
    assert checked > (3000 if scope == "whole" else 900) and len(anchors) >= 5


def test_a_patient_group_page_counts_the_measures_that_name_a_narrower_group(built):
    """Regression: "Eldre med skrøpelighet" was not under "Eldre", so the Eldre page showed no white-paper measure."""
    page = (built.out / "site" / "id" / "pasientgruppe" / "eldre.html").read_text(encoding="utf-8")
    assert "(nevner Eldre med skrøpelighet)" in page
    assert 'href="#meld-st-9-2023-2024"' in page


def test_the_sitemap_lists_every_page_and_robots_names_it(built):
    site = built.out / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    pages = set(BuiltSite(built.out).pages()) - {"404.html"}
    listed = set(re.findall(r"<loc>http://127\.0\.0\.1:8000/([^<]+)</loc>", sitemap))
    assert listed == pages
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")


def test_a_box_page_reads_as_the_box(built):
    """Regression: box pages were property tables titled "Regjeringen vil" like all seven boxes, with measures in
    IRI order (/10, /11, /13.1 …). A box page is titled with its number, sits under its chapter, and lists its
    measures in reading order under their lead-ins, each with what it names; the property table comes below."""
    page = (built.out / "site" / "id" / "meld-st-9-2023-2024" / "boks-3.1.html").read_text(encoding="utf-8")
    assert "<h1>Boks 3.1 Regjeringen vil</h1>" in page
    assert re.search(r'class="crumbs">.*Meld\. St\. 9 \(2023–2024\)</a> › <a href="kap-3\.html">3 ', page)
    order = [int(n) for n in re.findall(r'<a href="boks-3\.1/(\d+)\.html">Boks 3\.1, punkt', page)]
    assert order == sorted(order) and len(order) >= 20
    assert page.index('class="lead-in"') < page.index('class="items"') < page.index('class="props"')
    assert "Nevner: " in page
    chapter = (built.out / "site" / "id" / "meld-st-9-2023-2024" / "kap-3.html").read_text(encoding="utf-8")
    assert 'href="boks-3.1.html">Boks 3.1 Regjeringen vil</a>' in chapter


def test_the_table_of_contents_numbers_once(built):
    page = (built.out / "site" / "id" / "meld-st-9-2023-2024.html").read_text(encoding="utf-8")
    toc = page.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    assert "<ol" not in toc and "1 Vår felles helsetjeneste" in toc


def test_no_alternate_repeats_a_triple(built):
    """Regression: the ontology's files held every term twice (as a term it documents, and as a fragment)."""
    site = built.out / "site"
    for path in [site / "ontologi" / "index.nt", site / "id" / "aktor" / "helsedirektoratet.nt",
                 site / "id" / "pasientgruppe" / "eldre.nt"]:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(set(lines)), path


def test_a_site_plan_gives_runs_across_planned_pages_and_those_made_when_written_making_them_only_when_asked():
    from helsegraf.site.pages import LazyPages, SitePlan
    from helsegraf.site.writer import Page

    made = []

    def make(key):
        made.append(key)
        return Page(f"{key}.html", "resource.html", key)

    planned = [Page(f"p{i}.html", "part.html") for i in range(3)]
    plan = SitePlan(planned, [LazyPages(["t"], make, lambda k: f"{k}.html", "source_text.html"),
                              LazyPages(["a", "b", "c", "d"], make, lambda k: f"{k}.html", "resource.html")])
    assert len(plan) == 8
    assert list(plan.paths()) == ["p0.html", "p1.html", "p2.html", "t.html", "a.html", "b.html", "c.html", "d.html"]
    assert made == []  # paths need no page
    assert [p.path for p in plan[2:6]] == ["p2.html", "t.html", "a.html", "b.html"]
    assert made == ["t", "a", "b"]
    assert [p.path for p in plan[6:100]] == ["c.html", "d.html"]
    assert plan[-1].path == "d.html" and plan[0] is planned[0] and plan[4].path == "a.html"
    assert [p.path for p in plan] == list(plan.paths())
    assert plan[8:] == [] and plan[0:0] == []


def test_more_pairs_than_a_page_holds_are_listed_by_document(small_pages_site):
    """At 64x the index of every pair of documents was 10.7 MB: past PAIRS_PER_PAGE pairs it lists the documents,
    each with a page of the pairs it is in, every pair in its two documents' pages and each to its own page."""
    site = small_pages_site
    index = (site / "spor" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<td><a href="(dokumenter/[^"]+\.html)"[^>]*>[^<]+</a></td><td>(\d+)</td>', index)
    assert len(listed) == 5  # the small corpus's documents, all traced to each other
    pair_pages = {p.name for p in (site / "spor").glob("*--*.html")}
    assert len(pair_pages) > 4
    seen = []
    for path, count in listed:
        page = (site / "spor" / path).read_text(encoding="utf-8")
        pairs = re.findall(r'<a href="\.\./([^"]+--[^"]+\.html)"', page)
        assert len(pairs) == int(count) and all((site / "spor" / p).is_file() for p in pairs)
        assert 'href="../index.html"' in page  # back to the list
        assert (site / "en" / "spor" / path).is_file()
        seen += pairs
    assert sorted(seen) == sorted(2 * list(pair_pages))  # every pair in the pages of its two documents


@pytest.fixture(scope="module")
def synthetic_plan(synthetic_built):
    """The small synthetic corpus's site plan, and the view of the store it was planned from."""
    from helsegraf.deployment import load_deployment
    from helsegraf.paths import deployment_path
    from helsegraf.rdf.iris import Iris
    from helsegraf.site import plan_site
    from helsegraf.site.links import Paths
    from helsegraf.site.store_view import StoreView
    from helsegraf.site.vocabulary import load_vocabulary_labels
    from helsegraf.site.writer import Writer

    deploy = load_deployment(deployment_path())
    iris = Iris(deploy.base_iri)
    view = StoreView(synthetic_built.out / "store")
    writer = Writer(Path("unused"), view, Paths(iris), load_vocabulary_labels())
    plan, _, _ = plan_site(view, iris, writer, {}, deploy, [])
    return plan, view


def test_what_a_page_makes_when_written_records_what_it_read(synthetic_plan):
    """An item's links and a pair's are made when the page is written and left out of its recipe (a kept page is
    not made again): so making them records the keys a rebuild tells a change by (dependencies.PLAN)."""
    from helsegraf.site.dependencies import INCOMING, LABEL, PLAN, TRIPLES

    plan, view = synthetic_plan
    facts, item_docs = plan.facts()
    assert {PLAN + i for i in item_docs} | {PLAN + d for d in set(item_docs.values())} == facts.keys()
    for template in ("item.html", "pair.html"):
        page = next(p for p in plan.planned if p.template == template and p.later is not None
                    and any(g["links"] for g in p.later().get("traces", p.later().get("groups", []))))
        view.recorder.start()
        made = page.later()
        keys, view.recorder.keys = view.recorder.keys, None
        groups = made["traces"] if template == "item.html" else made["groups"]
        links = [l for g in groups for l in g["links"]]
        assert links and {TRIPLES + l["iri"] for l in links} <= keys
        assert {LABEL + e for l in links for e in l["via"]} <= keys
        if template == "item.html":
            assert {INCOMING + page.iri} | {PLAN + l["item"]["item"] for l in links} <= keys
        else:
            assert {PLAN + page.ctx["a"]["iri"], PLAN + page.ctx["b"]["iri"]} <= keys


def test_a_part_or_topic_page_holds_what_it_lists_not_the_corpus(synthetic_plan):
    """A page's context is hashed by value on every rebuild (site/reuse.py): a part page holding every item's
    mentions, a topic page every item's types, made that cost grow as pages × corpus (a fifth of a 4× rebuild's
    site stage) and made one document's new mention re-render every part page of every document."""
    plan, _ = synthetic_plan
    parts = [p for p in plan.planned if p.template == "part.html"]
    topics = [p for p in plan.planned if p.template == "topic.html"]
    assert parts and topics
    assert any(p.ctx["mentions"] for p in parts)
    for p in parts:
        assert set(p.ctx["mentions"]) <= {it["item"] for it in p.ctx["items"]}, p.path
    assert any(p.ctx["link_counts"] for p in topics)
    for p in topics:
        assert "types" not in p.ctx
        assert set(p.ctx["link_counts"]) <= {it["item"] for c in p.ctx["columns"] for it in c["measures"]}, p.path
