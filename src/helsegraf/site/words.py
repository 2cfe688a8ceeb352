"""Norwegian for the pages: a count with its noun in the right number ("1 gang", "2 ganger")."""

from __future__ import annotations


def antall(n: int, singular: str, plural: str) -> str:
    """`n` and the noun that goes with it: 1 takes the singular, every other count (0 too) the plural."""
    return f"{format(n, ',').replace(',', ' ')} {singular if n == 1 else plural}"
