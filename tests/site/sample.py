"""The pages a check of the built site reads: a sample holding every template in each language in `make test`,
every page in `make test-whole-site` (the `whole_site` marker)."""

import functools
import hashlib
import re
from collections import defaultdict
from pathlib import Path

import pytest

LARGE = 300_000  # bytes: a sample takes the pages below it (the corpus's table of measures is 1.7 MB)
# Parametrize a check over the site with this: its sample runs in `make test`, the whole site in the slow target.
SCOPES = ["sample", pytest.param("whole", marks=pytest.mark.whole_site)]


@functools.lru_cache(maxsize=4)
def pages_by_template(site) -> dict[tuple[str, str], list]:
    """(template, language) → the site's pages of it, by path. Read once per site and test process: several tests
    sample the corpus's 16,000 pages."""
    pages = defaultdict(list)
    for path in sorted(site.rglob("*.html")):
        if "pagefind" not in path.parts:
            with path.open("rb") as f:
                head = f.read(16384)  # the body starts within it on all but a few pages; read those whole
                body = re.search(rb'<body class="page-([\w-]+)"', head) or re.search(rb'<body class="page-([\w-]+)"', head + f.read())
            lang = re.search(rb'<html lang="([\w-]+)"', head).group(1).decode()
            pages[(body.group(1).decode(), lang)].append(path)
    return dict(pages)


def sample_of_every_template(site, per_template: int = 12) -> list:
    """The pages of each template (the body's class names it) in each language: the first few by path and a few
    chosen by hash, so that the sample is the same on every run and reaches past the first document; those under
    LARGE bytes where a template has any (the whole site, the largest pages with it, is checked in the slow run)."""
    sample = []
    for paths in pages_by_template(site).values():
        paths = [p for p in paths if p.stat().st_size < LARGE] or paths
        by_hash = sorted(paths, key=lambda p: hashlib.sha256(str(p.relative_to(site)).encode()).digest())
        sample += dict.fromkeys(paths[:per_template // 2] + by_hash[:per_template // 2])
    return sample


def pages_in(site: Path, scope: str) -> list[Path]:
    """Every page of the site but Pagefind's ("whole"), or the sample of every template ("sample")."""
    if scope == "whole":
        return [p for p in sorted(site.rglob("*.html")) if "pagefind" not in p.parts]
    return sample_of_every_template(site)
