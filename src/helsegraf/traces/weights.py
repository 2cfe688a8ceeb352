"""Term weights for tracing, from a reference corpus counted once (mappings/trace_weights.toml) rather than from
whatever corpus is being built.

A term's weight is its inverse frequency among the reference corpus's items, damped for words that are common in
Norwegian at large (wordfreq), so that "helse" in a corpus of health policy counts for little. Fixed weights make
the links between two documents a function of those two documents alone: adding or changing a third leaves them as
they were, which is what lets a rebuild keep every other pair's links (traces.pairs). A term the reference corpus
never held weighs what a term of no reference item would: it is rarer than any counted one.

`helsegraf trace-weights` counts the manifest's documents into the table; the maintainers run it when the corpus
has grown enough to shift the counts, and bump the method's version (mappings/trace_rules.toml) with it."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..tomlrows import load_document
from .features import ItemFeatures
from .lexicon import zipf


@dataclass(frozen=True)
class TermCounts:
    """How many of the reference corpus's items hold each term ("@kind:slug" for a catalogued entity), with the
    lemma a term was stemmed from (the alphabetically first, so that the counts do not depend on item order)."""

    items: int
    documents: tuple[str, ...]
    counts: dict[str, tuple[str, int]]  # term -> (lemma, items holding it)


@dataclass(frozen=True)
class Weights:
    idf: dict[str, float]  # the counted terms' weights
    unseen: float  # the undamped weight of a term no reference item holds
    top: float  # the weight of a term held by one reference item: the scale for relative weights

    def __call__(self, term: str, lemma: str | None = None) -> float:
        """The term's weight; `lemma` (what the term was stemmed from) damps a term the reference never held."""
        found = self.idf.get(term)
        if found is not None:
            return found
        return self.unseen if term.startswith("@") else self.unseen * general_damping(lemma or term)

    def relative(self, term: str, lemma: str | None = None) -> float:
        return self(term, lemma) / self.top if self.top else 0.0


def count_terms(items: list[ItemFeatures]) -> TermCounts:
    df: Counter = Counter()
    lemma: dict[str, str] = {}
    for it in items:
        for t, l in it.lemmas.items():
            lemma[t] = min(lemma.get(t, l), l)
        df.update(it.terms.keys())
        df.update("@" + e for e in it.entities)
    documents = tuple(sorted({it.ref.document for it in items}))
    return TermCounts(len(items), documents, {t: (lemma.get(t, t), k) for t, k in sorted(df.items())})


def weights_of(counts: TermCounts) -> Weights:
    n = counts.items
    idf = {}
    for term, (lemma, k) in counts.counts.items():
        base = math.log((n + 1) / (k + 0.5))
        idf[term] = base * (1.0 if term.startswith("@") else general_damping(lemma))
    return Weights(idf, math.log((n + 1) / 0.5), math.log((n + 1) / 1.5))


def corpus_weights(items: list[ItemFeatures]) -> Weights:
    """The weights the items themselves would give as the reference corpus."""
    return weights_of(count_terms(items))


def general_damping(lemma: str) -> float:
    z = zipf(lemma)
    return 1.0 if z <= 4.0 else max(0.3, 1.0 - (z - 4.0) * 0.35)


_HEADER = """\
# Reference term counts for tracing (src/helsegraf/traces/weights.py): of the reference corpus's items, how many
# hold each term (a lemma's stem, or "@kind:slug" for a catalogued entity), and the lemma it was stemmed from.
# Made by `helsegraf trace-weights` from the documents listed below; not edited by hand. Regenerate it when the
# corpus has grown enough to shift the counts, and bump the version in trace_rules.toml with it.
"""


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_counts(counts: TermCounts, path: Path) -> None:
    """The table as TOML, one term a line, sorted: the same counts give the same bytes."""
    lines = [_HEADER, "[reference]", f"items = {counts.items}",
             "documents = [", *(f"  {_quote(d)}," for d in counts.documents), "]", "",
             "[terms]  # term = [lemma, items holding it]"]
    lines += [f"{_quote(t)} = [{_quote(l)}, {k}]" for t, (l, k) in sorted(counts.counts.items())]
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


def load_counts(path: Path) -> TermCounts:
    data, text = load_document(path)
    ref = data.get("reference")
    if not isinstance(ref, dict):
        raise InputError(path, "needs a [reference] table")
    n, documents = ref.get("items"), ref.get("documents")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise InputError(path, "[reference] needs 'items' (a whole number ≥ 1)", _line(text, "items"))
    if not isinstance(documents, list) or not documents or not all(isinstance(d, str) for d in documents):
        raise InputError(path, "[reference] needs 'documents' (a list of document slugs)", _line(text, "documents"))
    terms = data.get("terms")
    if not isinstance(terms, dict) or not terms:
        raise InputError(path, "needs a [terms] table with at least one term")
    counts = {}
    for term, row in terms.items():
        if not (isinstance(row, list) and len(row) == 2 and isinstance(row[0], str) and row[0]
                and isinstance(row[1], int) and not isinstance(row[1], bool) and 1 <= row[1] <= n):
            raise InputError(path, f"term {term!r} must be [lemma, items holding it], a count from 1 to {n}",
                             _line(text, _quote(term)))
        counts[term] = (row[0], row[1])
    return TermCounts(n, tuple(documents), counts)


def _line(text: str, key: str) -> int | None:
    m = re.search(rf"^{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None
