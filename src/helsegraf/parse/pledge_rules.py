"""The genre rules for pledges (mappings/pledge_rules.toml): list markers, enumerations and lead-ins as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..paths import mappings_dir
from .rule_files import check_example, compile_pattern, item_opener, load_rule_file


@dataclass(frozen=True)
class LeadIn:
    negated: bool
    who: str | None


@dataclass(frozen=True)
class PledgeRules:
    item: re.Pattern  # a marker or an enumeration opening a line; group "text" is the rest
    lead_ins: tuple[re.Pattern, ...]
    negations: tuple[str, ...]
    not_pledges: tuple[re.Pattern, ...]

    def item_text(self, line: str) -> str | None:
        m = self.item.match(line)
        return m.group("text") if m else None

    def lead_in(self, text: str) -> LeadIn | None:
        """The lead-in a line or sentence is, if it is one: who will, and whether they will not."""
        s = " ".join(text.split())
        if any(p.fullmatch(s) for p in self.not_pledges):
            return None
        for p in self.lead_ins:
            m = p.fullmatch(s)
            if m:
                negated = any(re.search(rf"\b{n}\s*:$", s, re.IGNORECASE) for n in self.negations)
                return LeadIn(negated, m.groupdict().get("who"))
        return None

    def refuses(self, text: str) -> bool:
        s = " ".join(text.split())
        return any(p.fullmatch(s) or p.match(s) for p in self.not_pledges)


def load_pledge_rules(path: Path | None = None) -> PledgeRules:
    return _load_pledge_rules(path or mappings_dir() / "pledge_rules.toml")


@lru_cache(maxsize=4)
def _load_pledge_rules(path: Path) -> PledgeRules:
    data, text = load_rule_file(path)
    item = item_opener(path, text, data.get("markers"), data.get("enumerations", []))
    rows = data.get("lead_in", [])
    lead_ins = tuple(compile_pattern(path, text, r.get("pattern"), "lead_in") for r in rows)
    if not lead_ins:
        raise InputError(path, "expected at least one [[lead_in]] pattern")
    for r, p in zip(rows, lead_ins):
        check_example(path, text, p, r, "lead_in")
    nots = tuple(compile_pattern(path, text, r.get("pattern"), "not_pledges") for r in data.get("not_pledges", []))
    return PledgeRules(item, lead_ins, tuple(data.get("negations", [])), nots)
