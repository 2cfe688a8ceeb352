"""How many processes a build uses when it is not told: HELSEGRAF_JOBS, else the cores it may run on."""

import os
import subprocess
import sys

import pytest

from helsegraf.cores import JOBS_VARIABLE, default_jobs
from helsegraf.errors import UsageError


def test_the_variable_sets_the_default(monkeypatch):
    monkeypatch.setenv(JOBS_VARIABLE, "3")
    assert default_jobs() == 3


def test_without_the_variable_every_core_this_process_may_use(monkeypatch):
    monkeypatch.delenv(JOBS_VARIABLE, raising=False)
    assert default_jobs() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_value_that_is_no_number_of_processes_is_a_usage_error_naming_it(monkeypatch, value):
    monkeypatch.setenv(JOBS_VARIABLE, value)
    with pytest.raises(UsageError, match=f"{JOBS_VARIABLE} must be a whole number of processes, 1 or more, not "):
        default_jobs()


def test_the_cli_reads_it_as_its_jobs_option(tmp_path):
    """A bad value is refused as a bad -j is (click's usage error, exit 2, naming the option), before any work."""
    proc = subprocess.run([sys.executable, "-m", "helsegraf", "build", "--out", str(tmp_path / "b"), "--no-site"],
                          capture_output=True, text=True, env={**os.environ, JOBS_VARIABLE: "0"})
    assert proc.returncode == 2 and "'--jobs': 0 is not in the range" in proc.stderr, proc.stderr
    assert not (tmp_path / "b").exists()
