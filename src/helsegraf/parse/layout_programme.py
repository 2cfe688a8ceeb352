"""Programmes and platforms read from their layout (a PDF's positioned lines): headings, lead-ins, pledges.

The genre's rules — list markers, enumerations, lead-ins in bokmål and nynorsk — come from
mappings/pledge_rules.toml; what this module knows is layout: a heading is set larger than the text, a list item
opens with a marker and its wrapped lines hang indented under it, an item goes on over a column or page break
when the next column opens without a marker and mid-sentence, and a paragraph set flush with the marker after an
item (an explanation) ends the list. A list is a list of pledges when a lead-in ("Venstre vil:", "For å … vil
Arbeiderpartiet:", "Regjeringa vil:") stands just before it; other lists are kept as text items.

What it saw and what it made of it is counted in a Coverage, so a build can say what was missed.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ..layout.pdf import Line, Page
from ..records import Item, ItemGroup, ItemKind, PageStatus, ParsedDocument, Part, Span
from ..text import join_lines, slugify
from .pledge_rules import PledgeRules, load_pledge_rules

HEADING_RATIO = 1.12  # a line this much larger than the body text is a heading
BOLD_HEADING_RATIO = 1.05  # a bold line needs less: KrF sets its section headings bold at 1.12 times the text
PARAGRAPH_GAP = 1.6  # a vertical gap this many line heights wide starts a new paragraph
INDENT = 2.0  # points: a line this far right of its item's marker hangs under it
SENTENCE_END = (".", "!", "?", ":", ";")
NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")


@dataclass
class Coverage:
    """What the parser saw in a document and what it made of it."""

    lines: int = 0
    headings: int = 0
    markers: int = 0  # lines opening with a list marker or an enumeration
    lead_ins: int = 0
    lead_ins_without_items: list[str] = field(default_factory=list)  # a lead-in no list followed: pledges missed
    items: int = 0
    commitments: int = 0
    text_items: int = 0
    refused_lists: list[str] = field(default_factory=list)  # lists after a not-pledges line (sources, dissent)
    lists_by_siblings: list[str] = field(default_factory=list)  # sections read as pledges by their siblings

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def parse_layout(doc, pages: list[Page], rules: PledgeRules | None = None) -> tuple[ParsedDocument, Coverage]:
    rules = rules or load_pledge_rules()
    lines = [ln for p in pages for ln in p.text_lines()]
    texts = [ln.text for ln in lines]
    cov = Coverage(lines=len(lines))
    body = statistics.median([ln.size for ln in lines]) if lines else 0.0

    def styled(ln: Line) -> bool:
        s = ln.text
        larger = ln.size >= body * (BOLD_HEADING_RATIO if ln.bold else HEADING_RATIO)
        return larger and len(s) <= 120 and rules.item_text(s) is None and rules.lead_in(s) is None

    def wraps(k: int) -> bool:
        """Line k is a heading's first line that goes on below it ("Kommunale helsetjenester," / "legevakt og …")."""
        return (k + 1 < len(lines) and styled(lines[k]) and styled(lines[k + 1]) and lines[k + 1].size == lines[k].size
                and _same_flow(lines[k], lines[k + 1]) and lines[k + 1].y0 - lines[k].y1 < lines[k].size)

    heading_line = [styled(ln) and not ln.text.endswith((".", ",", ";")) for ln in lines]
    heading_line = [h or wraps(k) for k, h in enumerate(heading_line)]

    def is_heading(ln: Line) -> bool:
        return heading_line[index[id(ln)]]

    index = {id(ln): k for k, ln in enumerate(lines)}
    parts: list[Part] = []
    groups: list[ItemGroup] = []
    items: list[Item] = []
    open_parts: list[tuple[float, str]] = []  # (size, key) of the headings enclosing the current line
    used: dict[str, int] = {}
    paragraph: list[int] = []  # indexes of the lines of the paragraph before the current line
    group: ItemGroup | None = None
    group_kind = ItemKind.TEXT_ITEM
    group_negated = False
    numbers: dict[str | None, int] = {}
    heading_led: set[str] = set()  # lists with no lead-in that open their section
    i = 0
    while i < len(lines):
        ln = lines[i]
        if is_heading(ln):
            j = i + 1  # a heading set over two lines
            while j < len(lines) and (is_heading(lines[j]) or wraps(j - 1)) and lines[j].size == ln.size \
                    and _same_flow(lines[j - 1], lines[j]) and lines[j].y0 - lines[j - 1].y1 < ln.size:
                j += 1
            heading = join_lines(texts[i:j])
            # "4 Helse og omsorg": the number and the title apart, as the white paper's chapters have them
            number, title = NUMBERED.match(heading).groups() if NUMBERED.match(heading) else (None, heading)
            key = slugify(heading)
            used[key] = used.get(key, 0) + 1
            if used[key] > 1:
                key = f"{key}-{used[key]}"
            while open_parts and open_parts[-1][0] <= ln.size:
                open_parts.pop()
            parent = open_parts[-1][1] if open_parts else None
            parts.append(Part("heading", key, title, _span(lines, i, j - 1), number, parent))
            open_parts.append((ln.size, key))
            cov.headings += 1
            _note_unused_lead_in(paragraph, texts, rules, cov)
            paragraph, group = [], None
            i = j
            continue
        marked = rules.item_text(ln.text)
        if marked is not None:
            cov.markers += 1
            if group is None:
                _note_unused_lead_in(paragraph[:-1], texts, rules, cov)
                intro = join_lines([texts[k] for k in paragraph]) if paragraph else ""
                sentence = _last_sentence(intro)
                lead = rules.lead_in(sentence) if sentence else None
                if lead:
                    cov.lead_ins += 1
                if sentence and rules.refuses(sentence):
                    cov.refused_lists.append(sentence)
                section = open_parts[-1][1] if open_parts else None
                n_groups = sum(1 for g in groups if g.part == section) + 1
                span = _span(lines, paragraph[-1], paragraph[-1]) if paragraph else _span(lines, i, i)
                group = ItemGroup(f"{section or 'innledning'}/liste-{n_groups}", sentence or "", span, section)
                groups.append(group)
                if not paragraph and parts and parts[-1].key == section and not lead:
                    heading_led.add(group.key)  # the list opens its section, right under the heading
                group_kind = ItemKind.COMMITMENT if lead else ItemKind.TEXT_ITEM
                group_negated = bool(lead and lead.negated)
            j, pieces, hang = i + 1, [marked], ln.x0 + INDENT
            while j < len(lines) and _continues(lines[j - 1], lines[j], hang, pieces[-1], rules, is_heading):
                if not _same_flow(lines[j - 1], lines[j]):
                    hang = lines[j].x0 - 0.5  # the item's lines hang at this left edge in its new column
                pieces.append(texts[j])
                j += 1
            section = group.part
            numbers[section] = numbers.get(section, 0) + 1
            n = numbers[section]
            where = next((p.title for p in parts if p.key == section), None) or doc.short_title
            items.append(Item(kind=group_kind, key=f"{section or 'innledning'}/{n}", number=str(n),
                              text=join_lines(pieces), span=_span(lines, i, j - 1), locator=f"{where}, punkt {n}",
                              part=section, group=group.key, negated=group_negated))
            cov.items += 1
            paragraph = []
            i = j
            continue
        # A line of running text: it ends any list, and belongs to the paragraph that may introduce the next.
        if group is not None:
            group = None
            paragraph = []
        if paragraph and not (_same_flow(lines[paragraph[-1]], ln)
                              and ln.y0 - lines[paragraph[-1]].y0 < PARAGRAPH_GAP * max(ln.size, 1)):
            _note_unused_lead_in(paragraph, texts, rules, cov)
            paragraph = []
        paragraph.append(i)
        i += 1
    if group is None:  # a lead-in in the document's last paragraph, with no list after it
        _note_unused_lead_in(paragraph, texts, rules, cov)
    cov.lists_by_siblings = _pledges_by_siblings(parts, groups, items, heading_led)
    for k, it in enumerate(items, 1):
        it.order = k
    cov.commitments = sum(1 for it in items if it.kind is ItemKind.COMMITMENT)
    cov.text_items = sum(1 for it in items if it.kind is ItemKind.TEXT_ITEM)
    title = next((p.title for p in parts), None)
    _close_parts(parts, len(lines))
    return ParsedDocument(doc.slug, texts, title, parts, groups, items, cov.as_dict()), cov


def _note_unused_lead_in(paragraph: list[int], texts: list[str], rules: PledgeRules, cov: Coverage) -> None:
    """A lead-in that no list follows — a line of its own, or the paragraph's last sentence — means pledges that
    were not read as items (a list whose markers the rules do not know): the coverage says where."""
    found = [k for k in paragraph if rules.lead_in(texts[k])]
    sentence = _last_sentence(join_lines([texts[k] for k in paragraph])) if paragraph else ""
    if not found and sentence and rules.lead_in(sentence):
        found = [paragraph[-1]]
    cov.lead_ins_without_items += [f"line {k + 1}: {texts[k]}" for k in found]


def _pledges_by_siblings(parts: list[Part], groups: list[ItemGroup], items: list[Item],
                         heading_led: set[str]) -> list[str]:
    """A section that opens with a list and no lead-in, among sibling sections (the same parent heading) of which
    at least two hold pledge lists, holds pledges too: a programme that writes "MDG vil:" over five of six sections
    of its solutions does not mean the sixth as description. Returns the sections so read (they are reported)."""
    parent = {p.key: p.parent for p in parts}
    pledge_sections = {g.part for g in groups for it in items if it.group == g.key and it.kind is ItemKind.COMMITMENT}
    taken = []
    for g in groups:
        if g.key not in heading_led or g.part is None:
            continue
        siblings = {k for k, v in parent.items() if v == parent.get(g.part) and k != g.part}
        if len(siblings & pledge_sections) >= 2:
            for it in items:
                if it.group == g.key:
                    it.kind = ItemKind.COMMITMENT
            taken.append(g.part)
    return taken


def _same_flow(a: Line, b: Line) -> bool:
    return a.page == b.page and a.column == b.column


def _continues(prev: Line, nxt: Line, hang: float, last_text: str, rules: PledgeRules, is_heading) -> bool:
    """Whether `nxt` goes on with the item whose last line is `prev` and whose wrapped lines start right of `hang`."""
    if rules.item_text(nxt.text) is not None or is_heading(nxt) or rules.lead_in(nxt.text):
        return False
    if _same_flow(prev, nxt):
        # Wrapped lines hang indented under the marker, one line height below the line before.
        return nxt.x0 > hang and nxt.y0 - prev.y0 < PARAGRAPH_GAP * max(prev.size, 1)
    # Over a column or page break: the item goes on when it stopped mid-sentence, or the new column opens lower case.
    return not last_text.rstrip().endswith(SENTENCE_END) or nxt.text[:1].islower()


def _last_sentence(text: str) -> str:
    """The sentence a list hangs from: "… tjenestene. Venstre vil:" -> "Venstre vil:"."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])", text.strip())
    return parts[-1] if parts else ""


def _span(lines: list[Line], first: int, last: int) -> Span:
    """Lines first..last of the extracted text; the page is the one printed on the PDF page where it has one."""
    ln = lines[first]
    printed = int(ln.printed) if ln.printed and ln.printed.isdigit() else None
    return Span(first + 1, last + 1, printed, PageStatus.STATED if printed is not None else None, ln.page)


def _close_parts(parts: list[Part], n_lines: int) -> None:
    for a, b in zip(parts, parts[1:] + [None]):
        end = (b.span.start - 1) if b else n_lines
        a.span = Span(a.span.start, max(a.span.start, end), a.span.page, a.span.page_status, a.span.pdf_page)
