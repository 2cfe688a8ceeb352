"""The CI entry point is a valid shell script that ends by running the contract's `make test` (regression: an edit
once cut it in half and CI would have failed before running any test)."""

import subprocess

from tests.repo import ROOT


def test_ci_run_is_valid_bash_and_runs_make_test():
    script = ROOT / ".ci" / "run"
    subprocess.run(["bash", "-n", str(script)], check=True, capture_output=True)
    lines = [ln.strip() for ln in script.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines[0] == "set -euo pipefail" and lines[-1].split()[:2] == ["make", "test"]
    assert script.stat().st_mode & 0o111
