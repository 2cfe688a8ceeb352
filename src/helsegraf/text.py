"""Re-joining text that the PDF extraction wrapped, without losing the hyphens that are real."""

from __future__ import annotations

import re
import unicodedata

# A line ending in "helse-" followed by "og omsorg…" is a suspended compound ("helse- og omsorgstjenesten"):
# the hyphen and the space both stay.
_SUSPENDED_NEXT = re.compile(r"^(og|eller|og/eller|samt|til|,)\b", re.IGNORECASE)
_WS = re.compile(r"\s+")
_SOFT_HYPHEN = "\u00ad"


def _keeps_hyphen(before: str, after: str) -> bool:
    """Whether "before-" + "after" is a real hyphenated word rather than a word split at the line end."""
    word = re.split(r"[\s(«\"/]", before)[-1]
    stem = word[:-1]
    if not stem or not after:
        return True
    if not after[0].isalpha() or after[0].isupper():
        return True  # "ABIOK-\nSykepleiere", "2024-\n2027" stay as written
    if any(c.isdigit() for c in stem):
        return True  # "LIS1-stillinger"
    if len(stem) == 1 or stem.isupper():
        return True  # "e-helse", "IKT-satsing", "FACT-team"
    if "-" in stem[:-1] and stem.split("-")[-1] == "":
        return True
    return False


def join_lines_mapped(lines: list[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """Join (line number, text) pairs like join_lines, and say where each line starts in the result.

    Returns the text and a list of (offset, line number), so a match at an offset can be traced to its line.
    """
    parts: list[str] = []  # pieces of the result; the last one is the line being extended
    length = 0
    starts: list[tuple[int, int]] = []
    for number, raw in lines:
        line = _WS.sub(" ", raw.replace(_SOFT_HYPHEN, "")).strip()
        if not line:
            continue
        if parts:
            last = parts[-1]
            if last.endswith("-") and len(last) > 1 and last[-2].isalnum():
                if _SUSPENDED_NEXT.match(line):
                    parts.append(" ")
                elif not _keeps_hyphen(last, line):
                    parts[-1] = last[:-1]
                    length -= 1
            else:
                parts.append(" ")
            length += len(parts[-1]) if parts[-1] == " " else 0
        starts.append((length, number))
        parts.append(line)
        length += len(line)
    out = "".join(parts)
    # NFC keeps offsets: the texts are already composed (checked by tests/test_text.py).
    return unicodedata.normalize("NFC", out), starts


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines into one clean string: de-hyphenate, keep real hyphens, fold white space."""
    return join_lines_mapped([(0, line) for line in lines])[0]


def line_at(starts: list[tuple[int, int]], offset: int) -> int:
    """The line number an offset of a joined text falls on."""
    line = starts[0][1]
    for start, number in starts:
        if start > offset:
            break
        line = number
    return line


def slugify(text: str, max_words: int = 8) -> str:
    """A readable ASCII slug for IRIs: "Primærhelse og samhandling" -> "primaerhelse-og-samhandling"."""
    t = text.lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "a"), ("é", "e"), ("ü", "u"), ("ö", "o"), ("ä", "a")):
        t = t.replace(a, b)
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", t)
    return "-".join(words[:max_words]) or "x"
