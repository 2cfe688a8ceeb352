"""The white paper's outline: chapters ("3  Tittel"), numbered sections ("3.1.2 Tittel") and boxes ("Boks 3.1 …").

Numbers in running text look like headings too ("4.9. Samlokalisering …", "Boks 3.9 viser hvordan …"), so a
candidate is accepted only where it is the next number the outline can take, and only with a short title.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..text import join_lines

CHAPTER = re.compile(r"^ ?(\d{1,2})\s+(\S.*)$")
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
    """The heading's title: the first line, plus the lines after it while a line ends open (trailing space or '-'),
    or while the next line goes on in lower case.

    The extraction leaves a trailing space where a heading wrapped, which tells a wrapped title from the body text
    that follows a box heading without a blank line; where it does not, body text opens with a capital letter and a
    title's second line ("Boks 3.1 Regjeringen" / "vil") does not. One blank line inside a title with a trailing space
    is allowed.
    """
    parts = [first]
    j = i
    while len(parts) < MAX_TITLE_LINES and j + 1 < len(lines):
        k = j + 1
        if not lines[k].strip() and k + 1 < len(lines) and lines[k + 1].strip():
            k += 1
        nxt = lines[k]
        if not nxt.strip() or BOX.match(nxt) or SECTION.match(nxt):
            break
        if not (lines[j].endswith((" ", "-")) or (k == j + 1 and nxt[:1].islower())):
            break
        parts.append(nxt)
        j = k
    return join_lines(parts), j + 1


def _successors(path: list[int]) -> set[tuple[int, ...]]:
    succ = {tuple(path + [1])}
    for k in range(2, len(path) + 1):  # k == 1 would be the next chapter, which has a heading form of its own
        succ.add(tuple(path[: k - 1] + [path[k - 1] + 1]))
    return succ


NUMBERED_LINE = re.compile(r"^ ?(\d{1,3})\s")
TWO_SPACES = re.compile(r"^ ?\d{1,2}\s{2,}")


def _opens_block(lines: list[str], i: int, is_furniture: Callable[[str], bool]) -> bool:
    """The line starts a block: first in the file, after a blank line or a running header, or first on its page."""
    return i == 0 or not lines[i - 1].strip() or lines[i].startswith(" ") or is_furniture(lines[i - 1])


def _in_footnote_run(lines: list[str], i: int, n: int) -> bool:
    """Footnotes stand in numbered runs at the foot of a page: a line numbered n-1 or n+1 a few lines away."""
    for j in range(max(0, i - 6), min(len(lines), i + 7)):
        m = NUMBERED_LINE.match(lines[j]) if j != i else None
        if m and abs(int(m.group(1)) - n) == 1:
            return True
    return False


def chapter_headings(lines: list[str], is_furniture: Callable[[str], bool]) -> set[int]:
    """The indices of the lines that are chapter headings ("3  Tittel" or "3 Tittel").

    With one space after the number a chapter heading reads like a footnote ("3 Statistisk sentralbyrå (2017): …"),
    and footnotes reach every small number. So the whole document is looked at first: for chapter N, of the lines
    that could head it, the one with two spaces wins, then one not in a run of footnotes; and where section N.1
    follows, the last candidate before it (a footnote numbered N in chapter N-1 stands before the real heading),
    otherwise the first.
    """
    candidates: dict[int, list[tuple[int, bool, bool]]] = {}
    first_sections: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if not _opens_block(lines, i, is_furniture):
            continue
        m = SECTION.match(line)
        if m and m.group(1).count(".") == 1 and m.group(1).endswith(".1"):
            first_sections.setdefault(int(m.group(1).split(".")[0]), []).append(i)
        m = CHAPTER.match(line)
        if m:
            title, _ = title_block(lines, i, m.group(2))
            if len(title) <= 150 and not title.rstrip().endswith("."):
                n = int(m.group(1))
                candidates.setdefault(n, []).append((i, bool(TWO_SPACES.match(line)), _in_footnote_run(lines, i, n)))
    chosen: set[int] = set()
    after, n = -1, 1
    while True:
        cands = [c for c in candidates.get(n, []) if c[0] > after]
        if not cands:
            return chosen
        sections = [s for s in first_sections.get(n, []) if s > after]
        bounded = [c for c in cands if sections and c[0] < sections[0]]
        if bounded:
            best = max(bounded, key=lambda c: (c[1], not c[2], c[0]))
        else:
            # No section N.1 follows to confirm it: a line in a run of footnotes is not taken for a chapter.
            cands = [c for c in cands if c[1] or not c[2]]
            if not cands:
                return chosen
            best = max(cands, key=lambda c: (c[1], not c[2], -c[0]))
        chosen.add(best[0])
        after, n = best[0], n + 1


class OutlineTracker:
    """Feeds on lines in order and says which ones are headings."""

    def __init__(self, lines: list[str], is_furniture: Callable[[str], bool] = lambda line: False) -> None:
        # A running header may stand directly above a heading; the heading still opens its page.
        self.is_furniture = is_furniture
        self.chapters = chapter_headings(lines, is_furniture)
        self.chapter = 0
        self.path: list[int] = []
        self.box_in_chapter = 0

    def heading_at(self, lines: list[str], i: int) -> Heading | None:
        line = lines[i]
        prev_blank = i == 0 or not lines[i - 1].strip() or line.startswith(" ") or self.is_furniture(lines[i - 1])
        m = BOX.match(line)
        if m and not BOX_CONTINUED.match(line):
            ch, n = int(m.group(1)), int(m.group(2))
            # Boxes are numbered in order within their chapter, but a document may skip numbers (a box may be a
            # figure or table elsewhere); a number lower than the last one seen is a reference in running text.
            if ch == self.chapter and n > self.box_in_chapter and prev_blank:
                title, last = title_block(lines, i, m.group(3))
                if len(title) <= 160 and not _reads_as_sentence(m.group(3)):
                    self.box_in_chapter = n
                    return Heading("box", f"{ch}.{n}", title, i + 1, last)
            return None
        m = CHAPTER.match(line) if i in self.chapters else None
        if m and int(m.group(1)) == self.chapter + 1:
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
