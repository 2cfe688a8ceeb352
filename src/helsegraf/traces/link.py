"""Linking items across documents: block candidates by shared rare terms and entities, score each candidate pair,
and classify it as the same policy, an overlapping one, a contradicting one, or no link.

Blocking keeps the cost near-linear: an item is compared only with items that share one of its few rarest terms
or entities (each posting list capped), never with the whole corpus."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..tomlrows import load_document
from .features import ItemFeatures, ItemRef
from .weights import Weights

RELATIONS = ("same", "overlapping", "contradicting")


@dataclass(frozen=True)
class Method:
    """The linker's parameters (mappings/trace_rules.toml); name and version go into the graph with every link."""

    name: str
    version: str
    same: float  # score from which two items are the same policy
    overlapping: float  # score from which they overlap
    contradicting: float  # score from which opposite cues on a shared term make a contradiction
    cue_weight: float  # how heavy a shared term must be for its cues to count, as a share of the rarest term's weight
    keys_per_item: int  # how many of an item's rarest terms and entities it is blocked by
    max_postings: int  # a blocking key shared by more items than this is too common to block by
    links_per_document: int  # at most this many links from an item into any one other document
    links_per_item: int  # at most this many links of an item in the whole corpus
    path: Path


def load_method(path: Path) -> Method:
    data, _ = load_document(path)
    m = data.get("method")
    if not isinstance(m, dict):
        raise InputError(path, "needs a [method] table")
    floats = ("same", "overlapping", "contradicting", "cue_weight")
    ints = ("keys_per_item", "max_postings", "links_per_document", "links_per_item")
    for k in ("name", "version"):
        if not isinstance(m.get(k), str) or not m[k]:
            raise InputError(path, f"[method] needs '{k}' (text)")
    for k in floats:
        if not isinstance(m.get(k), (int, float)) or isinstance(m.get(k), bool) or m[k] < 0:
            raise InputError(path, f"[method] needs '{k}' (a number ≥ 0)")
    for k in ints:
        if not isinstance(m.get(k), int) or isinstance(m.get(k), bool) or m[k] < 1:
            raise InputError(path, f"[method] needs '{k}' (a whole number ≥ 1)")
    if not m["overlapping"] <= m["same"]:
        raise InputError(path, "[method] 'overlapping' must not be above 'same'")
    return Method(m["name"], m["version"], *(float(m[k]) for k in floats), *(int(m[k]) for k in ints), path)


@dataclass(frozen=True)
class Link:
    a: ItemRef
    b: ItemRef
    relation: str
    score: float
    terms: tuple[str, ...]  # the shared terms, heaviest first, as the words of item a
    entities: tuple[str, ...]  # the shared catalogued entities
    topics: tuple[str, ...]  # the topics both are typed with
    cue: str | None = None  # for a contradiction: what pushes the two items apart


@dataclass(frozen=True)
class Comparison:
    score: float
    shared_terms: list[tuple[float, str]]
    shared_entities: list[str]
    shared_topics: list[str]
    cue: str | None


def vector(it: ItemFeatures, w: Weights) -> tuple[dict[str, float], float]:
    """An item's weighted terms and entities, and the vector's length."""
    v = {t: w(t, it.lemmas.get(t)) * m for t, m in it.terms.items()}
    v.update({"@" + e: w("@" + e) for e in it.entities})
    return v, math.sqrt(sum(x * x for x in v.values()))


def compare(x: ItemFeatures, y: ItemFeatures, w: Weights, method: Method,
            vectors: tuple[tuple[dict, float], tuple[dict, float]] | None = None) -> Comparison:
    """Weighted cosine over terms and entities, with the evidence behind it; `vectors` are x's and y's, when the
    caller compares each item many times and has them already."""
    (vx, nx), (vy, ny) = vectors or (vector(x, w), vector(y, w))
    shared = [(vx[k] * vy[k], k) for k in vx.keys() & vy.keys()]
    overlap = sum(s for s, _ in shared)
    score = _score(overlap, nx, ny)
    topics = sorted(x.topics & y.topics)  # evidence only: a penalty for disjoint topics did not help (dev pairs)
    terms = sorted(((s, k) for s, k in shared if not k.startswith("@")), key=lambda p: (-p[0], p[1]))
    entities = sorted(k[1:] for _, k in shared if k.startswith("@"))
    return Comparison(score, terms, entities, topics, _contradiction(x, y, w, method, [k for _, k in terms]))


def _pair_score(x: tuple[dict[str, float], float], y: tuple[dict[str, float], float]) -> float:
    """compare's score alone, from the two vectors."""
    (vx, nx), (vy, ny) = x, y
    if len(vy) < len(vx):
        vx, vy = vy, vx
    return _score(sum(v * vy[k] for k, v in vx.items() if k in vy), nx, ny)


def _score(overlap: float, nx: float, ny: float) -> float:
    """The mean of the cosine and of how much of the shorter item the other covers: a short promise wholly taken
    up in a long measure is a link, though their cosine is low (on the dev pairs: precision 0.76 at recall 0.76
    against 0.74 at 0.74 for the cosine alone)."""
    if not nx or not ny:
        return 0.0
    cosine = overlap / (nx * ny)
    containment = min(1.0, overlap / min(nx, ny) ** 2)
    return 0.5 * cosine + 0.5 * containment


def _contradiction(x: ItemFeatures, y: ItemFeatures, w: Weights, method: Method, shared: list[str]) -> str | None:
    for t in shared:
        if w.relative(t, x.lemmas.get(t)) < method.cue_weight:
            continue
        sx, sy = x.signs.get(t), y.signs.get(t)
        if sx and sy and sx != sy:
            return f"«{x.cues[t]} … {x.surfaces[t]}» / «{y.cues[t]} … {y.surfaces[t]}»"
    if x.percents and y.percents and not x.percents & y.percents and any(
            w.relative(t, x.lemmas.get(t)) >= method.cue_weight for t in shared):
        return f"{', '.join(sorted(x.percents))} % / {', '.join(sorted(y.percents))} %"
    return None


def classify(c: Comparison, method: Method) -> str | None:
    if c.cue and c.score >= method.contradicting:
        return "contradicting"
    if c.score >= method.same:
        return "same"
    if c.score >= method.overlapping:
        return "overlapping"
    return None


def blocking_keys(it: ItemFeatures, w: Weights, method: Method) -> list[str]:
    """The keys an item is blocked by: its rarest terms and entities, and every term it pushes one way (so that
    opposite positions on a term meet)."""
    ks = [(w(t, it.lemmas.get(t)) * m, t) for t, m in it.terms.items()] + [(w("@" + e), "@" + e) for e in it.entities]
    top = [k for _, k in sorted(ks, key=lambda p: (-p[0], p[1]))[: method.keys_per_item]]
    top += sorted(t for t in it.signs if w.relative(t, it.lemmas.get(t)) >= method.cue_weight and t not in top)
    return top


@dataclass(frozen=True)
class Side:
    """What linking needs of one document's items: their vectors, and the items each blocking key holds. Made once
    per document however many documents it is linked with (made per pair, they were half of linking's time)."""

    vectors: list[tuple[dict[str, float], float]]
    postings: dict[str, list[int]]


def side(items: list[ItemFeatures], w: Weights, method: Method) -> Side:
    return Side([vector(it, w) for it in items], _postings(items, w, method))


def _postings(items: list[ItemFeatures], w: Weights, method: Method) -> dict[str, list[int]]:
    postings: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        for k in blocking_keys(it, w, method):
            postings[k].append(i)
    return postings


def pair_candidates(xs: list[ItemFeatures], ys: list[ItemFeatures], w: Weights, method: Method,
                    postings: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None) -> set[tuple[int, int]]:
    """Pairs (i, j) of an item of xs and one of ys that share a blocking key held by at most `max_postings` items
    of the two documents: the two documents alone decide, so a document added to the corpus leaves the links
    between the others as they were. `postings`: each document's (`side`), where the caller has them."""
    px, py = postings or (_postings(xs, w, method), _postings(ys, w, method))
    pairs: set[tuple[int, int]] = set()
    for k in px.keys() & py.keys():
        if len(px[k]) + len(py[k]) > method.max_postings:
            continue
        pairs.update((i, j) for i in px[k] for j in py[k])
    return pairs


def by_document(items: list[ItemFeatures], order: dict[str, int]) -> list[tuple[str, list[ItemFeatures]]]:
    """The items grouped by document, the documents ranked by `order` (oldest first), each document's items by key."""
    groups: dict[str, list[ItemFeatures]] = defaultdict(list)
    for it in items:
        groups[it.ref.document].append(it)
    ranked = sorted(groups, key=lambda d: (order.get(d, len(order)), d))
    return [(d, sorted(groups[d], key=lambda it: it.ref.key)) for d in ranked]


def candidates(items: list[ItemFeatures], w: Weights, method: Method,
               order: dict[str, int] | None = None) -> set[tuple[int, int]]:
    """Pairs (i, j) of items of different documents that are compared, as indices into `items`."""
    index = {id(it): n for n, it in enumerate(items)}
    groups = by_document(items, order or {})
    out = set()
    for a, (_, xs) in enumerate(groups):
        for _, ys in groups[a + 1:]:
            out.update(tuple(sorted((index[id(xs[i])], index[id(ys[j])]))) for i, j in pair_candidates(xs, ys, w, method))
    return out


class BestLinks:
    """The links that are among the `per_item` best of both their items (by score, then the other item), over
    links given a pair of documents at a time. A pair of documents keeps an item's best few links into the other
    (link_pair), but an item meets every other document: without a bound over the corpus its links grow with the
    number of documents, and the traces graph with its square (64 copies of the seed corpus: 1.9 million links, 38
    per pair of documents). The bound is above what any item of the seed corpus has (17), so the labelled pairs'
    links are as they were.

    Each item keeps a heap of its best links so far: a link that drops out of either item's can never be among
    the best of both, so memory is that of `per_item` links an item, not of every pair's links (which held 3.6 GiB
    at 64x). The result does not depend on the order the pairs come in."""

    def __init__(self, items: list[ItemFeatures], per_item: int) -> None:
        self._rank = {ref: n for n, ref in enumerate(sorted({it.ref for it in items}, key=str))}
        self._per_item = per_item
        self._heaps: dict[ItemRef, list[tuple[float, int, Link]]] = defaultdict(list)

    def add(self, links: list[Link]) -> None:
        for link in links:
            for end, other in ((link.a, link.b), (link.b, link.a)):
                heap = self._heaps[end]
                # an item has one link with any other, so (score, rank) never ties and links are never compared
                entry = (link.score, -self._rank[other], link)
                if len(heap) < self._per_item:
                    heapq.heappush(heap, entry)
                elif entry[:2] > heap[0][:2]:
                    heapq.heapreplace(heap, entry)

    def links(self) -> list[Link]:
        """The links kept, in the order of their items."""
        ends = Counter(link for heap in self._heaps.values() for _, _, link in heap)
        return sorted((link for link, n in ends.items() if n == 2), key=lambda l: (str(l.a), str(l.b)))


def link_pair(xs: list[ItemFeatures], ys: list[ItemFeatures], w: Weights, method: Method,
              sides: tuple[Side, Side] | None = None) -> list[Link]:
    """The links between the items of two documents, xs of the earlier: what they are depends on these two
    documents only (and the reference weights), so it can be kept per pair and reused while both are unchanged.
    `sides`: each document's `side`, where the caller links it with many."""
    sx, sy = sides or (side(xs, w, method), side(ys, w, method))
    vx, vy = sx.vectors, sy.vectors
    found: list[tuple[int, int, float, bool]] = []  # (i, j, score, contradicting)
    floor = min(method.overlapping, method.contradicting)  # below it, no relation whatever the cues
    for i, j in sorted(pair_candidates(xs, ys, w, method, (sx.postings, sy.postings))):
        if _pair_score(vx[i], vy[j]) < floor - 1e-9:  # (summed in another order than compare sums)
            continue  # most candidates: the evidence compare gathers would be thrown away
        c = compare(xs[i], ys[j], w, method, (vx[i], vy[j]))
        rel = classify(c, method)
        if rel:
            found.append((i, j, c.score, rel == "contradicting"))
    # An item keeps its best few links into the other document, so a broad item does not link to everything.
    best: dict[tuple[str, int], list[tuple[float, int, int]]] = defaultdict(list)
    for n, (i, j, score, _) in enumerate(found):
        best[("x", i)].append((-score, j, n))
        best[("y", j)].append((-score, i, n))
    keep: dict[int, int] = defaultdict(int)
    for ranked in best.values():
        for _, _, n in sorted(ranked)[: method.links_per_document]:
            keep[n] += 1
    links = []
    for n, (i, j, _, contradicting) in enumerate(found):
        if keep[n] < 2 and not contradicting:
            continue
        x, y = xs[i], ys[j]
        # compared again for the evidence: holding every candidate's shared terms was most of tracing's memory
        c = compare(x, y, w, method, (vx[i], vy[j]))
        terms = tuple(dict.fromkeys(x.surfaces[t].lower() for _, t in c.shared_terms))
        links.append(Link(x.ref, y.ref, classify(c, method), round(c.score, 4), terms, tuple(c.shared_entities),
                          tuple(c.shared_topics), c.cue))
    return sorted(links, key=lambda l: (str(l.a), str(l.b)))
