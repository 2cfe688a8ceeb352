"""Dash lists ("– item") as the white paper prints them: lead-in paragraphs, items, items nested under "ved å:".

The extraction wraps items over several lines, sometimes with blank lines inside an item. A line after a blank
line continues the item when it starts in lower case (or the line before ended in a hyphen); an upper-case line
after a blank line opens a new lead-in paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..text import join_lines


@dataclass
class Block:
    kind: str  # "lead" | "item"
    lines: list[tuple[int, str]]  # (line number, raw text without the dash)

    @property
    def text(self) -> str:
        return join_lines([t for _, t in self.lines])

    @property
    def first_line(self) -> int:
        return self.lines[0][0]

    @property
    def last_line(self) -> int:
        return self.lines[-1][0]


def tokenize(region: list[tuple[int, str]], item_text: Callable[[str], str | None]) -> list[Block]:
    """Lead-in paragraphs and items; `item_text` gives the text of a line that opens an item (None otherwise)."""
    blocks: list[Block] = []
    blank_before = True
    for n, raw in region:
        if not raw.strip():
            blank_before = True
            continue
        opened = item_text(raw)
        stripped = raw.strip()
        if opened is not None:
            blocks.append(Block("item", [(n, opened)]))
        elif blocks and (not blank_before or not stripped[0].isupper() or blocks[-1].lines[-1][1].rstrip().endswith("-")):
            blocks[-1].lines.append((n, stripped))
        else:
            blocks.append(Block("lead", [(n, stripped)]))
        blank_before = False
    return blocks


@dataclass
class ListEntry:
    block: Block
    number: str
    parent_number: str | None
    lead: Block | None
    lead_index: int  # 1-based count of lead-ins in the region, 0 when none precedes


def number_items(blocks: list[Block], start: int = 0) -> list[ListEntry]:
    """Number items in order; an item ending in "ved å:" takes the items after it as children.

    A nested run ends after a child that ends with a full stop, or when an item starts with the other case than
    its siblings (the parent level's items are capitalised alike: all upper or all lower).
    """
    entries: list[ListEntry] = []
    top = start
    lead: Block | None = None
    lead_index = 0
    parent: ListEntry | None = None
    child = 0
    child_case: bool | None = None
    for b in blocks:
        if b.kind == "lead":
            lead = b
            lead_index += 1
            parent = None
            continue
        text = b.text
        upper = text[:1].isupper()
        if parent is not None:
            if child_case is None:
                child_case = upper
            if upper != child_case:
                parent = None
        if parent is not None:
            child += 1
            entries.append(ListEntry(b, f"{parent.number}.{child}", parent.number, lead, lead_index))
            if text.endswith("."):
                parent = None
            continue
        top += 1
        entry = ListEntry(b, str(top), None, lead, lead_index)
        entries.append(entry)
        if re.search(r"\bved å:\s*$", text):
            parent, child, child_case = entry, 0, None
    return entries
