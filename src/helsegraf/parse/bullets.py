"""Bullet lists (" • item") in web-extracted texts, with items wrapped over several lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import join_lines

BULLET = re.compile(r"^\s*•\s*(\S.*)$")


@dataclass
class Bullet:
    start: int  # 1-based line numbers
    end: int
    text: str


def continues(prev: str, line: str) -> bool:
    """Whether a non-bullet line continues the bullet above it (wrapped by the PDF or web extraction)."""
    s = line.strip()
    if not s or BULLET.match(line):
        return False
    if s[0].islower():
        return True
    p = prev.rstrip()
    return len(p) >= 70 and not p.endswith((".", "!", "?", ":"))


def read_bullet(lines: list[str], i: int) -> tuple[Bullet, int]:
    """The bullet starting at index i and the index after it; blank lines inside a wrapped bullet are skipped."""
    m = BULLET.match(lines[i])
    assert m
    parts = [m.group(1)]
    last = i
    j = i + 1
    while j < len(lines):
        k = j
        while k < len(lines) and not lines[k].strip():
            k += 1
        # PDF extraction puts one blank line between wrapped lines; two or more end the bullet.
        if k >= len(lines) or k - j > 1 or not continues(lines[last], lines[k]):
            break
        parts.append(lines[k])
        last = k
        j = k + 1
    return Bullet(i + 1, last + 1, join_lines(parts)), last + 1
