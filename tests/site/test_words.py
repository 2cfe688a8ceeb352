"""Counts read as Norwegian: "1 gang", "2 ganger" (regression: "1 ganger" and "1 ressurser" on 40 pages)."""

import re

import pytest

from helsegraf.site.words import antall
from tests.site.sample import SCOPES, pages_in

# nouns the pages count, singular and plural
NOUNS = {"gang": "ganger", "ressurs": "ressurser", "tripel": "tripler", "linje": "linjer", "dokument": "dokumenter",
         "aktør": "aktører", "lov": "lover", "rapport": "rapporter", "pasientgruppe": "pasientgrupper", "rad": "rader",
         "omtale": "omtaler", "forpliktelse": "forpliktelser"}


def test_one_takes_the_singular_and_every_other_count_the_plural():
    assert antall(1, "gang", "ganger") == "1 gang"
    assert antall(0, "gang", "ganger") == "0 ganger"
    assert antall(2, "gang", "ganger") == "2 ganger"
    assert antall(12345, "tripel", "tripler") == "12 345 tripler"


@pytest.mark.parametrize("scope", SCOPES)
def test_no_page_says_one_with_a_plural(built, scope):
    wrong = re.compile(r"(?<![\d ,.])1(?:</strong>)? (" + "|".join(NOUNS.values()) + r")\b")
    bad = []
    for page in pages_in(built.out / "site", scope):
        text = re.sub(r"<pre.*?</pre>", "", page.read_text(encoding="utf-8"), flags=re.S)  # source text is quoted
        bad += [(str(page.relative_to(built.out / "site")), m.group(0)) for m in wrong.finditer(text)]
    assert bad[:10] == []


def test_norwegian_order_puts_ae_oe_aa_after_z():
    from helsegraf.site.words import norwegian

    assert sorted(["Åsane", "Ørland", "Ærø", "Zeta", "alta", "Éta"], key=norwegian) == \
        ["alta", "Éta", "Zeta", "Ærø", "Ørland", "Åsane"]


def test_the_entity_index_has_a_kind_for_each_actor_in_norwegian_order(built):
    page = (built.out / "site" / "id" / "enheter.html").read_text(encoding="utf-8")
    actors = page.split("<h2>", 2)[1]
    rows = re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a></td><td>([^<]*)</td>', actors)
    assert len(rows) > 80 and all(kind for _, kind in rows)
    from helsegraf.site.words import norwegian
    names = [name for name, _ in rows]
    assert names == sorted(names, key=norwegian)
