"""`adaptive db upgrade`, `adaptive responses import` and `adaptive mastery`, as a user runs them (in this
process; the real binary runs where a process is what is tested: its exit status, a kill half-way)."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from adaptive.store import db
from tests.cli_run import adaptive
from tests.conftest import sql

ADAPTIVE = [sys.executable, "-m", "adaptive"]


def run(url: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return adaptive("--db", url, *args, cwd=cwd)


def run_binary(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ADAPTIVE, "--db", url, *args], capture_output=True, text=True, timeout=300)


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def generated_rows(n: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    return [
        {"student": f"s{rng.randint(1, 20)}", "competency": rng.choice(["add", "sub", "mul"]),
         "correct": rng.randint(0, 1), "timestamp": f"2024-09-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
         f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"}
        for _ in range(n)
    ]  # fmt: skip


def scalar(url: str, statement: str):
    ((value,),) = sql(url, statement)
    return value


def test_db_upgrade_creates_the_schema_and_is_repeatable(database_url):
    first = run(database_url, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    head = db.head_revision()
    assert head in first.stdout
    assert run(database_url, "db", "upgrade").returncode == 0
    assert scalar(database_url, "SELECT version_num FROM alembic_version") == head


def test_import_then_mastery_table_and_json(database_url, tmp_path, assert_mastery_is_replay):
    rows = [
        {"student": "ana", "competency": "add", "correct": "1", "score": "", "timestamp": "2024-09-02T10:00:00Z"},
        {"student": "ana", "competency": "add", "correct": "", "score": "4", "timestamp": "2024-09-02T10:05:00Z"},
        {"student": "ana", "competency": "sub", "correct": "0", "score": "", "timestamp": "2024-09-02T09:00:00"},
    ]
    path = write_csv(tmp_path / "responses.csv", rows)
    done = run(database_url, "responses", "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "3 responses recorded" in done.stdout
    again = run(database_url, "responses", "import", str(path))
    assert "0 responses recorded, 3 already stored" in again.stdout
    table = run(database_url, "mastery", "ana")
    assert table.returncode == 0 and "P(mastered)" in table.stdout and "add" in table.stdout
    data = json.loads(run(database_url, "mastery", "ana", "--json").stdout)
    assert [(d["competency"], d["attempts"]) for d in data] == [("add", 2), ("sub", 1)]
    assert {"student", "competency", "p_mastered", "level", "attempts"} <= data[0].keys()
    assert_mastery_is_replay(database_url)


def test_mastery_of_an_unknown_student_is_one_line_error(database_url):
    done = run_binary(database_url, "mastery", "nobody")  # the real binary: its exit status and stderr
    assert done.returncode != 0
    assert done.stderr.strip() == "error: unknown student 'nobody'"


GOOD = "student,competency,correct,timestamp\nana,add,1,2024-09-02T10:00:00Z\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"", "empty file"),
        (b"student,competency,correct,timestamp\n", "no response rows"),
        (b"student,correct,timestamp\nana,1,2024-09-02\n", ":1: missing column competency or item"),
        (b"student,competency,timestamp\nana,add,2024-09-02\n", ":1: missing column correct or score"),
        (b"student,competency,correct\nana,add,1\n", ":1: missing column timestamp"),
        (b"student,competency,correct,timestamp,colour\nana,add,1,2024-09-02,red\n", "unknown column 'colour'"),
        ((GOOD + "ben,add,yes,2024-09-02T10:00:00Z\n").encode(), ":3: correct must be 0 or 1, got 'yes'"),
        ((GOOD + "ben,add,2,2024-09-02\n").encode(), ":3: correct must be 0 or 1, got '2'"),
        (b"student,competency,score,timestamp\nana,add,9,2024-09-02\n", ":2: score 9.0 is not on the scale"),
        (b"student,competency,score,timestamp\nana,add,lots,2024-09-02\n", ":2: score 'lots' is not a number"),
        ((GOOD + "ben,add,1,yesterday\n").encode(), ":3: unparsable timestamp 'yesterday'"),
        ((GOOD + "ben,add,1\n").encode(), ":3: expected 4 fields"),
        ((GOOD + ",add,1,2024-09-02\n").encode(), ":3: student is empty"),
        (b"student,competency,correct,score,timestamp\nana,add,1,4,2024-09-02\n", ":2: give exactly one of"),
        (b"student,competency,correct,timestamp,source\nana,add,1,2024-09-02,quiz\n", ":2: source must be"),
        (b"student,item,correct,timestamp\nana,q-unknown,1,2024-09-02\n", ":2: unknown item 'q-unknown'"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"),
        (b"student,competency,correct,timestamp\n\xff\xfe\xfa,add,1,2024-09-02\n", ":2: not UTF-8 text"),
    ],
)
def test_bad_input_is_one_line_naming_file_and_line_and_writes_nothing(database_url, tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    if content is not None:
        path.write_bytes(content)
    done = run(database_url, "responses", "import", str(path))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith(f"error: {path}") and expected in lines[0], lines[0]
    if run(database_url, "db", "upgrade").returncode == 0:
        assert scalar(database_url, "SELECT count(*) FROM response") == 0
        assert scalar(database_url, "SELECT count(*) FROM student") == 0


def test_a_bad_row_late_in_a_large_file_writes_nothing(database_url, tmp_path):
    rows = generated_rows(3000)
    rows[2900]["correct"] = "maybe"
    done = run(database_url, "responses", "import", str(write_csv(tmp_path / "big.csv", rows)), "--chunk-size", "100")
    assert done.returncode != 0 and ":2902: correct must be 0 or 1" in done.stderr
    assert scalar(database_url, "SELECT count(*) FROM response") == 0


@pytest.mark.slow
def test_import_killed_half_way_then_rerun_stores_every_row_once(database_url, tmp_path, assert_mastery_is_replay):
    rows = generated_rows(12_000, seed=11)
    rows += rows[:500]  # identical rows are distinct responses: each occurrence stored once
    path = write_csv(tmp_path / "large.csv", rows)
    assert run(database_url, "db", "upgrade").returncode == 0
    # Whole chunks commit the same way whichever way the rules decide; the faster per-chunk decisions keep
    # 12,000 rows within the suite's time (deciding after every answer is tested in tests/decisions).
    cmd = [*ADAPTIVE, "--db", database_url, "responses", "import", str(path), "--chunk-size", "500",
           "--batch-decisions"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while stored < 2000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        stored = scalar(database_url, "SELECT count(*) FROM response")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = scalar(database_url, "SELECT count(*) FROM response")
    assert 0 < at_kill < len(rows), "the import should have been killed half-way"
    assert at_kill % 500 == 0  # whole chunks only
    done = run(database_url, "responses", "import", str(path), "--chunk-size", "500", "--batch-decisions")
    assert done.returncode == 0, done.stderr
    assert f"{len(rows) - at_kill} responses recorded, {at_kill} already stored" in done.stdout
    assert scalar(database_url, "SELECT count(*) FROM response") == len(rows)
    assert scalar(database_url, "SELECT count(DISTINCT idempotency_key) FROM response") == len(rows)
    assert_mastery_is_replay(database_url)
