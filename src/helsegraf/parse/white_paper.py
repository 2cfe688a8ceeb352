"""Meld. St. 9: the outline, the measures of every "Boks N.1 Regjeringen vil", and measures announced in running
text ("… regjeringen vil:" followed by dash items)."""

from __future__ import annotations

import re

from ..errors import InputError
from ..records import Item, ItemGroup, ItemKind, ParsedDocument, Part, Span
from ..sources import SourceDoc
from ..text import join_lines
from .dash_lists import Block, ListEntry, number_items, tokenize
from .outline import BOX_CONTINUED, SECTION, Heading, OutlineTracker
from .pages import PageMap, build_page_map, is_page_break
from .white_paper_rules import WhitePaperRules, load_white_paper_rules

FOOTNOTE = re.compile(r"^\d{1,3} [A-ZÆØÅ«]")
BOX_MAX_LINES = 300


def _box_fragment(lines: list[str], start: int, box: str, opened_at: int, path,
                  rules: WhitePaperRules) -> tuple[list[tuple[int, str]], int]:
    """Lines of one fragment of a measure box, from index `start` to the page break that ends it.

    Returns the (line number, text) pairs and the index of the first line after the fragment.
    """
    region: list[tuple[int, str]] = []
    i = start
    while i < len(lines):
        line = lines[i]
        m = BOX_CONTINUED.match(line)
        if m and f"{m.group(1)}.{m.group(2)}" == box:
            region.append((i + 1, ""))
            i += 1
            continue
        if rules.page_header(line) is not None or (is_page_break(line) and rules.item_text(line) is None):
            return region, i
        if line.startswith("Boks ") or (SECTION.match(line) and i > 0 and not lines[i - 1].strip()):
            return region, i
        if FOOTNOTE.match(line) and i > 0 and not lines[i - 1].strip():
            return region, i
        if i - start > BOX_MAX_LINES:
            break
        region.append((i + 1, line))
        i += 1
    raise InputError(
        path,
        f"Boks {box} opened at line {opened_at} never closes: expected a page break, a heading or the next box "
        f"before {'end of file' if i >= len(lines) else f'line {i + 1}'}",
        opened_at,
    )


def _paragraph_before(lines: list[str], i: int, rules: WhitePaperRules) -> tuple[str, int]:
    """The paragraph ending just above line index i (skipping blank lines), and its first line number."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    end = j
    while j >= 0 and lines[j].strip() and rules.item_text(lines[j]) is None:
        j -= 1
    return join_lines(lines[j + 1 : end + 1]), j + 2


def _last_sentence(paragraph: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", paragraph)
    return parts[-1] if parts else paragraph


def _text_list(lines: list[str], start: int, rules: WhitePaperRules) -> tuple[list[tuple[int, str]], int]:
    """A dash list in running text: items and their wrapped lines until body text resumes."""
    region: list[tuple[int, str]] = []
    i = start
    blank = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            blank = True
            region.append((i + 1, ""))
            i += 1
            continue
        if rules.item_text(line) is None:
            if rules.page_header(line) is not None or is_page_break(line) or FOOTNOTE.match(stripped):
                break
            if blank and not stripped[0].islower():
                break
        region.append((i + 1, line))
        blank = False
        i += 1
    while region and not region[-1][1].strip():
        region.pop()
    return region, i


def parse(doc: SourceDoc, lines: list[str], rules: WhitePaperRules | None = None) -> ParsedDocument:
    rules = rules or load_white_paper_rules()
    pages = build_page_map(lines, rules.page_header)
    tracker = OutlineTracker(lines, is_furniture=lambda line: rules.page_header(line) is not None)
    headings: list[Heading] = []
    box_fragments: dict[str, list[list[tuple[int, str]]]] = {}
    box_opened: dict[str, int] = {}
    text_lists: list[tuple[str | None, list[tuple[int, str]], str]] = []
    current_section: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        h = tracker.heading_at(lines, i)
        if h is not None:
            headings.append(h)
            if h.kind in ("chapter", "section"):
                current_section = h.number
            if h.kind == "box" and rules.is_measure_box(h.title):
                box_opened[h.number] = h.line
                frag, i = _box_fragment(lines, h.last_line, h.number, h.line, doc.path, rules)
                box_fragments[h.number] = [frag]
                continue
            i = h.last_line
            continue
        m = BOX_CONTINUED.match(line)
        if m and f"{m.group(1)}.{m.group(2)}" in box_fragments:
            number = f"{m.group(1)}.{m.group(2)}"
            frag, i = _box_fragment(lines, i, number, i + 1, doc.path, rules)
            box_fragments[number].append(frag)
            continue
        if rules.item_text(line) is not None:
            paragraph, _ = _paragraph_before(lines, i, rules)
            lead = _last_sentence(paragraph)
            region, end = _text_list(lines, i, rules)
            if rules.announces_measures(lead):
                text_lists.append((current_section, region, lead))
            i = max(end, i + 1)
            continue
        i += 1

    parts = _parts(headings, len(lines))
    for part in parts:
        page, status = pages.page_of(part.span.start)
        part.span = Span(part.span.start, part.span.end, page, status)
    groups: list[ItemGroup] = []
    items: list[Item] = []
    for number, frags in box_fragments.items():
        _box_items(doc, number, frags, box_opened[number], pages, groups, items, rules)
    per_section: dict[str, int] = {}
    for section, region, lead in text_lists:
        part_key = _section_key(section)
        first = region[0][0]
        _, lead_line = _paragraph_before(lines, first - 1, rules)
        group_key = f"{part_key}/innledning-{sum(1 for g in groups if g.part == part_key) + 1}"
        groups.append(ItemGroup(group_key, lead, pages_span(lead_line, first - 1, pages), part_key))
        entries = number_items(tokenize(region, rules.item_text), start=per_section.get(part_key, 0))
        where = f"Avsnitt {section}" if section else "Innledning"
        for e in entries:
            if e.parent_number is None:
                per_section[part_key] = int(e.number)
            items.append(_item(ItemKind.ANNOUNCED_MEASURE, part_key, where, e, group_key, pages))
    items.sort(key=lambda it: it.span.start)
    for n, it in enumerate(items, 1):
        it.order = n
    title = join_lines([lines[k] for k in range(min(len(lines), 8)) if lines[k].strip()][:2])
    return ParsedDocument(doc.slug, lines, title or None, parts, groups, items)


def _item(kind: ItemKind, part_key: str, where: str, e: ListEntry, group_key: str | None, pages: PageMap) -> Item:
    return Item(
        kind=kind,
        key=f"{part_key}/{e.number}",
        number=e.number,
        text=e.block.text,
        span=_span(e.block, pages),
        locator=f"{where}, punkt {e.number}",
        part=part_key,
        group=group_key,
        parent=f"{part_key}/{e.parent_number}" if e.parent_number else None,
    )


def _box_items(doc: SourceDoc, number: str, frags: list[list[tuple[int, str]]], opened_at: int, pages: PageMap,
               groups: list[ItemGroup], items: list[Item], rules: WhitePaperRules) -> None:
    """The measures of one box, its fragments read as one list so numbering runs on across "forts."."""
    region: list[tuple[int, str]] = []
    for frag in frags:
        region.extend(frag)
        region.append((frag[-1][0] if frag else 0, ""))
    entries = number_items(tokenize(region, rules.item_text))
    if not entries:
        raise InputError(doc.path, f"Boks {number} has no dash items", opened_at)
    part_key = f"boks-{number}"
    seen_leads: set[int] = set()
    for e in entries:
        group_key = None
        if e.lead is not None:
            group_key = f"{part_key}/innledning-{e.lead_index}"
            if e.lead_index not in seen_leads:
                seen_leads.add(e.lead_index)
                groups.append(ItemGroup(group_key, e.lead.text, _span(e.lead, pages), part_key))
        items.append(_item(ItemKind.BOX_MEASURE, part_key, f"Boks {number}", e, group_key, pages))


def _section_key(number: str | None) -> str:
    if number is None:
        return "innledning"
    return f"kap-{number}" if "." not in number else f"avsnitt-{number}"


def pages_span(start: int, end: int, pages: PageMap) -> Span:
    page, status = pages.page_of(start)
    return Span(start, max(start, end), page, status)


def _span(block: Block, pages: PageMap) -> Span:
    return pages_span(block.first_line, block.last_line, pages)


def _depth(h: Heading) -> int:
    return {"chapter": 0, "box": 99}.get(h.kind, h.number.count("."))


def _parts(headings: list[Heading], n_lines: int) -> list[Part]:
    """Parts with line spans. A box runs to the next heading; a chapter or section runs to the next chapter or
    section at its own level or above (boxes inside it do not end it)."""
    parts: list[Part] = []
    chapter_key: str | None = None
    stack: list[tuple[int, str]] = []  # (depth, key) of the open sections
    for idx, h in enumerate(headings):
        depth = _depth(h)
        if h.kind == "chapter":
            key, parent, chapter_key, stack = f"kap-{h.number}", None, f"kap-{h.number}", []
        elif h.kind == "section":
            key = f"avsnitt-{h.number}"
            while stack and stack[-1][0] >= depth:
                stack.pop()
            parent = stack[-1][1] if stack else chapter_key
            stack.append((depth, key))
        else:
            key, parent = f"boks-{h.number}", (stack[-1][1] if stack else chapter_key)
        later = headings[idx + 1 :]
        if h.kind != "box":
            later = [x for x in later if x.kind != "box" and _depth(x) <= depth]
        end = later[0].line - 1 if later else n_lines
        parts.append(Part(h.kind, key, h.title, Span(h.line, end), h.number, parent))
    return parts
