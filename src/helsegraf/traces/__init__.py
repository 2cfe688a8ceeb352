"""Tracing items across documents: what became of a promise, which parties share it, where they disagree.

Records in (parsed documents and their mentions), links out (traces.link.Link); the RDF lives in rdf/traces.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..records import Mention, ParsedDocument
from ..sources import SourceDoc
from .features import ItemFeatures, ItemRef, Weights, corpus_weights, item_features
from .lexicon import Lexicon, load_lexicon
from .link import Link, Method, link, load_method


@dataclass
class Traces:
    items: list[ItemFeatures]
    weights: Weights
    method: Method
    lexicon: Lexicon
    links: list[Link]


def corpus_features(docs: list[SourceDoc], parsed: list[ParsedDocument], mentions: dict[str, list[Mention]],
                    lexicon: Lexicon) -> list[ItemFeatures]:
    out = []
    for doc, p in zip(docs, parsed):
        named: dict[str, set[str]] = {}
        for m in mentions.get(doc.slug, ()):
            if m.item:
                named.setdefault(m.item, set()).add(m.entity)
        for it in p.measures:
            out.append(item_features(ItemRef(doc.slug, it.key), it.text, frozenset(named.get(it.key, ())), lexicon,
                                     it.negated))
    return out


def trace_corpus(docs: list[SourceDoc], parsed: list[ParsedDocument], mentions: dict[str, list[Mention]],
                 mappings: Path) -> Traces:
    lexicon = load_lexicon(mappings / "trace_lexicon.toml")
    method = load_method(mappings / "trace_rules.toml")
    items = corpus_features(docs, parsed, mentions, lexicon)
    weights = corpus_weights(items)
    order = {d.slug: n for n, d in enumerate(sorted(docs, key=lambda d: (d.date, d.slug)))}
    return Traces(items, weights, method, lexicon, link(items, weights, method, order))
