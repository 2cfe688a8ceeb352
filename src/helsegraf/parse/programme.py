"""Platforms and party programmes: commitment bullets under their section headings.

A bullet is a commitment when its list is introduced by the document's commitment line ("Regjeringen vil:",
"Arbeiderpartiet vil", "Helsepartiet vil:") or sits under one of the programme's topical headings named in the
manifest; "… vil ikke:" introduces commitments not to do something. Other bullets (descriptive ones before a
"vil:" line) are kept as text items.
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..records import Item, ItemGroup, ItemKind, ParsedDocument, Part, Span
from ..sources import SourceDoc
from ..text import join_lines, slugify
from .bullets import BULLET, read_bullet

DASH_ITEM = re.compile(r"^\s?[-–]\s+(\S.*)$")


def _is_heading(lines: list[str], i: int, lead: re.Pattern, topical: set[str]) -> bool:
    s = lines[i].strip()
    if s in topical:
        return True
    if not s or len(s) > 80 or BULLET.match(lines[i]) or lead.match(s):
        return False
    if not (s[0].isupper()) or s.endswith((".", ",", ";", ":")) or DASH_ITEM.match(lines[i]):
        return False
    if i > 0 and lines[i - 1].strip():
        return False
    # A wrapped prose line looks like a heading until the next line goes on in lower case.
    nxt = next((lines[k].strip() for k in range(i + 1, min(len(lines), i + 4)) if lines[k].strip()), "")
    return not nxt[:1].islower()


def parse(doc: SourceDoc, lines: list[str]) -> ParsedDocument:
    lead_text = re.escape(doc.commitment_lead or "")
    lead = re.compile(rf"^{lead_text}( ikke)?:?\s*$")
    topical = set(doc.topical_headings)
    parts: list[Part] = []
    groups: list[ItemGroup] = []
    items: list[Item] = []
    title = next((ln.strip() for ln in lines if ln.strip()), None)
    section_key: str | None = None
    section_title: str | None = None
    used: dict[str, int] = {}
    last_content: tuple[int, str] | None = None  # the last non-bullet line, which introduces a list
    numbers: dict[str | None, int] = {}
    in_list_group: str | None = None
    i = 0
    start = 1 if title else 0
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if not s:
            i += 1
            continue
        if i >= start and i != 0 and _is_heading(lines, i, lead, topical):
            title_text = join_lines([s])
            key = slugify(title_text)
            used[key] = used.get(key, 0) + 1
            if used[key] > 1:
                key = f"{key}-{used[key]}"
            parts.append(Part("heading", key, title_text, Span(i + 1, i + 1), None, None))
            section_key, section_title = key, title_text
            last_content = (i + 1, s)
            in_list_group = None
            i += 1
            continue
        bullet_match = BULLET.match(line)
        dash = DASH_ITEM.match(line) if (last_content and lead.match(last_content[1])) else None
        if bullet_match or (dash and in_list_group is None and last_content and last_content[0] == _prev_content(lines, i)):
            if dash and not bullet_match:
                b_text, b_start, b_end, nxt = join_lines([dash.group(1)]), i + 1, i + 1, i + 1
            else:
                b, nxt = read_bullet(lines, i)
                b_text, b_start, b_end = b.text, b.start, b.end
            intro = last_content[1] if last_content else ""
            lead_m = lead.match(intro)
            is_commitment = bool(lead_m) or intro in topical
            negated = bool(lead_m and lead_m.group(1))
            if in_list_group is None:
                n_groups = sum(1 for g in groups if g.part == section_key) + 1
                in_list_group = f"{section_key or 'innledning'}/liste-{n_groups}"
                groups.append(ItemGroup(in_list_group, intro, Span(last_content[0], last_content[0]) if last_content else Span(b_start, b_start), section_key))
            numbers[section_key] = numbers.get(section_key, 0) + 1
            n = numbers[section_key]
            where = section_title or doc.short_title
            items.append(
                Item(
                    kind=ItemKind.COMMITMENT if is_commitment else ItemKind.TEXT_ITEM,
                    key=f"{section_key or 'innledning'}/{n}",
                    number=str(n),
                    text=b_text,
                    span=Span(b_start, b_end),
                    locator=f"{where}, punkt {n}",
                    part=section_key,
                    group=in_list_group,
                    negated=negated,
                )
            )
            i = nxt
            continue
        last_content = (i + 1, s)
        in_list_group = None
        i += 1
    if not any(it.kind is ItemKind.COMMITMENT for it in items):
        raise InputError(doc.path, f"no commitment list found: expected a line '{doc.commitment_lead}:' followed by bullets ('• …')")
    for n, it in enumerate(items, 1):
        it.order = n
    _close_parts(parts, len(lines))
    return ParsedDocument(doc.slug, lines, title, parts, groups, items)


def _prev_content(lines: list[str], i: int) -> int:
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j + 1


def _close_parts(parts: list[Part], n_lines: int) -> None:
    for a, b in zip(parts, parts[1:] + [None]):
        end = (b.span.start - 1) if b else n_lines
        a.span = Span(a.span.start, max(a.span.start, end))
