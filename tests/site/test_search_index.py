"""The search index: Pagefind given only the pages it indexes makes the index it makes from the whole site, a large
site is indexed in bundles, and a site with nothing to index is an error."""

import json
import shutil
import subprocess
import sys

import pytest

from helsegraf.errors import HelsegrafError
from helsegraf.site.search_index import BUNDLES, bundle_folder, index_site

PAGE = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main>{body}</main></body></html>"""


def _site(root, pages):
    for path, (title, body) in pages.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(PAGE.format(title=title, body=body), encoding="utf-8")
    return root


PAGES = {
    "id/a/index.html": ("Tiltak A", "<div data-pagefind-body><h1>Tiltak A</h1><p>fastlegeordningen styrkes</p></div>"),
    "id/b/index.html": ("Tiltak B", "<div data-pagefind-body><h1>Tiltak B</h1><p>sykehus i hele landet</p></div>"),
    "id/a/linjer/1/index.html": ("Linje 1", "<p>fastlegeordningen, linje for linje</p>"),
    "om/index.html": ("Om", "<p>Sidene søket ikke tar med</p>"),
}


def test_the_index_of_the_indexed_pages_alone_is_the_index_of_the_site(tmp_path):
    ours = _site(tmp_path / "ours" / "site", PAGES)
    theirs = _site(tmp_path / "theirs" / "site", PAGES)
    assert index_site(ours).pages == 2
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(theirs), "--output-subdir", "pagefind",
                    "--force-language", "nb"], check=True, capture_output=True)
    def files(root):
        return {p.relative_to(root): p.read_bytes() for p in (root / "pagefind").rglob("*") if p.is_file()}

    assert files(ours) == files(theirs)
    assert sorted(p.name for p in (tmp_path / "ours").iterdir()) == ["site"]  # the staging folder is gone


def test_given_the_pages_that_may_carry_the_marker_the_index_is_the_same(tmp_path):
    """The build names the pages of the templates with the marker, so the site is not read whole to find them."""
    whole = _site(tmp_path / "whole" / "site", PAGES)
    named = _site(tmp_path / "named" / "site", PAGES)
    assert index_site(whole).pages == 2
    assert index_site(named, ["om/index.html", "id/b/index.html", "id/a/index.html"]).pages == 2

    def files(root):
        return {p.relative_to(root): p.read_bytes() for p in (root / "pagefind").rglob("*") if p.is_file()}

    assert files(whole) == files(named)


def test_the_templates_with_the_marker_are_those_of_the_pages_people_read():
    from helsegraf.paths import site_templates
    from helsegraf.site.search_index import marked_templates

    assert {"item.html", "entity.html", "document.html"} <= marked_templates(site_templates())
    assert not {"resource.html", "source_text.html", "base.html"} & marked_templates(site_templates())


def test_a_site_without_indexed_pages_is_an_error(tmp_path):
    site = _site(tmp_path / "site", {"om/index.html": ("Om", "<p>ingenting å søke i</p>")})
    with pytest.raises(HelsegrafError, match="nothing to index"):
        index_site(site)


def _bundle(root, folder):
    """The pages a bundle indexed, by Pagefind's own count, and its files."""
    entry = json.loads((root / folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(lang["page_count"] for lang in entry["languages"].values())


def test_a_site_larger_than_a_bundle_is_indexed_in_bundles_the_search_page_merges(tmp_path):
    """Pagefind holds every page it is given until it writes, so its memory grows with the site: a site of more
    pages than `pages_per_bundle` is indexed a bundle at a time, each bundle its own folder, listed in order."""
    site = _site(tmp_path / "site", PAGES)
    assert index_site(site, pages_per_bundle=1).pages == 2
    assert json.loads((site / BUNDLES).read_text(encoding="utf-8")) == {"bundles": ["pagefind/", "pagefind-2/"]}
    assert _bundle(site, "pagefind") == _bundle(site, "pagefind-2") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # each run's staging folder is gone


def test_a_site_within_a_bundle_is_one_bundle(tmp_path):
    site = _site(tmp_path / "site", PAGES)
    assert index_site(site, pages_per_bundle=2).pages == 2
    assert json.loads((site / BUNDLES).read_text(encoding="utf-8")) == {"bundles": ["pagefind/"]}
    assert _bundle(site, "pagefind") == 2 and not (site / bundle_folder(1)).exists()
    with pytest.raises(ValueError):
        index_site(site, pages_per_bundle=0)


def _documents_site(root, changed: str = ""):
    pages = {f"id/dok-{d}/{i}.html": (f"Dokument {d}, punkt {i}", f"<div data-pagefind-body><h1>Punkt {i}</h1>"
                                      f"<p>{d * 3} {'endret ' if f'id/dok-{d}/{i}.html' == changed else ''}tekst</p></div>")
             for d in "abcdef" for i in (1, 2)}
    pages["id/aktor/ks.html"] = ("KS", "<div data-pagefind-body><h1>KS</h1></div>")
    return _site(root, pages)


def test_bundles_hold_whole_documents_so_a_new_document_changes_only_its_own():
    from helsegraf.site.search_index import document_of, plan_bundles

    assert document_of("id/dok-a.html") == document_of("en/id/dok-a/boks-1/2.html") == "dok-a"
    assert document_of("id/aktor/ks.html") == "aktor" and document_of("indeks/x.html") == "indeks"
    paths = [f"id/dok-{d}/{i}.html" for d in "abcdefgh" for i in range(3)]
    before = plan_bundles(paths, 6)
    assert all(len(b) <= 6 for b in before) and sorted(p for b in before for p in b) == sorted(paths)
    after = plan_bundles(paths + ["id/dok-x.html", "id/dok-x/1.html"], 6)  # as many buckets (8) for 26 pages as 24
    assert len({b for b in map(tuple, before)} - {b for b in map(tuple, after)}) <= 1
    assert plan_bundles(paths, 100) == [sorted(paths)]


def test_a_rebuild_keeps_the_bundles_whose_pages_it_kept_and_indexes_the_rest_as_a_clean_build_does(tmp_path):
    from helsegraf.site.search_index import Previous

    first = _documents_site(tmp_path / "first" / "site")
    made = index_site(first, pages_per_bundle=4)
    assert made.kept == 0 and made.bundles > 2
    changed = "id/dok-b/1.html"
    second = _documents_site(tmp_path / "second" / "site", changed)
    again = index_site(second, pages_per_bundle=4, previous=Previous(first, made.record, frozenset({changed})))
    assert sum(changed in b for b in made.record["bundles"].values()) == 1
    assert again.kept == again.bundles - 1 and again.record == made.record
    clean = index_site(_documents_site(tmp_path / "clean" / "site", changed), pages_per_bundle=4)
    assert clean.record == again.record

    def files(root):
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()
                and p.relative_to(root).parts[0].startswith("pagefind")}

    assert files(second) == files(tmp_path / "clean" / "site")
    # another Pagefind made the previous index, or a bundle of it is gone: indexed again
    other = dict(made.record, pagefind="pagefind 0.0.1")
    assert index_site(_documents_site(tmp_path / "third" / "site"), pages_per_bundle=4,
                      previous=Previous(first, other, frozenset())).kept == 0
    # a record edited by hand: a bundle outside the site's bundle folders, or not a list of pages, keeps nothing
    for bundles in ({"../..": made.record["bundles"]["pagefind"]}, {"pagefind": "id/dok-a/1.html"}, ["pagefind"]):
        assert index_site(_documents_site(tmp_path / f"edited-{len(str(bundles))}" / "site"), pages_per_bundle=4,
                          previous=Previous(first, dict(made.record, bundles=bundles), frozenset())).kept == 0
    shutil.rmtree(first / "pagefind")
    assert index_site(_documents_site(tmp_path / "fourth" / "site"), pages_per_bundle=4,
                      previous=Previous(first, made.record, frozenset())).kept == made.bundles - 1
