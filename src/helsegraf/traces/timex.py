"""Time expressions in items ("våren 2025", "innen 2027", "i løpet av planperioden") as periods with typed start
and end dates, by the patterns of mappings/time_expressions.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..parse.rule_files import check_example, compile_pattern, load_rule_file
from ..tomlrows import load_rows


@dataclass(frozen=True)
class TimeRule:
    pattern: re.Pattern
    start: str | None
    end: str | None
    line: int | None


@dataclass(frozen=True)
class Period:
    surface: str  # the words as written
    start: date | None
    end: date | None
    offset: int  # where in the item's text


def load_time_rules(path: Path) -> list[TimeRule]:
    _, text = load_rule_file(path)
    _, rows = load_rows(path, "expression")
    if not rows:
        raise InputError(path, "holds no [[expression]]")
    rules = []
    for line, row in rows:
        pat = compile_pattern(path, text, row.get("pattern"), "pattern")
        start, end = row.get("start"), row.get("end")
        if start is None and end is None:
            raise InputError(path, "an expression needs a 'start' or an 'end' (or both)", line)
        for v in (start, end):
            if v is not None and not isinstance(v, str):
                raise InputError(path, "'start' and 'end' must be text", line)
        if not isinstance(row.get("example"), str):
            raise InputError(path, "an expression needs an 'example' it matches", line)
        check_example(path, text, pat, row, "pattern", full=False)
        rules.append(TimeRule(pat, start, end, line))
    return rules


def find_periods(text: str, rules: list[TimeRule], plan: tuple[int, int] | None, issued_year: int) -> list[Period]:
    """The periods an item's text names. A year before the document was issued is no plan but a reference (the
    law "fra 2016", a report "fra 2019"), and is left out."""
    taken: list[tuple[int, int]] = []
    out = []
    for rule in rules:
        for m in rule.pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            values = {k: v for k, v in m.groupdict().items() if v}
            if plan:
                values.update(plan_start=str(plan[0]), plan_end=str(plan[1]))
            start, end = _fill(rule.start, values), _fill(rule.end, values)
            if start and end and end < start:
                continue  # "2027–2024" is no period
            if (known := end or start) is not None and known.year < issued_year:
                continue
            taken.append((m.start(), m.end()))
            out.append(Period(m.group(0), start, end, m.start()))
    return sorted(out, key=lambda p: p.offset)


def _fill(template: str | None, values: dict[str, str]) -> date | None:
    if template is None:
        return None
    try:
        return date.fromisoformat(template.format(**values))
    except (KeyError, ValueError):
        return None  # a plan period the document lacks: the words are kept, without a date
