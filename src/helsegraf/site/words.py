"""Norwegian for the pages: a count with its noun in the right number ("1 gang", "2 ganger")."""

from __future__ import annotations


# Norwegian alphabetical order: æ, ø, å come after z (and ä, ö with æ, ø; é and è with e; ü with y).
_NORWEGIAN = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "é": "e", "è": "e", "ê": "e",
                            "á": "a", "à": "a", "ü": "y", "ó": "o", "ò": "o", "ô": "o"})


def norwegian(text: str) -> str:
    """A sort key for Norwegian collation (Python's own order puts å before æ and ø)."""
    return text.casefold().translate(_NORWEGIAN)


def antall(n: int, singular: str, plural: str) -> str:
    """`n` and the noun that goes with it: 1 takes the singular, every other count (0 too) the plural."""
    return f"{format(n, ',').replace(',', ' ')} {singular if n == 1 else plural}"
