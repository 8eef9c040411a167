"""The Slack benchmark runs end to end at a small size and checks every message got exactly one reply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_slack_quick_answers_every_message_once() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_slack.py"), "--quick"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: OK" in done.stdout
    assert "signed DM: reply at the Web API" in done.stdout
