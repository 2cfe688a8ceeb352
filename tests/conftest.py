"""Shared fixtures: the real manifest and documents, and one real build per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helsegraf.build import build
from helsegraf.parse import parse_document
from tests.repo import MANIFEST, SOURCES
from helsegraf.sources import load_manifest

WHITE_PAPER = "meld-st-9-2023-2024"
PLATFORM = "hurdalsplattformen-2021-helse"
AP = "ap-var-felles-helsetjeneste-2023"
HP = "helsepartiet-prinsipprogram-2017"
SPEECH = "tale-nhsp-2024"
SEEDS = [WHITE_PAPER, SPEECH, PLATFORM, AP, HP]  # the five seed texts, first in the manifest


@pytest.fixture(scope="session")
def manifest():
    return load_manifest(MANIFEST)


@pytest.fixture(scope="session")
def parsed(manifest):
    return {d.slug: parse_document(d) for d in manifest.documents}


@pytest.fixture(scope="session")
def measure_count(parsed) -> int:
    """Measures and commitments in all documents of the manifest, as the parsers count them."""
    return sum(len(p.measures) for p in parsed.values())


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A full build of the real sources, made once."""
    out = tmp_path_factory.mktemp("build") / "build"
    result = build(out)
    return result


@pytest.fixture(scope="session")
def server(built):
    """`helsegraf serve` over the shared build: the endpoint and the site, on free loopback ports."""
    from helsegraf.serving.limits import Limits
    from helsegraf.serving.servers import Servers, free_port

    servers = Servers(built.out, "127.0.0.1", free_port(), free_port(),
                      Limits(timeout_s=3, max_result_bytes=2_000_000, workers=3))
    servers.start()
    yield servers
    servers.stop()


@pytest.fixture
def sources_copy(tmp_path) -> Path:
    """A writable copy of sources/ for tests that break it; returns the copied manifest."""
    dst = tmp_path / "sources"
    shutil.copytree(SOURCES, dst)
    return dst / "manifest.toml"


def items_in(parsed_doc, part: str):
    return [i for i in parsed_doc.items if i.part == part]
