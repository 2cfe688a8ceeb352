"""Content negotiation, as one table: which file answers a minted IRI for an Accept header. The same table is run
over HTTP against `helsegraf serve`, nginx and Apache in test_web_servers.py."""

import pytest

from helsegraf.serving.conneg import choose, preferences

# (Accept, the preference list helsegraf derives from it)
CASES = [
    (None, [".html"]),
    ("", [".html"]),
    ("text/html", [".html"]),
    ("text/turtle", [".ttl"]),
    ("application/ld+json", [".jsonld"]),
    ("application/json", [".jsonld"]),
    ("application/n-triples", [".nt"]),
    ("*/*", [".html", ".ttl", ".jsonld", ".nt"]),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", [".html", ".ttl", ".jsonld", ".nt"]),
    ("text/turtle;q=0.5, application/ld+json", [".jsonld", ".ttl"]),
    ("text/turtle;q=0.9, application/n-triples;q=0.95", [".nt", ".ttl"]),
    ("text/*", [".html", ".ttl"]),
    ("text/*;q=0.5, text/turtle", [".ttl", ".html"]),
    ("*/*;q=0.1, text/turtle;q=0", [".html", ".jsonld", ".nt"]),
    ("image/png", []),
    ("text/turtle;q=0", []),
    ("TEXT/Turtle", [".ttl"]),
    ("text/turtle; charset=utf-8; q=0.7, text/html; q=0.6", [".ttl", ".html"]),
    ("text/turtle;q=nan", [".html"]),  # unreadable: as if none were sent
    ("garbage", [".html"]),
]


@pytest.mark.parametrize("accept, expected", CASES)
def test_preferences(accept, expected):
    assert preferences(accept) == expected


def test_the_best_existing_file_answers_and_406_when_none_is_acceptable():
    files = {"/s/x.html", "/s/x.ttl"}
    exists = files.__contains__
    assert choose("/s/x", "application/ld+json, text/turtle;q=0.5", exists) == "/s/x.ttl"
    assert choose("/s/x", "application/ld+json", exists) == "406"
    assert choose("/s/y", "text/html", exists) is None


def test_the_rewrite_map_program_answers_every_line_whatever_it_is_sent():
    """Apache waits for one answer per line; an answer missing, or a program that died, would wedge its rewrites."""
    import subprocess
    import sys

    lines = ["/nowhere/x::text/turtle", "::", "no separator", "/tmp::" + "a/b;q=0.5," * 500, "/x\x7f::*/*"]
    proc = subprocess.run([sys.executable, "-m", "helsegraf.serving.conneg"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and proc.stdout.splitlines() == ["NULL"] * len(lines)
