"""What the linker knows of an item: its weighted terms, the catalogued entities it names, the direction each term
is pushed in (polarity cues) and the percentages it sets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import Lexicon

# Clauses end at punctuation and "men"; "og" joins what a cue after it governs ("bruk og besittelse … forbudt").
_CLAUSE = re.compile(r"[,;:.()–]|\bmen\b")
_PERCENT = re.compile(r"(\d+(?:[,.]\d+)?)\s*(?:%|prosent)")
_NEGATION = frozenset({"ikke", "ikkje", "aldri"})
PART_WEIGHT = 0.5  # a compound's part counts half as much as a whole word


@dataclass(frozen=True)
class ItemRef:
    document: str
    key: str

    def __str__(self) -> str:
        return f"{self.document}#{self.key}"


@dataclass
class ItemFeatures:
    ref: ItemRef
    text: str
    terms: dict[str, float]  # term -> 1.0 for a whole word, PART_WEIGHT for a compound's part only
    surfaces: dict[str, str]  # term -> the first word that gave it, for evidence a reader recognises
    lemmas: dict[str, str]  # term -> the lemma (or compound part) it was stemmed from
    entities: frozenset[str]  # "actor:helsedirektoratet", …
    signs: dict[str, int] = field(default_factory=dict)  # term -> +1/-1 when a cue pushes it
    cues: dict[str, str] = field(default_factory=dict)  # term -> the cue words as written
    percents: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()  # the topics it is typed with (traces.typing), the default left out


def item_features(ref: ItemRef, text: str, entities: frozenset[str], lexicon: Lexicon, negated: bool = False,
                  topics: frozenset[str] = frozenset()) -> ItemFeatures:
    terms: dict[str, float] = {}
    surfaces: dict[str, str] = {}
    lemmas: dict[str, str] = {}
    signs: dict[str, int] = {}
    cues: dict[str, str] = {}
    for clause in _CLAUSE.split(text):
        tokens = lexicon.tokens(clause)
        for i, tok in enumerate(tokens):
            found = []
            if (t := lexicon.term(tok.lemma)) is not None:
                found.append((t, 1.0, tok.lemma))
            found += [(t, PART_WEIGHT, word) for t, word in lexicon.parts(tok.lemma)]
            if not found:
                continue
            sign, words = _push(lexicon, _governing(lexicon, tokens, i))
            if not sign:  # "… skal være forbudt", "… avkriminaliseres": the cue after the term, in its clause
                sign, words = _push(lexicon, [t for t in tokens[i + 1:i + 1 + lexicon.window_after] if _predicative(t)])
            if not sign and _PERCENT.search(clause):  # setting a level keeps the thing ("50 prosent ISF")
                sign, words = 1, [_PERCENT.search(clause).group(0)]
            if negated and sign:
                sign = -sign
            for t, w, lemma in found:
                if w > terms.get(t, 0.0):
                    terms[t] = w
                surfaces.setdefault(t, tok.surface)
                lemmas.setdefault(t, lemma)
                if sign and t not in signs:
                    signs[t], cues[t] = sign, " ".join(words)
    percents = frozenset(m.group(1).replace(",", ".") for m in _PERCENT.finditer(text))
    return ItemFeatures(ref, text, terms, surfaces, lemmas, entities, signs, cues, percents, topics)


def _governing(lexicon: Lexicon, tokens, i: int) -> list:
    """The words before token i that may govern it: back to the nearest other content word, so that in
    "begrense vaktbelastningen til fastlegene" the cue governs "vaktbelastningen" and not "fastlegene". Words that
    only measure what follows ("andelen", "antallet", "nedbyggingen av") let a cue through."""
    out = []
    for tok in reversed(tokens[max(0, i - lexicon.window):i]):
        if tok.lemma == "og" and any(lexicon.polarity(t.lemma) for t in out):
            break  # "stanse og reversere nedbyggingen": coordinated verbs do not multiply
        if lexicon.polarity(tok.lemma) or tok.lemma in _NEGATION or tok.lemma in lexicon.transparent:
            out.append(tok)
        elif lexicon.term(tok.lemma) is not None:
            break
    return list(reversed(out))


def _predicative(tok) -> bool:
    """A cue after its term is a participle or a passive ("forbudt", "avkriminaliseres"), not an infinitive that
    opens the next clause ("… og opprettholde Vinmonopolet")."""
    word = tok.surface.lower()
    return word != tok.lemma and word.endswith(("s", "t"))


def _push(lexicon: Lexicon, tokens) -> tuple[int, list[str]]:
    """The direction the cue words among `tokens` push a term in: the product of their signs, 0 if none."""
    sign, words = 0, []
    for tok in tokens:
        s = lexicon.polarity(tok.lemma) or (-1 if tok.lemma in _NEGATION else 0)
        if s:
            sign = (sign or 1) * s
            words.append(tok.surface)
    return sign, words
