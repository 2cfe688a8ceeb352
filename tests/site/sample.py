"""The pages a check of the built site reads: a sample holding every template in each language in `make test`,
every page in `make test-whole-site` (the `whole_site` marker)."""

import functools
import hashlib
import re
from collections import defaultdict
from pathlib import Path

import pytest

# Parametrize a check over the site with this: its sample runs in `make test`, the whole site in the slow target.
SCOPES = ["sample", pytest.param("whole", marks=pytest.mark.whole_site)]


@functools.lru_cache(maxsize=4)
def pages_by_template(site) -> dict[tuple[str, str], list]:
    """(template, language) → the site's pages of it, by path. Read once per site and test process: several tests
    sample the corpus's 16,000 pages."""
    pages = defaultdict(list)
    for path in sorted(site.rglob("*.html")):
        if "pagefind" not in path.parts:
            text = path.read_text(encoding="utf-8")
            template = re.search(r'<body class="page-([\w-]+)"', text).group(1)
            pages[(template, re.search(r'<html lang="([\w-]+)"', text).group(1))].append(path)
    return dict(pages)


def sample_of_every_template(site, per_template: int = 12) -> list:
    """The pages of each template (the body's class names it) in each language: the first few by path and a few
    chosen by hash, so that the sample is the same on every run and reaches past the first document."""
    sample = []
    for paths in pages_by_template(site).values():
        by_hash = sorted(paths, key=lambda p: hashlib.sha256(str(p.relative_to(site)).encode()).digest())
        sample += dict.fromkeys(paths[:per_template // 2] + by_hash[:per_template // 2])
    return sample


def pages_in(site: Path, scope: str) -> list[Path]:
    """Every page of the site but Pagefind's ("whole"), or the sample of every template ("sample")."""
    if scope == "whole":
        return [p for p in sorted(site.rglob("*.html")) if "pagefind" not in p.parts]
    return sample_of_every_template(site)
