"""A minister's speech: the plan's main moves ("seks hovedgrep … Vi presenterer:"), the other lists of pledges
("Det handler om tre spor:", "Det er tre ting vi skal oppnå:") and any other lists, kept as text. Which is which is
said by the genre's rules (mappings/speech_rules.toml)."""

from __future__ import annotations

import re

from ..errors import InputError
from ..records import Item, ItemGroup, ItemKind, ParsedDocument, Part, Span
from ..sources import SourceDoc
from ..text import join_lines
from .bullets import BULLET, read_bullet
from .speech_rules import SpeechRules, load_speech_rules

SEPARATOR = re.compile(r"^\s*\*{3}\s*$")


def parse(doc: SourceDoc, lines: list[str], rules: SpeechRules | None = None) -> ParsedDocument:
    rules = rules or load_speech_rules()
    nonblank = [ln.strip() for ln in lines if ln.strip()]
    title = join_lines(nonblank[:2]) if nonblank else None
    parts: list[Part] = []
    groups: list[ItemGroup] = []
    items: list[Item] = []
    part_no = 1
    parts.append(Part("heading", "del-1", "Del 1", Span(1, 1)))
    recent: list[tuple[int, str]] = []  # the last two non-bullet lines, to find what introduced a list
    list_no = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if SEPARATOR.match(line):
            part_no += 1
            parts.append(Part("heading", f"del-{part_no}", f"Del {part_no}", Span(i + 1, i + 1)))
            i += 1
            continue
        if BULLET.match(line):
            list_no += 1
            intro_line, intro = recent[-1] if recent else (i + 1, "")
            context = " ".join(t for _, t in recent[-2:])
            is_main = rules.names_main_moves(context) and not any(it.kind is ItemKind.MAIN_MOVE for it in items)
            kind = (ItemKind.MAIN_MOVE if is_main
                    else ItemKind.SPEECH_PLEDGE if rules.leads_pledges(intro) else ItemKind.TEXT_ITEM)
            base = "hovedgrep" if is_main else f"liste-{list_no}"
            group_key = f"{base}/innledning"
            groups.append(ItemGroup(group_key, intro, Span(intro_line, intro_line), f"del-{part_no}"))
            n = 0
            while i < len(lines) and (BULLET.match(lines[i]) or not lines[i].strip()):
                if not lines[i].strip():
                    nxt = next((k for k in range(i, len(lines)) if lines[k].strip()), None)
                    if nxt is None or not BULLET.match(lines[nxt]):
                        break
                    i = nxt
                b, i = read_bullet(lines, i)
                n += 1
                items.append(
                    Item(
                        kind=kind,
                        key=f"{base}/{n}",
                        number=str(n),
                        text=b.text.rstrip(",").rstrip(),
                        span=Span(b.start, b.end),
                        locator=("Hovedgrep" if is_main else f"Liste {list_no}") + f", punkt {n}",
                        part=f"del-{part_no}",
                        group=group_key,
                    )
                )
            continue
        if line.strip():
            recent.append((i + 1, line.strip()))
            recent = recent[-2:]
        i += 1
    if not any(it.kind is ItemKind.MAIN_MOVE for it in items):
        raise InputError(doc.path, "the list of the plan's main moves (a bullet list after a paragraph naming 'hovedgrep') was not found")
    for n, it in enumerate(items, 1):
        it.order = n
    for a, b in zip(parts, parts[1:] + [None]):
        a.span = Span(a.span.start, (b.span.start - 1) if b else len(lines))
    # The speech's parts have no headings; name each by how it opens, so that an outline can be read.
    title_lines = {ln for ln in nonblank[:2]}
    for p in parts:
        opening = next((ln.strip() for ln in lines[p.span.start - 1:p.span.end]
                        if ln.strip() and not SEPARATOR.match(ln) and ln.strip() not in title_lines), "")
        if opening:
            p.title = f"{p.title}: {_first_words(opening)}"
    return ParsedDocument(doc.slug, lines, title, parts, groups, items)


def _first_words(text: str, limit: int = 70) -> str:
    """The first sentence, or the first words of it that fit the limit."""
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
