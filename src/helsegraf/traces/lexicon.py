"""Words to terms: the lemma (simplemma, bokmål then nynorsk), its Snowball stem, the parts of a compound, and the
curated stopwords, synonyms and polarity cues of mappings/trace_lexicon.toml.

Terms are what two items must share to be linked, so they have to survive Norwegian inflection ("sykehusene",
"sjukehusa"), derivation ("styrking"/"styrke") and compounding ("kvinnehelsestrategi" shares "kvinnehelse" and
"strategi" with other items)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma
import snowballstemmer
from wordfreq import zipf_frequency

from ..errors import InputError
from ..tomlrows import load_document

WORD = re.compile(r"[0-9]+(?:[,.][0-9]+)?|[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_LANGS = ("nb", "nn")
# A compound's parts must be words in their own right: at least this long and this frequent in general Norwegian
# (wordfreq's Zipf scale: 3 is a word seen once per million words).
_PART_MIN_LEN = 3
_PART_MIN_ZIPF = 3.0
_SHORT_PART_MIN_ZIPF = 4.0
# A word that is itself known splits only into two words at least this long and this frequent.
_KNOWN_PART_MIN_LEN = 4
_KNOWN_PART_MIN_ZIPF = 3.5
# ... and a part counts as a term only if not so common that they say nothing ("inn", "fast", "fri").
_PART_MAX_ZIPF = 5.5


@dataclass(frozen=True)
class Token:
    surface: str
    lemma: str
    index: int  # position among the text's words


@dataclass(frozen=True)
class Lexicon:
    stopwords: frozenset[str]
    synonyms: dict[str, str]  # stem -> the stem of its row's first word
    up: frozenset[str]
    down: frozenset[str]
    transparent: frozenset[str]  # words a cue acts through ("øke antallet døgnplasser")
    window: int
    window_after: int
    path: Path

    def tokens(self, text: str) -> list[Token]:
        return [Token(w, _lemma(w.lower()), i) for i, w in enumerate(WORD.findall(text))]

    def term(self, lemma: str) -> str | None:
        """The term a lemma counts as, or None for a stopword, a number or a word too short to mean anything."""
        if lemma in self.stopwords or lemma in self.up or lemma in self.down or len(lemma) < 3 or lemma[0].isdigit():
            return None
        s = stem(lemma)
        return self.synonyms.get(s, s)

    def parts(self, lemma: str) -> list[tuple[str, str]]:
        """The terms of a compound's parts with the words they come from ("kvinnehelsestrategi" → kvinne, helse,
        strategi, kvinnehelse, helsestrategi)."""
        return [(t, p) for p in _split(lemma) if _zipf(p) <= _PART_MAX_ZIPF and (t := self.term(p))]

    def polarity(self, lemma: str) -> int:
        return 1 if lemma in self.up else -1 if lemma in self.down else 0


def stem(lemma: str) -> str:
    return _stem(lemma)


@lru_cache(maxsize=None)
def _stem(lemma: str) -> str:
    return _STEMMER.stemWord(lemma)


_STEMMER = snowballstemmer.stemmer("norwegian")


@lru_cache(maxsize=None)
def _lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang=_LANGS).lower()


def zipf(word: str) -> float:
    return _zipf(word)


@lru_cache(maxsize=None)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "nb")


def _known(word: str) -> bool:
    # a three-letter part must be common ("rus", "lov", "hus"), or every compound hides one ("ete", "dos")
    return len(word) >= _PART_MIN_LEN and _zipf(word) >= (_PART_MIN_ZIPF if len(word) > 3 else _SHORT_PART_MIN_ZIPF)


@lru_cache(maxsize=None)
def _segment(word: str, last: bool = True, min_len: int = _PART_MIN_LEN) -> tuple[str, ...] | None:
    """A compound as known words, longest head first, through the linking letters -s- and -e-; the last part may
    be inflected ("…ordningene"). None if the word does not split into known words of `min_len` letters or more."""
    if len(word) >= min_len and _known(word):
        return (word,)
    if last and len(word) > min_len and _known(lemma := _lemma(word)) and lemma != word:
        return (lemma,)
    for i in range(len(word) - min_len, min_len - 1, -1):
        head, tail = word[:i], word[i:]
        for h in (head, head[:-1] if head[-1] in "se" and len(head) > min_len else None):
            if h and len(h) >= min_len and _known(h) and (rest := _segment(tail, last, min_len)):
                return (h, *rest)
    return None


@lru_cache(maxsize=None)
def _split(word: str) -> tuple[str, ...]:
    """The known words a compound is made of, and each pair of neighbours joined ("kvinnehelsestrategi" →
    kvinne, helse, strategi, kvinnehelse, helsestrategi). A known word is not split: "kommisjon" is no compound
    of "kom" and "misjon", though one made of long words is ("helsehjelp": helse, hjelp)."""
    pieces = [p for p in word.split("-") if p]
    out: list[str] = []
    for p in pieces:
        seg = _segment(p) if not _known(p) else _known_split(p)
        if len(pieces) > 1:
            out.append(p)
        if seg and len(seg) > 1:
            out += seg
            out += [a + b for a, b in zip(seg, seg[1:])]
    return tuple(dict.fromkeys(w for w in out if w != word))


def _known_split(word: str) -> tuple[str, ...] | None:
    for i in range(len(word) - _KNOWN_PART_MIN_LEN - 1, _KNOWN_PART_MIN_LEN - 1, -1):
        head, tail = word[:i], word[i:]  # the tail a letter longer: "styrking" is no "styr" + "king"
        if _zipf(head) >= _KNOWN_PART_MIN_ZIPF and _zipf(tail) >= _KNOWN_PART_MIN_ZIPF:
            return (head, tail)
    return None


def split_compound(lemma: str) -> tuple[str, ...]:
    """The known words a compound lemma is made of (see _split); empty for a word that is no compound."""
    return _split(lemma)


def load_lexicon(path: Path) -> Lexicon:
    data, _ = load_document(path)
    for key in ("stopwords", "up", "down", "transparent"):
        if not isinstance(data.get(key), list) or not all(isinstance(w, str) for w in data[key]):
            raise InputError(path, f"'{key}' must be a list of words")
    rows = data.get("synonyms", [])
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) >= 2 and all(isinstance(w, str) for w in r)
                                             for r in rows):
        raise InputError(path, "'synonyms' must be a list of lists of two or more words")
    for key in ("window", "window_after"):
        if not isinstance(data.get(key), int) or isinstance(data[key], bool) or data[key] < 1:
            raise InputError(path, f"'{key}' must be a positive whole number of words")
    synonyms: dict[str, str] = {}
    for row in rows:
        head = stem(row[0])
        for w in row[1:]:
            synonyms[stem(w)] = head
    # Stopwords are matched as lemmas: "skal" is "skulle" by then.
    stopwords = frozenset(data["stopwords"]) | {_lemma(w) for w in data["stopwords"]}
    return Lexicon(stopwords, synonyms, frozenset(data["up"]), frozenset(data["down"]),
                   frozenset(data["transparent"]), data["window"], data["window_after"], path)
