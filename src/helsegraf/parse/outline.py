"""The white paper's outline: chapters ("3  Tittel"), numbered sections ("3.1.2 Tittel") and boxes ("Boks 3.1 …").

Numbers in running text look like headings too ("4.9. Samlokalisering …", "Boks 3.9 viser hvordan …"), so a
candidate is accepted only where it is the next number the outline can take, and only with a short title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import join_lines

CHAPTER = re.compile(r"^ ?(\d{1,2})\s{2,}(\S.*)$")
SECTION = re.compile(r"^ ?(\d{1,2}(?:\.\d{1,2}){1,3})\s+(\S.*)$")
BOX = re.compile(r"^ ?Boks (\d{1,2})\.(\d{1,2})\s+(\S.*)$")
BOX_CONTINUED = re.compile(r"^ ?Boks (\d{1,2})\.(\d{1,2}) forts\.\s*$")
MAX_TITLE_LINES = 4


@dataclass
class Heading:
    kind: str  # chapter | section | box
    number: str
    title: str
    line: int  # 1-based line of the heading
    last_line: int  # last line of its title


def title_block(lines: list[str], i: int, first: str) -> tuple[str, int]:
    """The heading's title: the first line, plus the lines after it while a line ends open (trailing space or '-').

    The extraction leaves a trailing space where a heading wrapped, which tells a wrapped title from the body text
    that follows a box heading without a blank line. One blank line inside a wrapped title is allowed.
    """
    parts = [first]
    j = i
    current = lines[i]
    while (current.endswith((" ", "-")) and len(parts) < MAX_TITLE_LINES) and j + 1 < len(lines):
        k = j + 1
        if not lines[k].strip() and k + 1 < len(lines) and lines[k + 1].strip():
            k += 1
        nxt = lines[k]
        if not nxt.strip() or BOX.match(nxt) or SECTION.match(nxt):
            break
        parts.append(nxt)
        j = k
        current = nxt
    return join_lines(parts), j + 1


def _successors(path: list[int]) -> set[tuple[int, ...]]:
    succ = {tuple(path + [1])}
    for k in range(2, len(path) + 1):  # k == 1 would be the next chapter, which has a heading form of its own
        succ.add(tuple(path[: k - 1] + [path[k - 1] + 1]))
    return succ


class OutlineTracker:
    """Feeds on lines in order and says which ones are headings."""

    def __init__(self) -> None:
        self.chapter = 0
        self.path: list[int] = []
        self.box_in_chapter = 0

    def heading_at(self, lines: list[str], i: int) -> Heading | None:
        line = lines[i]
        prev_blank = i == 0 or not lines[i - 1].strip() or line.startswith(" ")
        m = BOX.match(line)
        if m and not BOX_CONTINUED.match(line):
            ch, n = int(m.group(1)), int(m.group(2))
            if ch == self.chapter and n == self.box_in_chapter + 1 and prev_blank:
                title, last = title_block(lines, i, m.group(3))
                if len(title) <= 160 and not _reads_as_sentence(m.group(3)):
                    self.box_in_chapter = n
                    return Heading("box", f"{ch}.{n}", title, i + 1, last)
            return None
        m = CHAPTER.match(line)
        if m and int(m.group(1)) == self.chapter + 1 and prev_blank:
            title, last = title_block(lines, i, m.group(2))
            if len(title) <= 150:
                self.chapter = int(m.group(1))
                self.path = [self.chapter]
                self.box_in_chapter = 0
                return Heading("chapter", str(self.chapter), title, i + 1, last)
        m = SECTION.match(line)
        if m and prev_blank and not m.group(1).endswith("."):
            nums = [int(x) for x in m.group(1).split(".")]
            if self.path and tuple(nums) in _successors(self.path) and nums[0] == self.chapter:
                title, last = title_block(lines, i, m.group(2))
                if len(title) <= 150 and not title.endswith("."):
                    self.path = nums
                    return Heading("section", m.group(1), title, i + 1, last)
        return None


def _reads_as_sentence(title_start: str) -> bool:
    """'Boks 3.9 viser hvordan …' is a reference in running text, not a box heading."""
    first = title_start.split()[0] if title_start.split() else ""
    return first in {"viser", "gir", "illustrerer", "beskriver", "omtaler", "oppsummerer"}
