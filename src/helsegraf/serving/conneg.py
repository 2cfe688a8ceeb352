"""Content negotiation for the minted IRIs: which file answers `/id/x` (x.html, x.ttl, x.jsonld or x.nt) for an
Accept header. `helsegraf serve` calls it for every request; Apache calls it as a RewriteMap program (`python -m
helsegraf.serving.conneg`, deploy/apache.conf); nginx runs the same rules in JavaScript (deploy/conneg.js), and
tests/serving/test_web_servers.py holds all three to one table of cases.

The rules (RFC 9110, 12.5.1): each offered type takes the q of the most specific range that matches it (exact,
then type/*, then */*); types with q = 0 are refused; the highest q wins, ties going to the order of VARIANTS
(HTML first, for browsers). No Accept header, or one that cannot be read, means HTML. When the resource exists but
none of its files is acceptable, the answer is 406.
"""

from __future__ import annotations

import os
import re
import sys

# (suffix, media types it answers), in the server's order of preference on equal q.
VARIANTS = ((".html", ("text/html", "application/xhtml+xml")),
            (".ttl", ("text/turtle",)),
            (".jsonld", ("application/ld+json", "application/json")),
            (".nt", ("application/n-triples",)))
SUFFIXES = tuple(s for s, _ in VARIANTS)
# IRIs whose files live under another path (the ontology is a hash namespace documented at ontologi/index), or that
# are negotiated though outside the minted paths (the DCAT catalog, katalog.ttl, whose nodes are its fragments).
ALIASES = {"ontology": "ontologi/index", "katalog": "katalog"}
QVALUE = re.compile(r"\d+(\.\d*)?|\.\d+")  # digits only: no sign, exponent, "nan" or "1_0" (Python's float takes those)


def _ranges(accept: str) -> list[tuple[str, str, float]] | None:
    out = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        if fields[0].count("/") != 1:
            return None
        kind, sub = (x.strip().lower() for x in fields[0].split("/"))
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                if not QVALUE.fullmatch(value.strip()):
                    return None
                q = min(float(value), 1.0)
        out.append((kind, sub, q))
    return out or None


def _quality(media: str, ranges: list[tuple[str, str, float]]) -> float:
    kind, sub = media.split("/")
    best, q = -1, 0.0
    for rk, rs, rq in ranges:
        if (rk, rs) == (kind, sub):
            rank = 2
        elif rk == kind and rs == "*":
            rank = 1
        elif (rk, rs) == ("*", "*"):
            rank = 0
        else:
            continue
        if rank > best:  # the most specific range decides; among equals, the first
            best, q = rank, rq
    return q


def preferences(accept: str | None) -> list[str]:
    """The suffixes a client accepts, best first (q > 0)."""
    ranges = _ranges(accept) if accept and accept.strip() else None
    if ranges is None:
        return [".html"]
    scored = [(max(_quality(m, ranges) for m in types), -i, suffix) for i, (suffix, types) in enumerate(VARIANTS)]
    return [suffix for q, _, suffix in sorted(scored, reverse=True) if q > 0]


def choose(stem: str, accept: str | None, exists=os.path.isfile) -> str | None:
    """The file for the resource whose files are `stem` + suffix: the best acceptable one that exists, "406" when
    some exist but none is acceptable, None when none exists."""
    for suffix in preferences(accept):
        if exists(stem + suffix):
            return stem + suffix
    if any(exists(stem + s) for s in SUFFIXES):
        return "406"
    return None


def main() -> None:
    """An Apache RewriteMap program: reads "STEM::ACCEPT" lines (not "|": in ${map:key|default} it starts the
    default), answers the suffix of the file to serve, or "406", or "NULL" (no such resource). Apache keeps one such
    process and writes to it one line at a time."""
    for line in sys.stdin:
        stem, _, accept = line.rstrip("\n").partition("::")
        try:
            found = choose(stem, accept)
        except (OSError, ValueError):  # Apache waits for one answer per line: a program that died would wedge it
            found = None
        sys.stdout.write(("NULL" if found is None else found if found == "406" else found[len(stem):]) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
