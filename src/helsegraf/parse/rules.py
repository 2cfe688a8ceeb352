"""The curated rules (mappings/measure_rules.toml) that tell measure lists from other lists in running text."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..paths import MAPPINGS


@dataclass(frozen=True)
class MeasureRules:
    announce: tuple[re.Pattern, ...]
    not_measures: tuple[re.Pattern, ...]

    def announces_measures(self, lead_sentence: str) -> bool:
        s = lead_sentence.strip()
        return (
            s.endswith(":")
            and any(p.search(s) for p in self.announce)
            and not any(p.search(s) for p in self.not_measures)
        )


@lru_cache(maxsize=4)
def load_measure_rules(path: Path = MAPPINGS / "measure_rules.toml") -> MeasureRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "rules file not found") from None
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise InputError(path, f"not valid TOML: {e}", int(m.group(1)) if m else None) from None

    def compile_(pattern: str, what: str) -> re.Pattern:
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error as e:
            raise InputError(path, f"{what}: bad regular expression {pattern!r}: {e}") from None

    announce = tuple(compile_(p, "announce") for p in data.get("announce", []))
    if not announce:
        raise InputError(path, "expected at least one 'announce' pattern")
    nots = tuple(compile_(r["pattern"], "not_measures") for r in data.get("not_measures", []))
    return MeasureRules(announce, nots)
