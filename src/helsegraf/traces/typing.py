"""Typing items by their wording: the policy instrument (mappings/instruments.toml) and the topics
(mappings/topics.toml), each a small SKOS scheme whose rows carry the words that signal them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..tomlrows import load_rows, need_str
from .lexicon import Lexicon, split_compound

_TAIL_MIN = 4  # a word this long may match the tail of a compound ("…tilskudd")
_OPENING = 3  # an item's instrument verb stands among its first words


@dataclass(frozen=True)
class Concept:
    slug: str
    nb: str
    en: str
    words: tuple[tuple[str, ...], ...]  # each a lemma sequence
    verbs: tuple[tuple[str, ...], ...] = ()
    extra: dict | None = None  # the row's other fields: nato, cap, definitions
    weak: bool = False  # a generic row, consulted only when no other matches
    line: int | None = None
    example: str = ""  # text the row must type as itself (check_examples)


@dataclass(frozen=True)
class Scheme:
    slug: str
    nb: str
    en: str
    default: str
    concepts: tuple[Concept, ...]
    path: Path

    def concept(self, slug: str) -> Concept:
        return next(c for c in self.concepts if c.slug == slug)


@dataclass(frozen=True)
class Typed:
    instrument: str
    instrument_cue: str | None  # the words that decided it; None when the scheme's default was given
    topics: tuple[str, ...]
    topic_cues: dict[str, str]


class _Text:
    """An item's lemmas, with every compound's parts, for matching words and phrases."""

    def __init__(self, text: str, lexicon: Lexicon):
        self.lemmas = [t.lemma for t in lexicon.tokens(text)]
        self.parts = [set(split_compound(l)) for l in self.lemmas]
        # One word matches a lemma, a compound's part or a long enough tail: sets, so a rule row costs a lookup
        self.words = set(self.lemmas).union(*self.parts)
        self.tails = {l[i:] for l in self.lemmas for i in range(len(l) - _TAIL_MIN + 1)}

    def has(self, phrase: tuple[str, ...]) -> bool:
        if len(phrase) == 1:
            word = phrase[0]
            return word in self.words or (len(word) >= _TAIL_MIN and word in self.tails)
        n = len(phrase)
        for i in range(len(self.lemmas) - n + 1):
            window = self.lemmas[i:i + n]
            if window[:-1] == list(phrase[:-1]) and _word_matches(phrase[-1], window[-1], self.parts[i + n - 1]):
                return True
        return False

    def opens_with(self, phrase: tuple[str, ...]) -> bool:
        n = len(phrase)
        return any(self.lemmas[i:i + n] == list(phrase) for i in range(min(_OPENING, len(self.lemmas))))


def _word_matches(word: str, lemma: str, parts: set[str]) -> bool:
    return lemma == word or word in parts or (len(word) >= _TAIL_MIN and lemma.endswith(word))


def type_item(text: str, instruments: Scheme, topics: Scheme, lexicon: Lexicon) -> Typed:
    t = _Text(text, lexicon)
    instrument, cue = instruments.default, None
    hit = None
    # A generic row ("etablere", "styrke": organisation) speaks only when no specific one does, so that
    # "opprette et tilskudd" is a grant and not an organisation.
    for rows in ([c for c in instruments.concepts if not c.weak], [c for c in instruments.concepts if c.weak]):
        hit = hit or next(((c, v) for c in rows for v in c.verbs if t.opens_with(v)), None)
        hit = hit or next(((c, w) for c in rows for w in c.words if t.has(w)), None)
    if hit is not None:
        instrument, cue = hit[0].slug, " ".join(hit[1])
    found: dict[str, str] = {}
    for c in topics.concepts:
        w = next((w for w in c.words if t.has(w)), None)
        if w is not None:
            found[c.slug] = " ".join(w)
    if not found:
        return Typed(instrument, cue, (topics.default,), {})
    return Typed(instrument, cue, tuple(found), found)


def load_scheme(path: Path, table: str, lexicon: Lexicon) -> Scheme:
    data, rows = load_rows(path, table)
    for key in ("scheme", "nb", "en", "default"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise InputError(path, f"needs '{key}' (text) at the top")
    if not rows:
        raise InputError(path, f"holds no [[{table}]]")
    concepts = []
    for line, row in rows:
        slug = need_str(path, line, row, "slug")
        lists = {}
        for key in ("words", "verbs"):
            v = row.get(key, [])
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                raise InputError(path, f"'{key}' of {slug!r} must be a list of words", line)
            lists[key] = tuple(tuple(tok.lemma for tok in lexicon.tokens(x)) for x in v)
        extra = {k: v for k, v in row.items() if k not in ("slug", "nb", "en", "words", "verbs", "example", "weak")}
        if not isinstance(row.get("weak", False), bool):
            raise InputError(path, f"'weak' of {slug!r} must be true or false", line)
        if not isinstance(row.get("example", ""), str):
            raise InputError(path, f"'example' of {slug!r} must be text", line)
        concepts.append(Concept(slug, need_str(path, line, row, "nb"), need_str(path, line, row, "en"),
                                lists["words"], lists["verbs"], extra, row.get("weak", False), line,
                                row.get("example", "")))
    slugs = [c.slug for c in concepts]
    if len(set(slugs)) != len(slugs):
        raise InputError(path, f"a slug is used twice: {sorted(s for s in slugs if slugs.count(s) > 1)[0]!r}")
    if data["default"] not in slugs:
        raise InputError(path, f"default {data['default']!r} is none of the [[{table}]] rows")
    return Scheme(data["scheme"], data["nb"], data["en"], data["default"], tuple(concepts), path)


def check_examples(instruments: Scheme, topics: Scheme, lexicon: Lexicon) -> None:
    """Each row's example must come out as that row: a rule that does not type its own example is an error."""
    for scheme in (instruments, topics):
        for c in scheme.concepts:
            if not c.example:
                continue
            typed = type_item(c.example, instruments, topics, lexicon)
            got = (typed.instrument,) if scheme is instruments else typed.topics
            if c.slug not in got:
                raise InputError(scheme.path, f"the example of {c.slug!r} is typed as {', '.join(got)}: "
                                              f"{c.example!r}", c.line)
