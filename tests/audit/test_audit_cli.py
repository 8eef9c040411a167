"""``adaptive audit`` and the command line's own reads: a command that shows a student's data is logged as
``cli:`` and the operating-system user who ran it; the audit trail prints newest first, filtered by student,
actor and time, and its CSV opens in a spreadsheet as the words logged, never as formulas."""

import csv
import datetime as dt
import io

import pytest

from adaptive import Tutor
from adaptive.demo.course import sample_course
from tests.cli_run import adaptive


@pytest.fixture
def school(tutor, monkeypatch):
    monkeypatch.setenv("LOGNAME", "kim")  # getpass.getuser() reads LOGNAME first
    tutor.import_curriculum(sample_course())
    tutor.add_teacher("t-kim", "Mr. Kim")
    tutor.add_section("p3", "Math 6, period 3", teacher="t-kim")
    tutor.add_student("ana", "Ana Diaz")
    tutor.add_student("ben", "Ben Li")
    tutor.enroll("p3", ["ana", "ben"])
    tutor.record_response("ana", item="ns2-practice-a", correct=True)
    return tutor


def run(tutor, *args):
    done = adaptive("--db", tutor.url, *args)
    assert done.returncode == 0, done.stderr
    return done


def test_a_teacher_reading_a_students_mastery_on_the_command_line_is_logged_with_the_os_user(school):
    assert "6.NS.2" in run(school, "mastery", "ana").stdout
    [entry] = school.audit_entries()
    assert (entry.actor, entry.action, entry.student, entry.what) == ("cli:kim", "read", "ana", "mastery")


def test_a_command_that_shows_no_students_data_is_not_logged(school):
    run(school, "sections")
    run(school, "students", "p3")
    assert school.audit_entries() == []


def test_the_audit_table_is_newest_first_with_time_actor_action_student_and_what(school):
    run(school, "mastery", "ana")
    with school.acting_as("slack:U1 (teacher t-kim)"):
        school.goals("ben")
    out = run(school, "audit").stdout
    assert all(column in out for column in ("time", "actor", "action", "student", "what"))
    assert out.index("slack:U1 (teacher t-kim)") < out.index("cli:kim")
    assert "goals" in out and "mastery" in out


def test_the_audit_filters_by_student_actor_and_time(school):
    run(school, "mastery", "ana")
    with school.acting_as("slack:U1 (teacher t-kim)"):
        school.goals("ben")
    about_ana = run(school, "audit", "--student", "ana").stdout
    assert "mastery" in about_ana and "ben" not in about_ana
    by_slack = run(school, "audit", "--actor", "slack:*").stdout
    assert "slack:U1" in by_slack and "cli:kim" not in by_slack
    today = dt.datetime.now(dt.UTC).date()
    assert "mastery" in run(school, "audit", "--since", today.isoformat(), "--until", today.isoformat()).stdout
    assert "no audit entries match" in run(school, "audit", "--until", "2001-01-01").stdout
    assert "mastery" in run(school, "audit", "--since", "3 days ago").stdout
    assert "no audit entries match" in run(school, "audit", "--since", "in 3 days", "--student", "ana").stdout


def test_limit_keeps_the_newest(school):
    with school.acting_as("cli:kim"):
        school.mastery("ana")
        school.goals("ben")
    out = run(school, "audit", "--limit", "1").stdout
    assert "goals" in out and "mastery" not in out


def test_the_csv_neutralises_formulas_and_carries_the_detail(school, tmp_path):
    with school.acting_as('=HYPERLINK("http://evil.example","x")'):
        school.mastery("ana")
    out = tmp_path / "audit.csv"
    assert "written to" in run(school, "audit", "--csv", out).stdout
    rows = [r for r in csv.DictReader(io.StringIO(out.read_text())) if r["what"] == "mastery"]
    assert rows[0]["actor"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert rows[0]["student"] == "ana" and rows[0]["detail"].endswith("competencies")


@pytest.mark.parametrize("args, said", [
    (["--since", "not a date at all"], "--since 'not a date at all'"),
    (["--limit", "-1"], "--limit must be 0"),
    (["--csv", "no-such-folder/audit.csv"], "does not exist"),
])
def test_bad_options_are_one_line_errors(school, args, said, tmp_path):
    done = adaptive("--db", school.url, "audit", *args, cwd=tmp_path)
    assert done.returncode != 0 and said in done.stderr and "Traceback" not in done.stderr


def test_an_embedding_app_reads_the_trail_with_tutor_audit_entries(school):
    with Tutor(school.url, actor="api:gradebook") as app:
        app.student_report("ana")
        [entry] = app.audit_entries(actor="api:gradebook")
    assert (entry.student, entry.what) == ("ana", "report card")
