"""Scoring the linker against hand-labelled pairs (tests/fixtures/trace_pairs.toml): precision and recall per
relation, and for "linked at all" (same or overlapping), on one split of the pairs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..tomlrows import load_rows, need_str
from .link import RELATIONS, Link

LABELS = (*RELATIONS, "none")


@dataclass(frozen=True)
class LabelledPair:
    a: str  # "document#key"
    b: str
    relation: str
    split: str
    a_text: str
    b_text: str
    line: int | None


def load_pairs(path: Path) -> list[LabelledPair]:
    _, rows = load_rows(path, "pair")
    out = []
    for line, row in rows:
        rel = need_str(path, line, row, "relation")
        if rel not in LABELS:
            raise InputError(path, f"relation {rel!r} is not one of {', '.join(LABELS)}", line)
        split = need_str(path, line, row, "split")
        if split not in ("dev", "heldout"):
            raise InputError(path, f"split {split!r} is neither 'dev' nor 'heldout'", line)
        out.append(LabelledPair(need_str(path, line, row, "a"), need_str(path, line, row, "b"), rel, split,
                                need_str(path, line, row, "a_text"), need_str(path, line, row, "b_text"), line))
    if not out:
        raise InputError(path, "holds no [[pair]]")
    return out


@dataclass(frozen=True)
class Scores:
    n: int
    confusion: dict[tuple[str, str], int]  # (labelled, predicted) -> count

    def precision(self, rels: tuple[str, ...]) -> float | None:
        predicted = sum(v for (g, p), v in self.confusion.items() if p in rels)
        right = sum(v for (g, p), v in self.confusion.items() if p in rels and g in rels)
        return right / predicted if predicted else None

    def recall(self, rels: tuple[str, ...]) -> float | None:
        labelled = sum(v for (g, p), v in self.confusion.items() if g in rels)
        found = sum(v for (g, p), v in self.confusion.items() if g in rels and p in rels)
        return found / labelled if labelled else None

    def table(self) -> str:
        rows = [f"{'relation':<22}{'labelled':>9}{'predicted':>10}{'precision':>10}{'recall':>8}"]
        for name, rels in (("same", ("same",)), ("overlapping", ("overlapping",)),
                           ("same or overlapping", ("same", "overlapping")), ("contradicting", ("contradicting",))):
            labelled = sum(v for (g, _), v in self.confusion.items() if g in rels)
            predicted = sum(v for (_, p), v in self.confusion.items() if p in rels)
            p, r = self.precision(rels), self.recall(rels)
            rows.append(f"{name:<22}{labelled:>9}{predicted:>10}{_fmt(p):>10}{_fmt(r):>8}")
        return "\n".join(rows)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def evaluate(links: list[Link], pairs: list[LabelledPair], split: str) -> Scores:
    predicted = {}
    for l in links:
        predicted[(str(l.a), str(l.b))] = predicted[(str(l.b), str(l.a))] = l.relation
    confusion: Counter = Counter()
    chosen = [p for p in pairs if p.split == split]
    for p in chosen:
        confusion[(p.relation, predicted.get((p.a, p.b), "none"))] += 1
    return Scores(len(chosen), dict(confusion))
