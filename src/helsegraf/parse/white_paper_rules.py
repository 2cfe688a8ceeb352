"""The genre rules of white papers (mappings/white_paper_rules.toml): measure box titles, item markers, running
headers and the sentences that announce measures in running text, as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import mappings_dir
from .rule_files import item_opener, load_rule_file, pattern_rows


@dataclass(frozen=True)
class WhitePaperRules:
    box_titles: tuple[re.Pattern, ...]
    item: re.Pattern  # a marker opening a line; group "text" is the rest
    running_headers: tuple[re.Pattern, ...]
    announce: tuple[re.Pattern, ...]
    not_measures: tuple[re.Pattern, ...]

    def is_measure_box(self, title: str) -> bool:
        return any(p.search(title) for p in self.box_titles)

    def item_text(self, line: str) -> str | None:
        m = self.item.match(line)
        return m.group("text") if m else None

    def page_header(self, line: str) -> int | None:
        """The printed page number if the line is a running header."""
        for p in self.running_headers:
            m = p.match(line.strip())
            if m:
                return int(m.group("page"))
        return None

    def announces_measures(self, lead_sentence: str) -> bool:
        s = lead_sentence.strip()
        return (
            s.endswith(":")
            and any(p.search(s) for p in self.announce)
            and not any(p.search(s) for p in self.not_measures)
        )


def load_white_paper_rules(path: Path | None = None) -> WhitePaperRules:
    return _load_white_paper_rules(path or mappings_dir() / "white_paper_rules.toml")


@lru_cache(maxsize=4)
def _load_white_paper_rules(path: Path) -> WhitePaperRules:
    data, text = load_rule_file(path)
    return WhitePaperRules(
        box_titles=pattern_rows(path, text, data, "box_title", full=False),
        item=item_opener(path, text, data.get("markers"), indent=r"\s?", gap=r"\s+"),
        running_headers=pattern_rows(path, text, data, "running_header", full=True, group="page"),
        announce=pattern_rows(path, text, data, "announce", full=False),
        not_measures=pattern_rows(path, text, data, "not_measures", full=False, required=False),
    )
