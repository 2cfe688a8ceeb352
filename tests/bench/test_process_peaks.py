"""bench/process_peaks.py: each process's own peak, a child started by exec included, not its parent's."""

import subprocess
import sys

from bench.process_peaks import ProcessPeaks

# the parent holds 300 MiB, lets it go, then starts a child that holds 60 MiB
PARENT = """
import resource, subprocess, sys
big = bytearray(300 * 2**20); big[::4096] = b"x" * len(big[::4096]); del big
subprocess.run([sys.executable, "-c", "import time; b = bytearray(60 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1)"], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def test_a_child_started_by_exec_is_measured_by_its_own_memory():
    proc = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    with ProcessPeaks(proc.pid, every=0.1) as peaks:
        said, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    name, child = peaks.largest_below_root()
    assert name.startswith("python") and 60 <= child < 150
    [parent] = [mib for (pid, _), mib in peaks.peaks.items() if pid == proc.pid]
    assert parent >= 300
    # what getrusage told the parent of the same child: its parent's peak (the reason for ProcessPeaks)
    assert int(said) >= 300
