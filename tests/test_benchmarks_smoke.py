"""The tracing benchmark runs end to end at tiny sizes and reports agreement with pyBKT (no timing checks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import script_module

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
    bench = script_module(SCRIPT)
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
    singles = single_response_rows(done.stdout)
    print("\n".join(f"{name}: p99 {row['p99 ms']} ms, floor p99 {row['floor p99']} ms, "
                     f"round trips {row['round trips/resp']}" for name, row in singles.items()))
    assert set(singles) == ({"SQLite", "PostgreSQL"} if extra == [] else {"SQLite"})
    if "PostgreSQL" in singles:  # a count, not a time: what one response costs in trips to the server
        assert float(singles["PostgreSQL"]["round trips/resp"]) <= 6, done.stdout


def single_response_rows(out: str) -> dict[str, dict[str, str]]:
    """The single-response table of bench_recording's output: backend -> column -> value."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("backend") and "round trips/resp" in line)
    header = ["backend", "single /s", "p50 ms", "p99 ms", "floor p50", "floor p99", "p99/floor p99",
              "round trips/resp"]  # fmt: skip
    rows = {}
    for line in lines[start + 1 :]:
        cells = line.split()
        if len(cells) != len(header):
            break
        rows[cells[0]] = dict(zip(header, cells, strict=True))
    return rows


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
