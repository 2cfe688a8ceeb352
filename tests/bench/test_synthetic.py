"""bench/synthetic.py: documents with the real ones' structure and other words, the same bytes for the same
arguments. (That its corpus builds whole, site and all: the shared synthetic build of tests/conftest.py, which the
build mechanics' tests use.)"""

import pytest

from bench.synthetic import write_corpus
from helsegraf.parse import parse_document
from helsegraf.sources import load_manifest
from tests.conftest import SEEDS, SPEECH


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("synthetic") / "sources", copies=2, max_lines=150)


def _files(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_each_text_source_gives_its_copies_which_parse_with_their_checksums(corpus, parsed):
    docs = load_manifest(corpus).documents
    assert [d.slug for d in docs] == [f"{s}-syntetisk-{i}" for s in SEEDS for i in (1, 2)]
    for d in docs:
        p = parse_document(d)  # the checksum in the manifest is checked here
        assert p.measures, d.slug
        real = parsed[d.slug.rsplit("-syntetisk-", 1)[0]]
        # cut after the first part past 150 lines: fewer lines, but never fewer than the first measure needs
        assert len(p.lines) <= len(real.lines) and p.items[0].key == real.items[0].key


def test_copies_share_their_structure_but_not_their_words(corpus, parsed):
    docs = {d.slug: parse_document(d) for d in load_manifest(corpus).documents}
    for seed in SEEDS:
        one, two = docs[f"{seed}-syntetisk-1"], docs[f"{seed}-syntetisk-2"]
        assert [(i.kind, i.key, i.part) for i in one.items] == [(i.kind, i.key, i.part) for i in two.items]
        real = {i.key: i.text for i in parsed[seed].items}
        same_as_copy = sum(a.text == b.text for a, b in zip(one.items, two.items))
        same_as_real = sum(real.get(i.key) == i.text for i in one.items)
        # items too short to vary (under four words) stay as they are
        short = sum(len(i.text.split()) < 4 for i in one.items)
        assert same_as_copy <= short and same_as_real <= short, seed


def test_the_same_arguments_write_the_same_bytes(corpus, tmp_path):
    again = write_corpus(tmp_path / "sources", copies=2, max_lines=150)
    assert _files(corpus.parent) == _files(again.parent)
    other = write_corpus(tmp_path / "seeded", copies=1, max_lines=150, seed=7, only=[SPEECH])
    assert (other.parent / "texts" / f"{SPEECH}-syntetisk-1.txt").read_bytes() != \
        (corpus.parent / "texts" / f"{SPEECH}-syntetisk-1.txt").read_bytes()
