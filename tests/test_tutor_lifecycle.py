"""Opening, sharing one transaction, and closing a Tutor, as an embedding app does."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

from adaptive import StoreError, Tutor, UnknownRecord
from adaptive.services.classroom import ClassroomService


def test_a_tutor_without_a_url_opens_ADAPTIVE_DB_URL_as_the_cli_does(database_url, monkeypatch):
    monkeypatch.setenv("ADAPTIVE_DB_URL", database_url)
    with Tutor() as tutor:
        assert tutor.url == database_url
        tutor.add_student("ana", "Ana")
    with Tutor(database_url) as again:
        assert [s.code for s in again.students()] == ["ana"]


def test_a_closed_tutor_refuses_further_calls_with_a_clear_error(tutor):
    tutor.add_student("ana")
    tutor.close()
    with pytest.raises(StoreError, match="closed"):
        tutor.students()
    with pytest.raises(StoreError, match="closed"):
        tutor.record_response("ana", competency="x", correct=1)


def test_a_unit_of_work_commits_every_call_at_once_or_none_of_them(tutor):
    with pytest.raises(RuntimeError), tutor.unit_of_work():
        tutor.add_student("ana")
        tutor.add_student("ben")
        assert {s.code for s in tutor.students()} == {"ana", "ben"}  # seen inside the unit of work
        raise RuntimeError("the app failed before the end")
    assert tutor.students() == []
    with tutor.unit_of_work():
        tutor.add_student("ana")
        tutor.add_student("ben")
    assert {s.code for s in tutor.students()} == {"ana", "ben"}


def test_a_call_that_fails_inside_a_unit_of_work_undoes_only_itself(tutor):
    with tutor.unit_of_work():
        tutor.add_student("ana")
        with pytest.raises(UnknownRecord):
            tutor.enroll("no-such-section", ["ana"])
        tutor.add_competency("add", "Addition")
        tutor.record_response("ana", competency="add", correct=1)
    assert [m.attempts for m in tutor.mastery("ana")] == [1]


def test_atomically_runs_the_work_as_one_transaction_and_returns_its_result(tutor):
    def enrol_a_class() -> int:
        tutor.add_section("4B", "Class 4B")
        tutor.add_student("ana")
        tutor.enroll("4B", ["ana"])
        return len(tutor.students(section="4B"))

    assert tutor.atomically(enrol_a_class) == 1

    def half_done() -> None:
        tutor.add_student("ben")
        tutor.enroll("no-such-section", ["ben"])

    with pytest.raises(UnknownRecord):
        tutor.atomically(half_done)
    assert [s.code for s in tutor.students()] == ["ana"]


def test_every_public_tutor_method_is_documented():
    undocumented = [name for name, value in inspect.getmembers(Tutor)
                    if not name.startswith("_") and callable(value) and not inspect.getdoc(value)]
    assert undocumented == []


def test_the_services_are_attributes_and_the_tutor_methods_delegate_to_them(tutor):
    assert isinstance(tutor.classroom, ClassroomService)
    assert Tutor.small_groups.__doc__ == ClassroomService.small_groups.__doc__
    assert inspect.signature(Tutor.small_groups) == inspect.signature(ClassroomService.small_groups)


def test_opening_an_up_to_date_database_reads_its_revision_once_and_starts_no_alembic(database_url):
    """Cold start: a Tutor opened on a database already at the latest schema checks the stored revision
    with one query; Alembic's migration machinery is not even imported."""
    Tutor(database_url).close()  # at the latest schema now
    probe = f"""import json, sys
import sqlalchemy as sa
statements = []
real = sa.engine.Engine.connect
def connect(self, *a, **k):
    sa.event.listen(self, "before_cursor_execute", lambda c, cur, s, *rest: statements.append(s))
    sa.engine.Engine.connect = real
    return real(self, *a, **k)
sa.engine.Engine.connect = connect
from adaptive import Tutor
Tutor({database_url!r}).close()
print(json.dumps([sorted(m for m in sys.modules if m.split(".")[0] == "alembic"), statements]))"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    alembic, statements = json.loads(done.stdout.splitlines()[-1])
    assert alembic == []
    assert [s for s in statements if "alembic_version" in s] == ["SELECT version_num FROM alembic_version"]
    assert len(statements) == 1, statements
