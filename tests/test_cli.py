"""The command line: --help everywhere, and no command, option or query left undocumented."""

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from helsegraf.cli import main
from tests.repo import ROOT
from helsegraf.queries import library_queries

COMMANDS = sorted(main.commands)
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_and_option_is_documented(command):
    assert f"## helsegraf {command}" in CLI_DOC
    for param in main.commands[command].params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in CLI_DOC, f"{command} {opt} is not in docs/cli.md"


def test_every_global_option_is_documented():
    for param in main.params:
        for opt in param.opts:
            if opt.startswith("--") and opt not in ("--help", "--version"):
                assert f"`{opt}" in CLI_DOC, f"helsegraf {opt} is not in docs/cli.md"


def test_documented_commands_exist():
    assert sorted(re.findall(r"^## helsegraf ([\w-]+)", CLI_DOC, re.M)) == COMMANDS


def test_every_query_is_documented():
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([\w-]+)` \|", doc, re.M))
    assert documented == {q.name for q in library_queries()}


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme


def test_unknown_query_is_a_data_error_listing_the_library():
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "query", "no-such-query"], capture_output=True, text=True)
    assert proc.returncode == 65
    assert "the library has: " in proc.stderr and "measures" in proc.stderr


def test_query_piped_defaults_to_csv(built, manifest):
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "query", "documents", "--store", str(built.out / "store")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "document,title,date,genre"
    assert len(proc.stdout.splitlines()) == 1 + len(manifest.documents)


def test_missing_store_is_a_clear_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "query", "documents", "--store", str(tmp_path / "none")],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "run 'helsegraf build' first" in proc.stderr


def test_inspect_parsed_shows_lists_lead_ins_and_what_was_refused():
    from tests.repo import SOURCES

    result = CliRunner().invoke(main, ["inspect", str(SOURCES / "pdf" / "sv-2025-2029-forslag.pdf"), "--pages",
                                       "22-27", "--parsed", "--start", "2.3 Helse og omsorg", "--stop", "2.4 Familie"])
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert "p22   heading  2.3 Helse og omsorg" in out
    assert out.count("p23   list     lead-in 'SV vil' -> commitment") == 1
    assert "p23        1  styrke helsestasjonene og skolehelsetjenesten, spesielt i videregående skole" not in out
    assert "p23        2  styrke helsestasjonene og skolehelsetjenesten, spesielt i videregående skole" in out
    assert "coverage: lines 191, headings 7, markers 49, lead_ins 6, items 49, commitments 48, text_items 1" in out
    assert any(line.startswith("refused_lists: DISSENS 3") for line in out)


def test_inspect_a_text_source_with_its_genre_parser():
    from tests.repo import SOURCES

    result = CliRunner().invoke(main, ["inspect", str(SOURCES / "texts" / "002_03c0ab8b85c03008.txt"),
                                       "--parser", "speech"])
    assert result.exit_code == 0, result.output
    assert "l152  list     lead-in 'Det handler om tre spor:' -> speech_pledge" in result.output.splitlines()
    assert result.output.splitlines()[-1] == ("coverage: lines 284, parts 10, lists 3, items 12, main_move 6, "
                                              "speech_pledge 6")


def test_build_help_shows_the_search_bundles_real_default():
    """--help shows the default as text, so the CLI need not import the site's code to start: it must be the one
    the build uses."""
    from helsegraf.site.search_index import PAGES_PER_BUNDLE

    option = next(p for p in main.commands["build"].params if p.name == "search_bundle_pages")
    assert option.show_default == f"{PAGES_PER_BUNDLE:,}"
    assert f"{PAGES_PER_BUNDLE:,}" in CLI_DOC.split("`--search-bundle-pages N`", 1)[1].split("\n", 1)[0]


def test_trace_weights_counts_the_manifests_documents_into_the_same_table_each_time(one_manifest, tmp_path):
    from helsegraf.traces.weights import load_counts

    outs = [tmp_path / "a.toml", tmp_path / "b.toml"]
    for out in outs:
        proc = subprocess.run([sys.executable, "-m", "helsegraf", "trace-weights", "--manifest", str(one_manifest),
                               "--out", str(out)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    counts = load_counts(outs[0])
    assert counts.documents == ("tale-nhsp-2024",) and counts.items > 5 and counts.counts
    assert f"over {counts.items} items of 1 documents" in proc.stdout
    assert outs[0].read_bytes() == outs[1].read_bytes()


def test_trace_weights_of_a_bad_manifest_is_a_data_error(tmp_path):
    bad = tmp_path / "manifest.toml"
    bad.write_text("[[document]]\nslug = 3\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "trace-weights", "--manifest", str(bad), "--out",
                           str(tmp_path / "w.toml")], capture_output=True, text=True)
    assert proc.returncode == 65 and str(bad) in proc.stderr and not (tmp_path / "w.toml").exists()
