"""The genre rules of speeches (mappings/speech_rules.toml): which bullet lists are the plan's main moves and which
are other pledges, as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import mappings_dir
from .rule_files import load_rule_file, pattern_rows


@dataclass(frozen=True)
class SpeechRules:
    main_moves: tuple[re.Pattern, ...]
    pledge_leads: tuple[re.Pattern, ...]
    not_pledges: tuple[re.Pattern, ...]

    def names_main_moves(self, context: str) -> bool:
        return any(p.search(" ".join(context.split())) for p in self.main_moves)

    def leads_pledges(self, lead: str) -> bool:
        s = " ".join(lead.split())
        return any(p.search(s) for p in self.pledge_leads) and not any(p.search(s) for p in self.not_pledges)


def load_speech_rules(path: Path | None = None) -> SpeechRules:
    return _load_speech_rules(path or mappings_dir() / "speech_rules.toml")


@lru_cache(maxsize=4)
def _load_speech_rules(path: Path) -> SpeechRules:
    data, text = load_rule_file(path)
    return SpeechRules(pattern_rows(path, text, data, "main_moves"), pattern_rows(path, text, data, "pledge_lead"),
                       pattern_rows(path, text, data, "not_pledges", required=False))
