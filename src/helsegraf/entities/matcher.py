"""Finding entity mentions in clean text: one regular expression over every label of every entity.

Labels are matched with flexible white space and dashes, a case-insensitive first letter (names only, not
abbreviations), an optional genitive -s, and whole words only. Where labels overlap, the match that starts first
wins, and of those starting at the same place the longest: "de regionale helseforetakene" before
"helseforetakene", "Helse- og omsorgsdepartementets" before anything inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalogue import Catalogue, Entity
from .roles import RoleRule, role_for

LAW_SECTION = re.compile(r"^\s*(?:\(LOV-[0-9-]+\)\s*)?(§§?\s?\d[^,.;:()]{0,40}?)(?=\s*(?:[,.;:()]|\s(?:og|der|om|som|i|skal|med)\s|$))")


def _is_abbreviation(label: str) -> bool:
    letters = [c for c in label if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(label) <= 8


def label_pattern(label: str, exact_case: bool = False) -> str:
    parts = []
    for i, ch in enumerate(label):
        if ch == " ":
            parts.append(r"\s+")
        elif ch in "–-" and i + 1 < len(label) and label[i + 1] == " " and ch == "-":
            parts.append("-")
        elif ch == "–":
            parts.append(r"\s*[–-]\s*")
        elif ch == ":":
            parts.append(r":\s*")
        elif i == 0 and ch.isalpha() and not exact_case and not _is_abbreviation(label):
            parts.append(f"[{ch.upper()}{ch.lower()}]")
        else:
            parts.append(re.escape(ch))
    pattern = "".join(parts).replace(r"\s+\s*", r"\s*").replace(r":\s*\s+", r":\s*")
    if label[-1].isalpha() and not label.endswith("s"):
        pattern += "s?"
    if label.startswith("LOV-") or label[-1].isdigit():
        pattern += r"(?!\d)"
    return pattern


@dataclass(frozen=True)
class Found:
    entity: Entity
    start: int
    end: int
    surface: str
    role: str | None
    law_section: str | None
    cited: Entity | None = None  # a miscitation: the report whose number the text gives; `entity` is the one meant


TITLE_WORDS = 4  # a title is recognised by its first words (up to this many, at least MIN_TITLE_WORDS)
MIN_TITLE_WORDS = 3


def _title_start(title: str) -> tuple[str, ...]:
    """The first words of a title's main part (before " – "), lower-cased: how a citation's title is recognised."""
    return tuple(re.findall(r"\w+", title.split(" – ")[0].lower())[:TITLE_WORDS])


def _key(text: str) -> str:
    return text[:KEY].lower()


KEY = 4  # labels are bucketed by their first characters, so each word start tries only a few patterns
WORD_START = re.compile(r"(?<![\w§-])[\w(]")


class Matcher:
    def __init__(self, catalogue: Catalogue, roles: list[RoleRule]):
        self.roles = roles
        pairs: list[tuple[str, Entity]] = []
        for e in catalogue.entities.values():
            for label in e.match_labels():
                pairs.append((label, e))
        # Longest first, so that at one position the longest label wins; ties broken by text for determinism.
        pairs.sort(key=lambda p: (-len(p[0]), p[0], p[1].id))
        self.buckets: dict[str, list[tuple[re.Pattern, Entity]]] = {}
        for label, e in pairs:
            suffix = r"(?:\s*\(LOV-[0-9-]+\))?" if e.kind == "law" and not label.startswith("LOV-") else ""
            pattern = re.compile(label_pattern(label, e.extra.get("exact_case", False)) + suffix + r"(?![\w])")
            self.buckets.setdefault(_key(label), []).append((pattern, e))
        self.key_lengths = sorted({len(k) for k in self.buckets}, reverse=True)
        # Reports by the opening words of their titles: a citation "Meld. St. 25 (2022–2023) Fellesskap og meistring"
        # whose title is another report's is a miscitation of that report.
        self.titles = [(w, e) for e in catalogue.entities.values() if e.kind == "report"
                       for w in {_title_start(t) for t in (e.extra.get("title_nb"), *e.alt) if t}
                       if len(w) >= MIN_TITLE_WORDS]
        self.excluded = {e.id: (tuple(re.compile(p) for p in e.extra.get("not_after", [])),
                                tuple(re.compile(p) for p in e.extra.get("not_before", [])))
                         for e in catalogue.entities.values() if e.extra.get("not_after") or e.extra.get("not_before")}

    def _match_at(self, text: str, pos: int) -> tuple[re.Match, Entity] | None:
        best: tuple[re.Match, Entity] | None = None
        for n in self.key_lengths:
            for pattern, e in self.buckets.get(text[pos : pos + n].lower(), ()):
                m = pattern.match(text, pos)
                if m and (best is None or m.end() > best[0].end()):
                    best = (m, e)
                    break  # the rest of this bucket is shorter
        return best

    def _meant(self, e: Entity, surface: str, after: str) -> Entity | None:
        """The report a citation by number means when the title that follows it is another report's."""
        if surface != e.extra.get("number"):
            return None
        words = tuple(re.findall(r"\w+", after.lower())[:TITLE_WORDS])
        own = [w for w, other in self.titles if other is e]
        if any(words[: len(w)] == w for w in own):
            return None
        for w, other in self.titles:
            if other is not e and words[: len(w)] == w:
                return other
        return None

    def find(self, text: str) -> list[Found]:
        found = []
        pos = 0
        for w in WORD_START.finditer(text):
            start = w.start()
            if start < pos:
                continue
            hit = self._match_at(text, start)
            if hit is None:
                continue
            m, e = hit
            end = m.end()
            if e.id in self.excluded:
                not_after, not_before = self.excluded[e.id]
                if any(p.search(text[max(0, start - 60) : start]) for p in not_after) or \
                        any(p.search(text[end : end + 60]) for p in not_before):
                    continue
            section = None
            if e.kind == "law":
                s = LAW_SECTION.match(text[end:])
                section = s.group(1).strip() if s else None
            meant = self._meant(e, m.group(0), text[end : end + 120]) if e.kind == "report" else None
            found.append(Found(meant or e, start, end, m.group(0), role_for(self.roles, e.kind, text, start, end),
                               section, e if meant else None))
            pos = end
        return found
