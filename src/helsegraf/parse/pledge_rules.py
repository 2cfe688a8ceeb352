"""The genre rules for pledges (mappings/pledge_rules.toml): list markers, enumerations and lead-ins as data."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..paths import MAPPINGS


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


def _compile(path: Path, pattern: str, what: str, text: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        line = next((i for i, ln in enumerate(text.splitlines(), 1) if pattern in ln), None)
        raise InputError(path, f"{what}: bad regular expression {pattern!r}: {e}", line) from None


@lru_cache(maxsize=4)
def load_pledge_rules(path: Path = MAPPINGS / "pledge_rules.toml") -> PledgeRules:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise InputError(path, "rules file not found") from None
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise InputError(path, f"not valid TOML: {e}", int(m.group(1)) if m else None) from None
    markers = data.get("markers") or []
    if not markers or not all(isinstance(m, str) and m for m in markers):
        raise InputError(path, "expected 'markers', a list of non-empty strings")
    enums = [_compile(path, e, "enumerations", text).pattern for e in data.get("enumerations", [])]
    opener = "|".join([re.escape(m) for m in sorted(markers, key=len, reverse=True)] + enums)
    item = re.compile(rf"^\s*(?:{opener})\s*(?P<text>\S.*)$")
    lead_ins = tuple(_compile(path, r["pattern"], "lead_in", text) for r in data.get("lead_in", []))
    if not lead_ins:
        raise InputError(path, "expected at least one [[lead_in]] pattern")
    for r, p in zip(data.get("lead_in", []), lead_ins):
        if "example" in r and not p.fullmatch(r["example"]):
            line = next((i for i, ln in enumerate(text.splitlines(), 1) if r["example"] in ln), None)
            raise InputError(path, f"lead_in {r['pattern']!r} does not match its own example {r['example']!r}", line)
    nots = tuple(_compile(path, r["pattern"], "not_pledges", text) for r in data.get("not_pledges", []))
    return PledgeRules(item, lead_ins, tuple(data.get("negations", [])), nots)
