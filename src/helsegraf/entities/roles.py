"""Role rules (mappings/roles.toml): what a sentence says about the entity it names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..paths import mappings_dir
from ..tomlrows import load_rows, need_str
from .catalogue import KINDS

ROLES = ("tasked", "lead", "partner", "reviewed", "followed_up")
WINDOW = 120  # characters of context a rule sees on each side


@dataclass(frozen=True)
class RoleRule:
    name: str
    kinds: tuple[str, ...]
    before: tuple[re.Pattern, ...]
    after: tuple[re.Pattern, ...]
    after_at_start: tuple[re.Pattern, ...]


def load_roles(path: Path | None = None) -> list[RoleRule]:
    path = path or mappings_dir() / "roles.toml"
    _, rows = load_rows(path, "role")
    rules = []
    for line, row in rows:
        name = need_str(path, line, row, "name")
        if name not in ROLES:
            raise InputError(path, f"unknown role {name!r}; expected one of {', '.join(ROLES)}", line)
        kinds = tuple(row.get("kinds", []))
        if not kinds or any(k not in KINDS for k in kinds):
            raise InputError(path, f"'kinds' must list some of {', '.join(KINDS)}", line)

        def compile_all(key: str) -> tuple[re.Pattern, ...]:
            out = []
            for p in row.get(key, []):
                try:
                    out.append(re.compile(p))
                except re.error as e:
                    raise InputError(path, f"{key}: bad regular expression {p!r}: {e}", line) from None
            return tuple(out)

        rules.append(RoleRule(name, kinds, compile_all("before"), compile_all("after"), compile_all("after_at_start")))
    return rules


def role_for(rules: list[RoleRule], kind: str, text: str, start: int, end: int) -> str | None:
    before = text[max(0, start - WINDOW) : start]
    after = text[end : end + WINDOW]
    at_start = not text[:start].strip() or text[:start].strip() in ("De", "de")
    for r in rules:
        if kind not in r.kinds:
            continue
        if any(p.search(before) for p in r.before) or any(p.search(after) for p in r.after):
            return r.name
        if at_start and any(p.search(after) for p in r.after_at_start):
            return r.name
    return None
