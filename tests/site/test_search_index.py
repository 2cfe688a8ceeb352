"""The search index: Pagefind given only the pages it indexes makes the index it makes from the whole site, a large
site is indexed in bundles, and a site with nothing to index is an error."""

import json
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
    assert index_site(ours) == 2
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
    assert index_site(whole) == 2
    assert index_site(named, ["om/index.html", "id/b/index.html", "id/a/index.html"]) == 2

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
    assert index_site(site, pages_per_bundle=1) == 2
    assert json.loads((site / BUNDLES).read_text(encoding="utf-8")) == {"bundles": ["pagefind/", "pagefind-2/"]}
    assert _bundle(site, "pagefind") == _bundle(site, "pagefind-2") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # each run's staging folder is gone


def test_a_site_within_a_bundle_is_one_bundle(tmp_path):
    site = _site(tmp_path / "site", PAGES)
    assert index_site(site, pages_per_bundle=2) == 2
    assert json.loads((site / BUNDLES).read_text(encoding="utf-8")) == {"bundles": ["pagefind/"]}
    assert _bundle(site, "pagefind") == 2 and not (site / bundle_folder(1)).exists()
    with pytest.raises(ValueError):
        index_site(site, pages_per_bundle=0)
