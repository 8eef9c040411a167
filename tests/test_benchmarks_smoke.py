"""The tracing benchmark runs end to end at tiny sizes and reports agreement with pyBKT (no timing checks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_tracing.py"


def test_bench_tracing_quick_agrees_with_pybkt() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=SCRIPT.parents[1],
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "agreement: OK" in done.stdout
    assert "predict, 4,000 rows, 8 skills" in done.stdout


def test_bench_tracing_exits_nonzero_when_values_disagree(monkeypatch, capsys) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_tracing", SCRIPT)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    real = bench.predict

    def off_by_a_little(data, params):
        out = real(data, params)
        out.state_predictions[0] += 1e-4
        return out

    monkeypatch.setattr(bench, "predict", off_by_a_little)
    assert bench.main(["--quick"]) == 1
    assert "agreement: FAILED" in capsys.readouterr().out


def test_bench_recording_quick_stores_what_a_replay_gives() -> None:
    import os

    extra = [] if os.environ.get("ADAPTIVE_TEST_POSTGRES_URL") else ["--no-postgres"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT.parent / "bench_recording.py"), "--quick", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=SCRIPT.parents[1],
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "agreement: OK" in done.stdout
    assert "SQLite" in done.stdout


def test_bench_roster_quick_imports_everything_and_a_second_import_changes_nothing() -> None:
    import os

    extra = [] if os.environ.get("ADAPTIVE_TEST_POSTGRES_URL") else ["--no-postgres"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT.parent / "bench_roster.py"), "--quick", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=SCRIPT.parents[1],
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: OK" in done.stdout
    assert "SQLite" in done.stdout


def test_bench_decision_quality_quick_replays_real_answers_and_reports_every_figure() -> None:
    import pytest

    data = SCRIPT.parents[2] / "shared" / "data" / "assistments2009" / "train.csv"
    if not data.exists():
        pytest.skip(f"the ASSISTments 2009 data is not at {data}")
    done = subprocess.run(
        [sys.executable, str(SCRIPT.parent / "bench_decision_quality.py"), "--students", "12", "--per-day", "30"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=SCRIPT.parents[1],
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for figure in ("open flags per student-day", "flags open on a mastered pair", "more than one open flag",
                   "students pulled per section-day", "coverage", "time: recording"):
        assert figure in done.stdout
    assert "pairs with more than one open flag: max 0" in done.stdout


def test_bench_web_quick_times_the_pages_against_the_static_file() -> None:
    import os

    extra = [] if os.environ.get("ADAPTIVE_TEST_POSTGRES_URL") else ["--no-postgres"]
    done = subprocess.run(
        [sys.executable, str(SCRIPT.parent / "bench_web.py"), "--quick", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=SCRIPT.parents[1],
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "morning page /teacher" in done.stdout and "student page /me" in done.stdout
    assert "SQLite: one section of 30 students" in done.stdout
