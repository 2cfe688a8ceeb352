"""Tracing items across documents: what became of a promise, which parties share it, where they disagree.

Records in (parsed documents and their mentions), links out (traces.link.Link); the RDF lives in rdf/traces.py."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..fingerprints import folder_fingerprint
from ..records import Mention, ParsedDocument
from ..sources import SourceDoc
from .features import ItemFeatures, ItemRef, item_features
from .lexicon import Lexicon, load_lexicon
from .link import Link, Method, load_method
from .pairs import PairCache, link_corpus
from .timex import Period, find_periods, load_time_rules
from .typing import Scheme, Typed, check_examples, load_scheme, type_item
from .weights import TermCounts, Weights, count_terms, load_counts, weights_of


@dataclass
class Traces:
    items: list[ItemFeatures]
    weights: Weights
    method: Method
    lexicon: Lexicon
    links: list[Link]
    typed: dict[ItemRef, Typed]
    instruments: Scheme
    topics: Scheme
    periods: dict[ItemRef, list[Period]]
    pairs_linked: int = 0  # pairs of documents linked anew, not taken from the cache (traces.pairs)


def corpus_features(docs: list[SourceDoc], parsed: list[ParsedDocument], mentions: dict[str, list[Mention]],
                    lexicon: Lexicon, typed: dict[ItemRef, Typed] | None = None,
                    default_topic: str | None = None) -> list[ItemFeatures]:
    out = []
    for doc, p in zip(docs, parsed):
        named: dict[str, set[str]] = {}
        for m in mentions.get(doc.slug, ()):
            if m.item:
                named.setdefault(m.item, set()).add(m.entity)
        for it in p.measures:
            ref = ItemRef(doc.slug, it.key)
            topics = frozenset(typed[ref].topics) - {default_topic} if typed else frozenset()
            out.append(item_features(ref, it.text, frozenset(named.get(it.key, ())), lexicon, it.negated, topics))
    return out


def type_corpus(docs: list[SourceDoc], parsed: list[ParsedDocument], instruments: Scheme, topics: Scheme,
                lexicon: Lexicon) -> dict[ItemRef, Typed]:
    return {ItemRef(doc.slug, it.key): type_item(it.text, instruments, topics, lexicon)
            for doc, p in zip(docs, parsed) for it in p.measures}


def _schemes(mappings: Path) -> tuple[Lexicon, Scheme, Scheme]:
    lexicon = load_lexicon(mappings / "trace_lexicon.toml")
    instruments = load_scheme(mappings / "instruments.toml", "instrument", lexicon)
    topics = load_scheme(mappings / "topics.toml", "topic", lexicon)
    check_examples(instruments, topics, lexicon)
    return lexicon, instruments, topics


@functools.lru_cache(maxsize=4)
def _schemes_of(mappings: Path, fingerprint: str) -> tuple[Lexicon, Scheme, Scheme, list]:
    """The schemes and time rules once per process and version of the mappings: a worker prepares many
    documents with them."""
    return (*_schemes(mappings), load_time_rules(mappings / "time_expressions.toml"))


@dataclass(frozen=True)
class Prepared:
    """What tracing needs of one document, made from it and the mappings alone: its items typed, their features,
    the time expressions in them. Made with the document's own work, so a rebuild takes it from the cache
    (document_work) and links only the pairs it must."""
    typed: dict[ItemRef, Typed]
    features: list[ItemFeatures]
    periods: dict[ItemRef, list[Period]]


def prepare_document(doc: SourceDoc, parsed: ParsedDocument, mentions: list[Mention], mappings: Path,
                     fingerprint: str) -> Prepared:
    lexicon, instruments, topics, rules = _schemes_of(mappings, fingerprint)
    typed = type_corpus([doc], [parsed], instruments, topics, lexicon)
    features = corpus_features([doc], [parsed], {doc.slug: mentions}, lexicon, typed, topics.default)
    periods = {}
    for it in parsed.measures:
        if found := find_periods(it.text, rules, doc.plan_period, int(doc.date[:4])):
            periods[ItemRef(doc.slug, it.key)] = found
    return Prepared(typed, features, periods)


def reference_counts(prepared: list[Prepared]) -> TermCounts:
    """The documents' term counts (from each one's prepare_document), as the reference table tracing weighs terms
    by (traces.weights)."""
    return count_terms([f for one in prepared for f in one.features])


def trace_corpus(docs: list[SourceDoc], parsed: list[ParsedDocument], mentions: dict[str, list[Mention]],
                 mappings: Path, keys: dict[str, str] | None = None, cache: PairCache | None = None,
                 prepared: list[Prepared] | None = None) -> Traces:
    """Type every item and link the items of every pair of documents; with `cache` and each document's cache key
    in `keys`, a pair of unchanged documents keeps the links it had (traces.pairs). `prepared`: each document's
    prepare_document, where its own work made it already."""
    fingerprint = folder_fingerprint(mappings)
    lexicon, instruments, topics, _ = _schemes_of(mappings, fingerprint)
    method = load_method(mappings / "trace_rules.toml")
    weights = weights_of(load_counts(mappings / "trace_weights.toml"))
    if prepared is None:
        prepared = [prepare_document(d, p, mentions.get(d.slug, []), mappings, fingerprint) for d, p in zip(docs, parsed)]
    typed = {ref: t for one in prepared for ref, t in one.typed.items()}
    items = [f for one in prepared for f in one.features]
    periods = {ref: found for one in prepared for ref, found in one.periods.items()}
    order = {d.slug: n for n, d in enumerate(sorted(docs, key=lambda d: (d.date, d.slug)))}
    links, linked = link_corpus(items, weights, method, order, keys, cache)
    return Traces(items, weights, method, lexicon, links, typed, instruments, topics, periods, linked)
