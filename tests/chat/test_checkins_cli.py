"""Check-in answers where teachers read them besides the chat: ``adaptive checkins SECTION`` (a table, CSV or
JSON; ``--teacher`` reads as one teacher, who sees only their own sections) and the student's report card."""

import csv
import io
import json

from tests.cli_run import adaptive


def _answers(classroom) -> None:
    goal = classroom.add_goal("ana", "Master Divide fractions by fractions (6.NS.1) by Friday December 5", None,
                              "6.NS.1")
    classroom.add_reflection(goal, "What helped you this week?", "the tape diagrams video")
    classroom.add_reflection(goal, "What's hard right now?", "=flipping <the> second fraction")


def test_a_teacher_reads_the_sections_checkins_on_the_command_line(classroom):
    _answers(classroom)
    db = ["--db", classroom.url]
    table = adaptive(*db, "checkins", "p3")
    assert table.returncode == 0, table.stderr
    assert "Ana Diaz" in table.stdout and "#1 6.NS.1" in table.stdout and "What helped" in table.stdout
    as_json = json.loads(adaptive(*db, "checkins", "p3", "--format", "json", "--teacher", "t-rivera").stdout)
    assert [(c["name"], c["prompt"], c["answer"]) for c in as_json] == [
        ("Ana Diaz", "What helped you this week?", "the tape diagrams video"),
        ("Ana Diaz", "What's hard right now?", "=flipping <the> second fraction")]
    rows = list(csv.DictReader(io.StringIO(adaptive(*db, "checkins", "p3", "--format", "csv").stdout)))
    assert rows[1]["answer"] == "'=flipping <the> second fraction"  # a spreadsheet shows it, never runs it
    later = adaptive(*db, "checkins", "p3", "--since", "2999-01-01")
    assert later.stdout.strip() == "p3: no check-in answers since 2999-01-01"

    refused = adaptive(*db, "checkins", "p3", "--teacher", "t-okafor")
    assert refused.returncode == 2 and "t-okafor does not teach section 'p3'" in refused.stderr
    assert "tape" not in refused.stdout
    assert "--since 'last week': write the day as YYYY-MM-DD" in adaptive(*db, "checkins", "p3", "--since",
                                                                          "last week").stderr
    assert "unknown section 'p9'" in adaptive(*db, "checkins", "p9").stderr


def test_the_report_card_shows_the_checkins_unless_left_out(classroom, tmp_path):
    _answers(classroom)
    cards = {}
    for flag in ("--checkins", "--no-checkins"):
        out = cards[flag] = tmp_path / f"ana{flag}.html"
        assert adaptive("--db", classroom.url, "report", "student", "ana", "--out", out, flag).returncode == 0
    card = cards["--checkins"].read_text()
    assert "<h2>My check-ins</h2>" in card and "=flipping &lt;the&gt; second fraction" in card  # text, not markup
    assert "My check-ins" not in cards["--no-checkins"].read_text()
    assert [c.answer for c in classroom.student_report("ana").checkins][0] == "the tape diagrams video"
