"""Mentions in a parsed document: in every item, and in the running text between them, each traced to its line."""

from __future__ import annotations

import re

from ..records import Mention, ParsedDocument, Part, Span
from ..text import join_lines_mapped, line_at
from .matcher import Matcher

_ITEM_MARK = re.compile(r"^\s*(?:[–•-])\s*")


def _innermost(parts: list[Part], line: int) -> str | None:
    best: Part | None = None
    for p in parts:
        if p.span.start <= line <= p.span.end and (best is None or p.span.end - p.span.start <= best.span.end - best.span.start):
            best = p
    return best.key if best else None


# A sentence ends at . ! or ? followed by a space and a capital, a digit, a dash or an opening quote; the paragraph's
# ends bound it too. Abbreviations such as "St." and "nr." are left whole by the capital rule only in part, so a
# sentence is also cut at MAX_SENTENCE characters around the mention.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZÆØÅ0-9«–-])")
MAX_SENTENCE = 400


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of the paragraph `text` that holds text[start:end]."""
    begin, stop = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        # "Meld. St. 9", "jf. NOU": a stop after an abbreviation does not end a sentence
        if _ABBREVIATION.search(text, max(0, m.start() - 6), m.end()):
            continue
        if m.end() <= start:
            begin = m.end()
        elif m.start() >= end:
            stop = m.end()
            break
    sentence = text[begin:stop].strip()
    if len(sentence) > MAX_SENTENCE:
        lo = max(begin, start - MAX_SENTENCE // 2)
        hi = min(stop, end + MAX_SENTENCE // 2)
        sentence = ("…" if lo > begin else "") + text[lo:hi].strip() + ("…" if hi < stop else "")
    return sentence


_ABBREVIATION = re.compile(r"(?:\b(?:St|nr|jf|bl\.a|m\.m|mv|ca|pkt|kap|Prop|Meld|Innst|f\.eks|dvs|mill|mrd|kr|Dok))\.$")


def _mentions(matcher: Matcher, numbered: list[tuple[int, str]], key_of, item: str | None, part_of) -> list[Mention]:
    text, starts = join_lines_mapped(numbered)
    if not text:
        return []
    out = []
    for k, f in enumerate(matcher.find(text), 1):
        first, last = line_at(starts, f.start), line_at(starts, max(f.start, f.end - 1))
        out.append(Mention(key_of(first, k), f.entity.id, f.surface, Span(first, last), item,
                           part_of(first), f.role, f.law_section, f.cited.id if f.cited else None,
                           None if item else sentence_around(text, f.start, f.end)))
    return out


def find_mentions(parsed: ParsedDocument, matcher: Matcher) -> list[Mention]:
    lines = parsed.lines
    parts_sorted = sorted(parsed.parts, key=lambda p: p.span.start)
    mentions: list[Mention] = []
    covered: set[int] = set()
    for item in parsed.items:
        numbered = [(n, lines[n - 1]) for n in range(item.span.start, item.span.end + 1)]
        if numbered:
            numbered[0] = (numbered[0][0], _ITEM_MARK.sub("", numbered[0][1], count=1))
        covered.update(range(item.span.start, item.span.end + 1))
        mentions += _mentions(matcher, numbered, lambda _line, k, key=item.key: f"{key}/nevner/{k}", item.key,
                              lambda _line, part=item.part: part)
    # Running text: paragraphs (runs of non-blank lines) outside the items.
    per_line: dict[int, int] = {}

    def running_key(line: int, _k: int) -> str:
        per_line[line] = per_line.get(line, 0) + 1
        return f"tekst/{line}/{per_line[line]}"

    block: list[tuple[int, str]] = []
    for n, raw in enumerate(lines + [""], 1):
        if raw.strip() and n not in covered:
            block.append((n, raw))
            continue
        if block:
            mentions += _mentions(matcher, block, running_key, None, lambda line: _innermost(parts_sorted, line))
            block = []
    return mentions
