"""Names in the classroom lists: every student entry in small groups, peers and rotation schedules carries
the roster's name beside the code, in the CLI's table, CSV and JSON; mini-lessons carry item titles."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from adaptive.cli import app
from adaptive.cli.classroom import school_day as parse_day
from tests.classroom.school import school_day

NAMES = {"ana": "Ana Ruiz", "ben": "Ben Okafor", "cy": "Cy Walsh", "eli": "Eli Park"}


@pytest.fixture
def named_class(school):
    school.enroll("6A", list(NAMES))
    for code, name in NAMES.items():
        school.tutor.add_student(code, name=name)
    for s in ("ana", "ben", "cy"):
        school.stuck(s, "6.NS.2")
    school.fluent("eli", "6.NS.2")
    return school


def test_groups_peers_and_rotation_show_names_beside_codes_in_tables_csv_and_json(named_class, tmp_path):
    run, db = CliRunner().invoke, ["--db", named_class.tutor.url]
    day = ["--date", school_day().isoformat()]
    out = tmp_path / "groups.csv"

    table = run(app, [*db, "groups", "6A", *day, "--preview", "--csv", str(out)], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    words = " ".join(table.stdout.split())  # as read, whatever the terminal's width
    assert "Ana Ruiz" in words and "Long division, step by step" in words  # a mini-lesson's title
    assert "(when flagged," in words  # the reason is the flag's snapshot, not today's mastery
    assert {r["student"]: r["name"] for r in csv.DictReader(out.open())} == {s: NAMES[s] for s in ("ana", "ben", "cy")}
    (group,) = json.loads(run(app, [*db, "groups", "6A", *day, "--preview", "--json"]).stdout)["groups"]
    assert [(m["student"], m["name"]) for m in group["students"]] == [(s, NAMES[s]) for s in ("ana", "ben", "cy")]
    assert group["mini_lesson"][0]["title"] == "Long division, step by step"
    assert group["students"][0]["labelled_reason"].startswith("3 wrong in a row (when flagged, ")

    peers = json.loads(run(app, [*db, "peers", "6A", *day, "--json"]).stdout)
    assert {(p["tutor_name"], p["tutee_name"]) for p in peers["pairs"]} == {("Eli Park", "Ana Ruiz"),
                                                                            ("Eli Park", "Ben Okafor")}
    assert peers["unpaired"] == [{"student": "cy", "name": "Cy Walsh", "competency": "6.NS.2"}]
    assert "Eli Park (eli)" in run(app, [*db, "peers", "6A", *day], env={"COLUMNS": "200"}).stdout

    schedule = json.loads(run(app, [*db, "rotation", "6A", *day, "--model", "individual", "--json"]).stdout)
    assert {(a["student"], a["name"]) for b in schedule["blocks"] for a in b["students"]} == set(NAMES.items())
    assert "Ana Ruiz" in run(app, [*db, "rotation", "6A", *day, "--model", "station", "--devices", "4"]).stdout


def test_the_date_can_be_today_tomorrow_or_a_weekday():
    wednesday = dt.date(2026, 12, 9)
    assert parse_day("today", wednesday) == wednesday
    assert parse_day("Tomorrow", wednesday) == dt.date(2026, 12, 10)
    assert parse_day("monday", wednesday) == dt.date(2026, 12, 14)  # the next Monday
    assert parse_day("wed", wednesday) == wednesday
    assert parse_day("2026-12-01", wednesday) == dt.date(2026, 12, 1)
    assert parse_day("someday", wednesday) is None


def test_groups_for_tomorrow_and_a_date_it_cannot_read(named_class):
    run, db = CliRunner().invoke, ["--db", named_class.tutor.url]
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    shown = run(app, [*db, "groups", "6A", "--date", "tomorrow", "--preview"])
    assert shown.exit_code == 0 and f"{tomorrow:%A %Y-%m-%d}" in shown.stdout
    refused = run(app, [*db, "rotation", "6A", "--model", "flex", "--date", "someday"])
    assert refused.exit_code != 0 and "today, tomorrow or a weekday" in refused.output


def test_the_rotation_model_can_be_named_after_the_section_and_flex_works_on_the_class(named_class):
    run, db = CliRunner().invoke, ["--db", named_class.tutor.url]
    flex = run(app, [*db, "rotation", "6A", "flex", "--date", "tomorrow", "--json"])
    assert flex.exit_code == 0, flex.output
    assert json.loads(flex.stdout)["model"] == "flex"
    missing = run(app, [*db, "rotation", "6A"])
    assert missing.exit_code != 0 and "name the rotation model" in missing.output
