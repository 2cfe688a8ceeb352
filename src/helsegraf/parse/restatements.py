"""Measures a document states twice: a summary section that repeats the measures of the boxes ("Regjeringen vil
... gjennomgå helseforskningsloven ..." in section 2.3.5 and again in Boks 9.1). The copy is kept where it stands,
with the key of the measure it restates, so that it is counted once and linked to the original (hg:restates).

Two measures of one document are the same when their words are the same, or when the words of the shorter are the
start of the longer and number at least MIN_PREFIX_WORDS (a summary may shorten or lengthen a measure). The
original is the box measure when only one of the two is in a box (boxes are where a white paper states its measures),
else the first in reading order."""

from __future__ import annotations

import dataclasses
import re

from ..records import Item, ItemKind, ParsedDocument

MIN_PREFIX_WORDS = 6


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.lower()))


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= MIN_PREFIX_WORDS and long_[: len(short)] == short)


def _original(a: Item, b: Item) -> tuple[Item, Item]:
    """(original, restatement)."""
    a_box, b_box = a.kind is ItemKind.BOX_MEASURE, b.kind is ItemKind.BOX_MEASURE
    if a_box != b_box:
        return (a, b) if a_box else (b, a)
    return (a, b) if a.order <= b.order else (b, a)


def mark_restatements(parsed: ParsedDocument) -> ParsedDocument:
    measures = [it for it in parsed.items if it.kind.is_measure]
    by_first: dict[str, list[tuple[Item, tuple[str, ...]]]] = {}
    for it in measures:
        w = _words(it.text)
        if w:
            by_first.setdefault(w[0], []).append((it, w))
    restates: dict[str, str] = {}
    for group in by_first.values():
        for i, (a, wa) in enumerate(group):
            for b, wb in group[i + 1:]:
                if a.part != b.part and _same(wa, wb):
                    original, copy = _original(a, b)
                    # a copy of a copy points at the first original
                    restates.setdefault(copy.key, restates.get(original.key, original.key))
    if not restates:
        return parsed
    items = [dataclasses.replace(it, restates=restates[it.key]) if it.key in restates else it for it in parsed.items]
    return dataclasses.replace(parsed, items=items)
