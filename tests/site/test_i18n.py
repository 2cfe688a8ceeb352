"""The English interface: every message the templates and the code give has English in site/locale/en.po and
nothing stale is kept there; the English pages are English outside what the documents themselves say, name things by
the graph's @en labels, and point to their Bokmål versions (and back) with hreflang."""

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from helsegraf.errors import InputError
from helsegraf.site.i18n import code_messages, template_messages, translations
from tests.repo import ROOT

PO = ROOT / "site" / "locale" / "en.po"


def _catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="en")


def test_every_message_has_english_and_none_is_stale():
    single, plural = template_messages()
    single |= code_messages()
    catalog = _catalog()
    have_single = {m.id for m in catalog if m.id and isinstance(m.id, str)}
    have_plural = {tuple(m.id) for m in catalog if m.id and not isinstance(m.id, str)}
    assert sorted(single - have_single) == [] and sorted(plural - have_plural) == []
    assert sorted(have_single - single) == [] and sorted(have_plural - plural) == []  # stale English


def test_a_word_is_not_both_a_message_and_the_singular_of_a_count():
    """gettext keys a catalog by its message id: "linje" and ("linje", "linjer") cannot both be in it."""
    single, plural = template_messages()
    assert single & {s for s, _ in plural} == set()


def test_placeholders_survive_translation():
    for m in _catalog():
        if m.id and isinstance(m.id, str):
            assert sorted(re.findall(r"%\(\w+\)s", m.id)) == sorted(re.findall(r"%\(\w+\)s", m.string)), m.id
            assert sorted(re.findall(r"\{\w+\}", m.id)) == sorted(re.findall(r"\{\w+\}", m.string)), m.id
            assert re.findall(r"</?\w+", m.id) == re.findall(r"</?\w+", m.string), m.id  # the same markup


def test_an_untranslated_message_is_an_error_naming_its_line(tmp_path):
    text = PO.read_text(encoding="utf-8").replace('msgstr "Home"', 'msgstr ""')
    (tmp_path / "en.po").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        translations("en", tmp_path)
    assert "Forside" in str(e.value) and e.value.line == text.splitlines().index('msgid "Forside"') + 1


def test_english_counts_and_messages():
    en = translations("en")
    assert en.ngettext("tiltak", "tiltak", 1) == "measure" and en.ngettext("tiltak", "tiltak", 2) == "measures"
    assert en.gettext("Forside") == "Home"


class _OutsideBokmal(HTMLParser):
    """The text of a page outside the elements marked lang="nb" (and outside scripts)."""

    VOID = {"br", "img", "input", "link", "meta", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        inherited = self.stack[-1] if self.stack else False
        self.stack.append(dict(attrs).get("lang") == "nb" or tag in ("script", "style") or
                          (inherited and dict(attrs).get("lang") != "en"))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def _english_sample(site) -> list:
    from tests.site.sample import sample_of_every_template

    return [p for p in sample_of_every_template(site, per_template=4) if p.relative_to(site).parts[0] == "en"]


def test_english_pages_show_no_bokmal_interface(built):
    """Outside what is marked as Bokmål, an English page holds none of the catalog's Bokmål sentences."""
    site = built.out / "site"
    bokmal = sorted({m.id for m in _catalog() if isinstance(m.id, str) and len(m.id) > 25 and m.id != m.string},
                    key=len, reverse=True)
    pages = _english_sample(site)
    templates = {re.search(r'<body class="page-([\w-]+)"', p.read_text(encoding="utf-8")).group(1) for p in pages}
    assert len(templates) >= 15
    for page in pages:
        parser = _OutsideBokmal()
        parser.feed(page.read_text(encoding="utf-8"))
        text = " ".join(" ".join(parser.text).split())
        leaked = [m for m in bokmal if re.sub(r"%\(\w+\)s|<[^>]+>", "", m)[:25] in text]
        assert leaked == [], (str(page.relative_to(site)), leaked[:3])


def test_english_and_bokmal_versions_point_to_each_other(built):
    site = built.out / "site"
    url = re.search(r'<link rel="canonical" href="([^"]+)index.html">', (site / "index.html").read_text(encoding="utf-8")).group(1)
    for page in _english_sample(site):
        text = page.read_text(encoding="utf-8")
        path = str(page.relative_to(site))
        assert '<html lang="en">' in text
        nb = re.search(r'<link rel="alternate" hreflang="nb" href="([^"]+)">', text).group(1)
        assert nb == url + path[len("en/"):]
        counterpart = (site / path[len("en/"):]).read_text(encoding="utf-8")
        assert f'<link rel="alternate" hreflang="en" href="{url}{path}">' in counterpart
        assert 'hreflang="en" lang="en">English</a>' in counterpart  # the language switch


def test_english_pages_name_things_by_the_graphs_english_labels(built):
    site = built.out / "site"
    page = (site / "en/id/aktor/helsedirektoratet.html").read_text(encoding="utf-8")
    english = re.search(r'skos:prefLabel [^;]*"([^"]+)"@en', (site / "id/aktor/helsedirektoratet.ttl").read_text(encoding="utf-8"))
    assert english and f"<h1>{english.group(1)}</h1>" in page
    measure = (site / "en/id/meld-st-9-2023-2024/boks-3.1/1.html").read_text(encoding="utf-8")
    assert '<blockquote lang="nb"><p>be Helsedirektoratet utrede' in measure  # the document's own words stay
    assert f">{english.group(1)}</a>" in measure and "<dt>Type</dt><dd>Measure / commitment</dd>" in measure
