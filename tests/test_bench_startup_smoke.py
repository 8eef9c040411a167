"""The start-up benchmark runs end to end on a small demo database and prints its figures against the
``python -c pass`` anchor (no timing is checked: the machine running the tests may be busy)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_startup_quick_prints_each_command_against_the_anchor() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_startup.py"), "--quick"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 runs of each command" in done.stdout
    for row in ("python -c pass", "adaptive --help", "adaptive mastery stu-01"):
        assert re.search(rf"^{row} +\d+\.\d{{3}} +\d+\.\d{{3}} +\d+\.\d", done.stdout, flags=re.M), row
    assert re.search(r"^adaptive --help .*< 0\.5 (met|missed)  none$", done.stdout, flags=re.M), done.stdout
    assert re.search(r"^goals: (met|missed) ", done.stdout, flags=re.M)
