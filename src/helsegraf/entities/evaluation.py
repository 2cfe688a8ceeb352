"""Scoring the matcher against hand-labelled mentions (tests/fixtures/mentions_gold.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..records import Mention


@dataclass
class Score:
    measures: int = 0
    true_pos: int = 0
    false_pos: list[tuple[str, str]] = field(default_factory=list)
    false_neg: list[tuple[str, str]] = field(default_factory=list)
    roles_labelled: int = 0
    roles_right: int = 0
    role_errors: list[tuple[str, str, str, str | None]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_pos / ((self.true_pos + len(self.false_pos)) or 1)

    @property
    def recall(self) -> float:
        return self.true_pos / ((self.true_pos + len(self.false_neg)) or 1)

    @property
    def role_accuracy(self) -> float:
        return self.roles_right / (self.roles_labelled or 1)

    def summary(self) -> str:
        return (f"{self.measures} measures, {self.true_pos + len(self.false_neg)} labelled entity links: "
                f"precision {self.precision:.3f}, recall {self.recall:.3f}; "
                f"roles right {self.roles_right}/{self.roles_labelled} ({self.role_accuracy:.3f})")


def load_gold(path: Path) -> dict[str, dict]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {row["key"]: {"entities": set(row["entities"]), "roles": row.get("roles", {})} for row in data["measure"]}


def score(gold: dict[str, dict], mentions_by_item: dict[str, list[Mention]]) -> Score:
    """Entity links per measure (a set: an entity named twice counts once), and the roles that were labelled."""
    s = Score()
    for key, want in sorted(gold.items()):
        s.measures += 1
        got_mentions = mentions_by_item.get(key, [])
        got = {m.entity for m in got_mentions}
        s.true_pos += len(got & want["entities"])
        s.false_pos += [(key, e) for e in sorted(got - want["entities"])]
        s.false_neg += [(key, e) for e in sorted(want["entities"] - got)]
        for entity, role in sorted(want["roles"].items()):
            s.roles_labelled += 1
            predicted = {m.role for m in got_mentions if m.entity == entity} - {None}
            if role in predicted:
                s.roles_right += 1
            else:
                s.role_errors.append((key, entity, role, ",".join(sorted(predicted)) or None))
    return s
