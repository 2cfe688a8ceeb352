"""Linking on a small corpus: blocking never compares items of one document, the relation follows the score and
the cues, the output is the same for the same input, and the method's parameters are checked when read."""

import dataclasses
import random

import pytest

from helsegraf.errors import InputError
from helsegraf.traces.features import ItemRef, item_features
from helsegraf.traces.lexicon import load_lexicon
from helsegraf.traces.link import candidates, link_pair, load_method
from helsegraf.traces.pairs import link
from helsegraf.traces.weights import corpus_weights
from tests.repo import MAPPINGS

LEX = load_lexicon(MAPPINGS / "trace_lexicon.toml")
METHOD = load_method(MAPPINGS / "trace_rules.toml")
TEXTS = {
    ("plattform", "1"): "Legge frem en strategi for kvinners helse og kvinnehelseforskning.",
    ("plattform", "2"): "Øke innsatsstyrt finansiering av sykehusene.",
    ("plattform", "3"): "Styrke fastlegeordningen i distriktene.",
    ("melding", "1"): "legge fram en egen strategi for kvinnehelse i 2024",
    ("melding", "2"): "redusere andelen innsatsstyrt finansiering til 30 prosent",
    ("melding", "3"): "etablere et teknisk beregningsutvalg for spesialisthelsetjenesten",
    ("melding", "4"): "styrke fastlegeordningen gjennom økt basistilskudd",
}


def corpus():
    items = [item_features(ItemRef(d, k), t, frozenset(), LEX) for (d, k), t in TEXTS.items()]
    # a larger background, so that weights are those of a corpus and not of seven lines
    items += [item_features(ItemRef("bakgrunn", str(n)), t, frozenset(), LEX)
              for n, t in enumerate(["styrke helsetjenesten", "sikre gode tjenester i kommunene",
                                     "styrke samarbeidet med ideelle aktører", "øke kapasiteten i sykehusene"])]
    return items


def test_only_items_of_different_documents_are_candidates():
    items = corpus()
    w = corpus_weights(items)
    for i, j in candidates(items, w, METHOD):
        assert items[i].ref.document != items[j].ref.document


def test_relations_on_a_small_corpus():
    items = corpus()
    links = {(str(l.a), str(l.b)): l for l in link(items, corpus_weights(items), METHOD,
                                                    {"plattform": 0, "melding": 1, "bakgrunn": 2})}
    assert links[("plattform#1", "melding#1")].relation in ("same", "overlapping")
    contra = links[("plattform#2", "melding#2")]
    assert contra.relation == "contradicting" and "øke" in contra.cue.lower() and "redusere" in contra.cue
    assert ("plattform#3", "melding#4") in links  # the GP scheme, both ways of strengthening it
    assert not any(k[1] == "melding#3" for k in links)  # a technical committee shares nothing with the platform


def test_links_read_from_the_earlier_document():
    items = corpus()
    links = link(items, corpus_weights(items), METHOD, {"melding": 0, "plattform": 1, "bakgrunn": 2})
    assert all(l.a.document == "melding" for l in links if {l.a.document, l.b.document} == {"melding", "plattform"})


def test_the_same_input_in_any_order_gives_the_same_links():
    a, b = corpus(), corpus()
    order = {"plattform": 0, "melding": 1, "bakgrunn": 2}
    assert link(a, corpus_weights(a), METHOD, order) == link(b[::-1], corpus_weights(b[::-1]), METHOD, order)


def test_the_links_between_two_documents_are_theirs_alone():
    """Weights fixed in advance and a blocking rule that counts the two documents' items only: a third document,
    added or changed, leaves the links between the other two as they were (what lets a rebuild keep them)."""
    items = corpus()
    w = corpus_weights(items)  # fixed: the reference, not recounted when the corpus changes
    order = {"plattform": 0, "melding": 1, "bakgrunn": 2}
    between = lambda links: [l for l in links if {l.a.document, l.b.document} == {"plattform", "melding"}]
    alone = link([it for it in items if it.ref.document != "bakgrunn"], w, order=order, method=METHOD)
    more = items + [item_features(ItemRef("ny", str(n)), t, frozenset(), LEX) for n, t in enumerate(
        ["styrke fastlegeordningen", "øke innsatsstyrt finansiering", "strategi for kvinnehelse"])]
    assert between(alone) and between(alone) == between(link(items, w, METHOD, order)) == between(
        link(more, w, METHOD, {**order, "ny": 3}))
    xs = sorted((it for it in items if it.ref.document == "plattform"), key=lambda it: it.ref.key)
    ys = sorted((it for it in items if it.ref.document == "melding"), key=lambda it: it.ref.key)
    assert link_pair(xs, ys, w, METHOD) == between(alone)


def test_a_broad_item_keeps_its_best_links_per_document():
    items = corpus()
    method = dataclasses.replace(METHOD, links_per_document=1, overlapping=0.0)
    links = link(items, corpus_weights(items), method, {"plattform": 0, "melding": 1, "bakgrunn": 2})
    per = {}
    for l in links:
        if l.relation != "contradicting":
            per.setdefault((str(l.a), l.b.document), []).append(l)
    assert all(len(v) <= 1 for v in per.values())


def test_an_item_keeps_its_best_links_over_the_whole_corpus():
    """The platform's items meet the white paper in six copies: each item keeps `links_per_item` links, those among
    the best of both items, and a bound no item reaches leaves every link."""
    items = corpus() + [item_features(ItemRef(f"kopi{n}", k), t, frozenset(), LEX)
                        for n in range(6) for (d, k), t in TEXTS.items() if d == "melding"]
    order = {"plattform": 0, "melding": 1, "bakgrunn": 2, **{f"kopi{n}": 3 + n for n in range(6)}}
    w = corpus_weights(items)
    every = link(items, w, dataclasses.replace(METHOD, links_per_item=1000), order)
    bounded = link(items, w, dataclasses.replace(METHOD, links_per_item=2), order)
    per_item = {}
    for l in every:
        per_item.setdefault(l.a, []).append(l)
        per_item.setdefault(l.b, []).append(l)
    assert max(len(v) for v in per_item.values()) > 2  # the bound binds
    assert bounded and set(bounded) < set(every)
    for ref, mine in per_item.items():
        kept = [l for l in bounded if ref in (l.a, l.b)]
        assert len(kept) <= 2
        best = sorted(mine, key=lambda l: -l.score)[:2]
        assert all(l in best for l in kept)  # nothing but its best
    assert link(items, w, METHOD, order) == every  # the method's bound is above what this corpus reaches


def test_the_bound_keeps_the_same_links_whatever_order_the_pairs_come_in():
    """Pairs are linked on several processes and come back in no set order: BestLinks keeps each item's best
    links in a heap as they come, and the links it keeps are the same in any order."""
    from helsegraf.traces.link import BestLinks

    items = corpus() + [item_features(ItemRef(f"kopi{n}", k), t, frozenset(), LEX)
                        for n in range(6) for (d, k), t in TEXTS.items() if d == "melding"]
    order = {"plattform": 0, "melding": 1, "bakgrunn": 2, **{f"kopi{n}": 3 + n for n in range(6)}}
    every = link(items, corpus_weights(items), dataclasses.replace(METHOD, links_per_item=1000), order)
    kept = []
    for seed in range(5):
        shuffled = every[:]
        random.Random(seed).shuffle(shuffled)
        best = BestLinks(items, 2)
        for n in range(0, len(shuffled), 3):
            best.add(shuffled[n:n + 3])
        kept.append(best.links())
    assert kept[0] and all(k == kept[0] for k in kept) and len(kept[0]) < len(every)


@pytest.mark.parametrize("line, message", [
    ("same = -1", "'same'"),
    ("keys_per_item = 0", "'keys_per_item'"),
    ("overlapping = 0.9", "'overlapping' must not be above 'same'"),
])
def test_a_bad_parameter_names_the_file(tmp_path, line, message):
    text = (MAPPINGS / "trace_rules.toml").read_text(encoding="utf-8")
    key = line.split(" = ")[0]
    bad = "\n".join(line if l.startswith(f"{key} = ") else l for l in text.splitlines())
    (tmp_path / "trace_rules.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError, match=message) as e:
        load_method(tmp_path / "trace_rules.toml")
    assert "trace_rules.toml" in str(e.value)
