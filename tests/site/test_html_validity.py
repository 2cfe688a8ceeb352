"""Every page of the built site is valid HTML by the Nu Html Checker (the W3C validator, vnu.jar from npm, run on
Debian's Java, offline): a sample holding every template in `make test`, the whole site in `make test-whole-site`."""

import re
import shutil
import subprocess

import pytest

from tests.repo import ROOT
from tests.site.sample import sample_of_every_template

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
needs_vnu = pytest.mark.skipif(not VNU.is_file() or not shutil.which("java"),
                               reason="vnu-jar is installed by `make test` with npm, Java by .ci/run (default-jre-headless)")


# For a run of seconds: the JVM's first compiler only and one GC thread, half the CPU of its defaults on the sample
# (8.7 -> 4.1 CPU-seconds), which the other test workers then have.
SHORT_RUN = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def _check(*paths, jvm: list[str] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(["java", "-Xss2m", *jvm, "-jar", str(VNU), "--errors-only", "--format", "text",
                           "--skip-non-html", *map(str, paths)], capture_output=True, text=True, timeout=300)


def _split_pages(site) -> list:
    """The list of tables of measures and the index of pairs by document, which only a corpus larger than the
    seeds makes (small_pages_site in tests/conftest.py), in both languages."""
    return [p for lang in (site, site / "en") for p in
            [lang / "tiltak.html", *lang.glob("tiltak/*.html"), lang / "spor" / "index.html",
             *lang.glob("spor/dokumenter/*.html")]]


@needs_vnu
def test_a_sample_of_every_template_is_valid_html(built, small_pages_site):
    """With the pages a large corpus is split into (one run of the checker: it takes seconds to start)."""
    templates = {p.stem for p in (ROOT / "site" / "templates").glob("*.html") if not p.stem.startswith("_")} - {"base"}
    sample = sample_of_every_template(built.out / "site")
    found = {re.search(r'<body class="page-([\w-]+)"', p.read_text(encoding="utf-8")).group(1) for p in sample}
    assert found == templates
    split = _split_pages(small_pages_site)
    assert len(split) > 20
    proc = _check(*sample, *split, jvm=SHORT_RUN)
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert "No errors found" in proc.stderr + proc.stdout


@pytest.mark.whole_site
@needs_vnu
def test_every_page_is_valid_html(built):
    proc = _check(built.out / "site")
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert "No errors found" in proc.stderr + proc.stdout


@needs_vnu
def test_the_validity_check_does_find_errors(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="nb"><head><title>x</title></head><body>'
                   '<pre aria-label="x">y</pre><p><div>z</div></p></body></html>', encoding="utf-8")
    proc = _check(bad, jvm=SHORT_RUN)
    assert proc.returncode != 0 and "aria-label" in proc.stderr

