"""On SQLite, reading never takes the write lock: a teacher's `adaptive mastery` or report runs while an import
(or any other program) holds the lock, and sees the last committed answers."""

from __future__ import annotations

import sqlite3

import pytest

from adaptive import Tutor
from adaptive.store import db
from tests.cli_run import adaptive


@pytest.fixture
def locked_school(tmp_path, monkeypatch):
    """A SQLite school with one answer committed and a second program holding the write lock."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_S", 0.2)  # a read that did wait for the lock fails quickly
    url = f"sqlite:///{tmp_path / 'school.db'}"
    with Tutor(url) as tutor:
        tutor.add_competency("frac", "Fractions")
        tutor.add_student("ana", "Ana")
        tutor.record_response("ana", competency="frac", correct=1)
    holder = sqlite3.connect(tmp_path / "school.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE student SET name = 'Uncommitted' WHERE code = 'ana'")
    yield url
    holder.rollback()
    holder.close()


def test_a_read_runs_while_another_program_holds_the_write_lock(locked_school):
    writer = sqlite3.connect(locked_school.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        writer.execute("BEGIN IMMEDIATE")  # the lock is real: any writer would have to wait
    writer.close()
    with Tutor(locked_school) as tutor:
        [ana] = tutor.mastery("ana")
        assert ana.competency == "frac" and ana.attempts == 1
        assert [s.name for s in tutor.students()] == ["Ana"]  # the last commit, not the other program's work


def test_the_mastery_command_answers_during_an_import(locked_school, monkeypatch):
    result = adaptive("--db", locked_school, "mastery", "ana")
    assert result.returncode == 0, result.stderr
    assert "Fractions" in result.stdout and "Traceback" not in result.stderr
