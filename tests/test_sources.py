"""The sources carry the texts helsegraf maps, unchanged, with a manifest that says what is curated."""

import hashlib

import pytest

from helsegraf.errors import InputError
from tests.repo import SOURCES
from helsegraf.sources import load_manifest, read_source


def test_manifest_names_the_seeds_first_and_then_programme_pdfs_with_unique_slugs(manifest):
    from tests.conftest import SEEDS

    slugs = [d.slug for d in manifest.documents]
    assert slugs[:5] == SEEDS and len(set(slugs)) == len(slugs)
    rest = manifest.documents[5:]
    assert rest and all(d.is_pdf and d.parser == "programme" and d.pages for d in rest)


def test_texts_are_unchanged(manifest):
    for d in manifest.documents:
        assert hashlib.sha256(d.path.read_bytes()).hexdigest() == d.sha256, d.path
        assert d.path.is_relative_to(SOURCES)


def test_curated_facts_follow_the_seed_readme(manifest):
    curated = {d.slug: set(d.curated) for d in manifest.documents}
    assert curated["meld-st-9-2023-2024"] == set()
    assert curated["tale-nhsp-2024"] == {"date", "issuer"}
    assert {"date", "issuer"} <= curated["hurdalsplattformen-2021-helse"]
    assert curated["ap-var-felles-helsetjeneste-2023"] == {"date", "issuer"}


def test_missing_source_names_the_file(manifest, sources_copy):
    m = load_manifest(sources_copy)
    doc = m.documents[0]
    doc.path.unlink()
    with pytest.raises(InputError, match="missing") as e:
        read_source(doc)
    assert e.value.path == doc.path


def test_empty_source(sources_copy):
    doc = load_manifest(sources_copy).documents[1]
    doc.path.write_bytes(b"\n\n")
    with pytest.raises(InputError, match="empty"):
        read_source(doc)


def test_not_utf8_gives_the_line(sources_copy):
    doc = load_manifest(sources_copy).documents[2]
    doc.path.write_bytes("linje én\nlinje to\n".encode() + b"\xff\xfe ugyldig\n")
    with pytest.raises(InputError, match="not UTF-8") as e:
        read_source(doc, check_sha256=False)
    assert e.value.line == 3


def test_edited_text_is_refused(sources_copy):
    doc = load_manifest(sources_copy).documents[2]
    doc.path.write_text(doc.path.read_text(encoding="utf-8") + "endret\n", encoding="utf-8")
    with pytest.raises(InputError, match="sha256"):
        read_source(doc)


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('slug = "tale-nhsp-2024"', 'slug = "meld-st-9-2023-2024"', "duplicate slug"),
        ('parser = "speech"', 'parser = "poem"', "unknown parser"),
        ('date = "2023"', 'date = "i fjor"', "date"),
        ('curated = ["date", "issuer"]\n\n[[document]]\nslug = "hurdal',
         'curated = ["colour"]\n\n[[document]]\nslug = "hurdal', "curated fact"),
    ],
)
def test_bad_manifest_rows_point_at_the_row(sources_copy, old, new, message):
    text = sources_copy.read_text(encoding="utf-8")
    assert old in text
    sources_copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=message) as e:
        load_manifest(sources_copy)
    assert e.value.line is not None
    assert sources_copy.read_text(encoding="utf-8").splitlines()[e.value.line - 1] == "[[document]]"


def test_malformed_toml_gives_the_line(sources_copy):
    sources_copy.write_text('[[document]]\nslug = "x\n', encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML") as e:
        load_manifest(sources_copy)
    assert e.value.line == 2


@pytest.mark.parametrize("old, new, message", [
    ('pages = "24-34"', 'pages = "24-x"', "pages"),
    ('start = "Rus og rusomsorg"', 'start = "Finnes ikke"', "not on pages"),
])
def test_a_bad_pdf_entry_names_the_file(sources_copy, old, new, message):
    """A PDF entry's page range and headings are checked; a heading not found is named, not silently skipped."""
    from helsegraf.parse import parse_document

    text = sources_copy.read_text(encoding="utf-8")
    assert old in text
    sources_copy.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as e:
        for d in load_manifest(sources_copy).documents:
            if d.is_pdf:
                parse_document(d)
    assert message in str(e.value) and ("krf-2025-2029.pdf" in str(e.value) or "manifest.toml" in str(e.value))


def test_a_white_paper_with_no_measures_fails_with_its_file(sources_copy):
    """Regression (issue #10): a one-sentence "white paper" built successfully with 0 measures."""
    from helsegraf.parse import parse_document

    doc = load_manifest(sources_copy).documents[0]
    doc.path.write_text("Meld. St. 1 (2030–2031)\n\nRegjeringen er fornøyd.\n", encoding="utf-8")
    with pytest.raises(InputError, match="no measures or commitments") as e:
        parse_document(doc, check_sha256=False)
    assert e.value.path == doc.path
