"""Page numbers of the white paper's extracted text.

The extraction kept only a few running headers ("2023–2024 Meld. St. 9 13", "46 Meld. St. 9 2023–2024"), each on
the first line of its page. Most other page breaks show as a line indented by one space (the first line of the
next page). A line's page is stated when its page kept the header, and otherwise counted from the nearest header,
before or after, over the breaks in between (nearest, because a page with no text of its own leaves no mark and
would otherwise shift every page after it).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from ..records import PageStatus


def is_page_break(line: str) -> bool:
    """A line indented by exactly one space opens a new page, unless it is an indented bullet or a caption."""
    if not line.startswith(" ") or line.startswith("  ") or not line.strip():
        return False
    return not line.lstrip().startswith(("•", "Figur", "Tabell"))


@dataclass
class PageMap:
    breaks: list[int]  # line numbers that open a page, in order
    numbers: list[int | None]  # the page each break opens
    stated: list[bool]

    def page_of(self, line: int) -> tuple[int | None, PageStatus | None]:
        i = bisect_right(self.breaks, line) - 1
        if i < 0 or self.numbers[i] is None:
            return None, None
        return self.numbers[i], PageStatus.STATED if self.stated[i] else PageStatus.INFERRED

    def is_header_line(self, line: int) -> bool:
        i = bisect_right(self.breaks, line) - 1
        return i >= 0 and self.breaks[i] == line and self.stated[i]


def build_page_map(lines: list[str], running_header: Callable[[str], int | None]) -> PageMap:
    """`running_header` gives the printed page of a running header line (None for any other line)."""
    breaks: list[int] = []
    anchors: dict[int, int] = {}
    for n, line in enumerate(lines, 1):
        page = running_header(line)
        if page is not None:
            breaks.append(n)
            anchors[len(breaks) - 1] = page
        elif is_page_break(line) and n > 1:
            breaks.append(n)
    if not breaks or breaks[0] != 1:
        breaks.insert(0, 1)
        anchors = {k + 1: v for k, v in anchors.items()}
    numbers: list[int | None] = [None] * len(breaks)
    if anchors:
        idx = sorted(anchors)
        for i in range(len(breaks)):
            nearest = min(idx, key=lambda a: (abs(a - i), a))
            numbers[i] = anchors[nearest] + (i - nearest)
            if numbers[i] is not None and numbers[i] < 1:
                numbers[i] = None
    stated = [i in anchors for i in range(len(breaks))]
    return PageMap(breaks, numbers, stated)
