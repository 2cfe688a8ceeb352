"""Precision and recall against hand-labelled measures: the development set and the held-out set."""

from collections import defaultdict

import pytest

from helsegraf.entities.catalogue import load_catalogue
from helsegraf.entities.evaluation import load_gold, score
from helsegraf.entities.matcher import Matcher
from helsegraf.entities.mentions import find_mentions
from helsegraf.entities.roles import load_roles
from tests.repo import ROOT


@pytest.fixture(scope="module")
def by_item(manifest, parsed):
    matcher = Matcher(load_catalogue(), load_roles())
    out = defaultdict(list)
    for doc in manifest.documents:
        for m in find_mentions(parsed[doc.slug], matcher):
            if m.item:
                out[f"{doc.slug}/{m.item}"].append(m)
    return out


@pytest.mark.parametrize("name, measures", [("mentions_gold", 90), ("mentions_test", 44)])
def test_precision_and_recall(by_item, name, measures):
    gold = load_gold(ROOT / "tests" / "fixtures" / f"{name}.toml")
    assert len(gold) == measures
    s = score(gold, by_item)
    assert s.precision >= 0.95, s.false_pos
    assert s.recall >= 0.90, s.false_neg
    assert s.role_accuracy >= 0.9, s.role_errors


def test_labelled_measures_exist(parsed):
    keys = {f"{slug}/{i.key}" for slug, p in parsed.items() for i in p.items}
    for name in ("mentions_gold", "mentions_test"):
        missing = set(load_gold(ROOT / "tests" / "fixtures" / f"{name}.toml")) - keys
        assert missing == set()


def test_mentions_carry_line_and_part(manifest, parsed):
    matcher = Matcher(load_catalogue(), load_roles())
    mentions = find_mentions(parsed["meld-st-9-2023-2024"], matcher)
    running = [m for m in mentions if m.item is None and m.entity == "actor:sykehusutvalget"]
    first = running[0]
    assert (first.span.start, first.part) == (618, "avsnitt-1.5")
    assert parsed["meld-st-9-2023-2024"].lines[617].count("Sykehusutvalget") == 1
    item = [m for m in mentions if m.item == "boks-3.1/1"]
    assert [(m.entity, m.span.start, m.key) for m in item] == [("actor:helsedirektoratet", 1633, "boks-3.1/1/nevner/1")]
