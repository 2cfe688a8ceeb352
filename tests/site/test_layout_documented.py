"""Every top-level entry of the built site is documented in docs/site.md (the habit of datasette's documentation
tests: what is not documented fails)."""

from tests.repo import ROOT


def test_every_top_level_entry_of_the_site_is_documented(built):
    doc = (ROOT / "docs" / "site.md").read_text(encoding="utf-8")
    entries = {p.name + ("/" if p.is_dir() else "") for p in (built.out / "site").iterdir()}
    # a page's Turtle, N-Triples and JSON-LD beside it are documented with the page
    alternates = {e for e in entries if e.rsplit(".", 1)[-1] in ("ttl", "nt", "jsonld") and e.rsplit(".", 1)[0] + ".html" in entries}
    missing = sorted(e for e in entries - alternates if f"| `{e}`" not in doc)
    assert missing == []
    assert "| `id/enheter.html`" in doc and (built.out / "site/id/enheter.html").is_file()
