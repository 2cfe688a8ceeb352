"""The documents' source lines kept on disk between the build's stages (site/source_lines.py)."""

from helsegraf.site.source_lines import SourceLines


def test_lines_read_back_are_the_lines_written_whatever_characters_they_hold(tmp_path):
    lines = {"https://example.org/id/a": ["første linje", "a\rb", "c\u2028d", "\x0b\x1c", "", "«sitat» – 5 %"],
             "https://example.org/id/b": ["én"]}
    written = SourceLines.write(tmp_path / "lines", lines)
    again = SourceLines(tmp_path / "lines")  # another process opens the folder
    for found in (written, again):
        assert dict(found) == lines
        assert found.get("https://example.org/id/c") is None
        assert len(found) == 2 and sorted(found) == sorted(lines)


def test_a_folder_without_its_index_is_an_error_not_an_empty_corpus(tmp_path):
    import pytest

    (tmp_path / "lines").mkdir()
    with pytest.raises(FileNotFoundError):
        SourceLines(tmp_path / "lines")
