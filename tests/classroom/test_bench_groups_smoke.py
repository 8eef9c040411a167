"""The district-wide small-group benchmark runs end to end at tiny sizes on PostgreSQL (no timing checks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_groups.py"


@pytest.mark.skipif(not os.environ.get("ADAPTIVE_TEST_POSTGRES_URL"),
                    reason="the benchmark reads from PostgreSQL: set ADAPTIVE_TEST_POSTGRES_URL")
def test_bench_groups_quick_gives_the_same_lists_as_one_section_at_a_time() -> None:
    command = [sys.executable, str(SCRIPT), "--quick", "--postgres", os.environ["ADAPTIVE_TEST_POSTGRES_URL"]]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=SCRIPT.parents[1])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: OK" in done.stdout
    assert "500 students in 20 sections x 10 competencies" in done.stdout
    assert "small_groups_all, preview (read + group)" in done.stdout
