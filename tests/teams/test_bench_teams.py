"""The Teams benchmark runs end to end at a small size: every message answered once, in its sender's chat, and
the figures printed against the raw anchor (no timing is checked)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_teams_quick_answers_every_message_once_and_prints_the_ratio() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_teams.py"), "--messages", "60",
                           "--clients", "2"], capture_output=True, text=True, timeout=300, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: OK" in done.stdout and "60 messages from 2 clients" in done.stdout
    for row in ("raw POST on the same uvicorn", "DM: reply at the connector"):
        assert re.search(rf"^{row} +\d+ +\d+\.\d\d +\d+\.\d\d$", done.stdout, flags=re.M), row
    assert re.search(r"^ratio: raw round trips / handled messages per s \d+\.\dx", done.stdout, flags=re.M)
