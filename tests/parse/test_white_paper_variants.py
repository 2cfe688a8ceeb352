"""The white-paper parser reads the genre, not the file: every variant of the seed white paper
(tests/parse/white_paper_variants.py) gives the same 136 measures with the same text, box by box."""

import dataclasses

import pytest

from helsegraf.parse import white_paper
from helsegraf.records import ItemKind
from helsegraf.sources import read_source
from tests.conftest import WHITE_PAPER
from tests.parse.white_paper_variants import VARIANTS


@pytest.fixture(scope="module")
def seed(manifest):
    doc = next(d for d in manifest.documents if d.slug == WHITE_PAPER)
    return doc, read_source(doc)


def measures(parsed):
    """(box number counted from its chapter's first measure box, item number, text) of every measure."""
    return [(i.kind, i.number, i.text) for i in parsed.items]


def box_sizes(parsed):
    sizes: dict[str, int] = {}
    for i in parsed.items:
        if i.kind is ItemKind.BOX_MEASURE:
            chapter = i.part.split("-")[1].split(".")[0]
            sizes[chapter] = sizes.get(chapter, 0) + 1
    return sizes


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_gives_the_same_measures(seed, name):
    doc, lines = seed
    original = white_paper.parse(doc, lines)
    variant = white_paper.parse(dataclasses.replace(doc, slug=f"{doc.slug}-{name}"), VARIANTS[name](lines))
    assert len(variant.measures) == len(original.measures) == 136
    assert box_sizes(variant) == box_sizes(original)
    assert measures(variant) == measures(original)
    chapters = [p.title for p in variant.parts if p.kind == "chapter"]
    assert chapters == [p.title for p in original.parts if p.kind == "chapter"]
