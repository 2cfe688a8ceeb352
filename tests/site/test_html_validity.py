"""Every page of the built site is valid HTML by the Nu Html Checker (the W3C validator, vnu.jar from npm, run on
Debian's Java, offline)."""

import shutil
import subprocess

import pytest

from tests.repo import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
needs_vnu = pytest.mark.skipif(not VNU.is_file() or not shutil.which("java"),
                               reason="vnu-jar is installed by `make test` with npm, Java by .ci/run (default-jre-headless)")


def _check(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(["java", "-Xss2m", "-jar", str(VNU), "--errors-only", "--format", "text", "--skip-non-html",
                           *map(str, paths)], capture_output=True, text=True, timeout=300)


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
    proc = _check(bad)
    assert proc.returncode != 0 and "aria-label" in proc.stderr
