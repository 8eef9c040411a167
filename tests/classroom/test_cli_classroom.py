"""``adaptive groups``, ``adaptive peers`` and ``adaptive rotation`` end to end on one database."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from adaptive.cli import app
from tests.classroom.school import school_day


def test_groups_peers_and_rotation_commands(school, tmp_path):
    school.enroll("6A", ["ana", "ben", "cy", "dee", "eli", "fay"])
    for s in ("ana", "ben", "cy"):
        school.stuck(s, "6.NS.2")
    school.fluent("eli", "6.NS.2")
    run = CliRunner().invoke
    db = ["--db", school.tutor.url]
    day = ["--date", school_day().isoformat()]

    shown = run(app, [*db, "groups", "6A", *day, "--preview", "--json"])
    assert shown.exit_code == 0, shown.output
    listed = json.loads(shown.stdout)
    assert listed["issued"] is False and listed["max_size"] == 5
    (group,) = listed["groups"]
    assert group["competency"] == "6.NS.2" and [m["student"] for m in group["students"]] == ["ana", "ben", "cy"]
    assert group["students"][0]["reason"] == "3 wrong in a row"

    out = tmp_path / "groups.csv"
    issued = run(app, [*db, "groups", "6A", *day, "--max-size", "2", "--csv", str(out)])
    assert issued.exit_code == 0, issued.output
    assert "(issued, at most 2 a group)" in issued.stdout and "wrong in a row" in issued.stdout
    rows = list(csv.DictReader(out.open()))
    assert [(r["group"], r["student"]) for r in rows] == [("1", "ana"), ("1", "ben"), ("2", "cy")]

    peers = run(app, [*db, "peers", "6A", *day, "--json"])
    assert peers.exit_code == 0, peers.output
    assert json.loads(peers.stdout)["tutoring_counts"] == {"eli": 2}

    # The rotation follows the list issued above (groups of at most 2: ana and ben, then cy) ...
    followed = run(app, [*db, "rotation", "6A", *day, "--model", "station", "--json"])
    assert followed.exit_code == 0, followed.output
    taught = sorted(sorted(a["student"] for a in b["students"] if a["activity"].startswith("mini-lesson"))
                    for b in json.loads(followed.stdout)["blocks"])
    assert [t for t in taught if t] == [["ana", "ben"], ["cy"]]
    # ... and --max-size asks for a preview instead: one group of 3, more than the 2 devices of its block.
    short = run(app, [*db, "rotation", "6A", *day, "--model", "station", "--max-size", "5"])
    assert short.exit_code == 2 and "3 students would be on devices in minutes 20-40 but only 2" in short.output
    station = run(app, [*db, "rotation", "6A", *day, "--model", "station", "--devices", "3", "--json"])
    assert station.exit_code == 0, station.output
    schedule = json.loads(station.stdout)
    assert schedule["model"] == "station" and schedule["devices"] == 3 and len(schedule["blocks"]) == 9
    text = run(app, [*db, "rotation", "6A", *day, "--model", "flipped"])
    assert text.exit_code == 0 and "homework" in text.stdout
    custom = run(app, [*db, "rotation", "6A", *day, "--model", "station", "--stations", "teacher-led,online",
                       "--block-minutes", "30", "--devices", "3", "--json"])
    assert custom.exit_code == 0, custom.output
    assert json.loads(custom.stdout)["stations"] == ["teacher-led", "online"]


def test_classroom_commands_explain_what_they_cannot_do(school):
    school.enroll("6A", ["ana", "ben"])
    school.stuck("ana", "6.NS.2")
    school.stuck("ben", "6.NS.3")
    run = CliRunner().invoke
    db = ["--db", school.tutor.url]
    unknown = run(app, [*db, "groups", "7B"])
    assert unknown.exit_code == 2 and "unknown section '7B'; known sections: 6A" in unknown.output
    too_many = run(app, [*db, "rotation", "6A", "--model", "individual", "--max-size", "1", "--block-minutes", "60",
                         "--all-groups"])
    assert too_many.exit_code == 2
    assert "2 small groups but only 1 teacher-led blocks in 60 minutes" in too_many.output
    bad_date = run(app, [*db, "groups", "6A", "--date", "13/10"])
    assert "--date '13/10': write the school day as YYYY-MM-DD" in bad_date.output
    assert "unknown rotation model 'zig'" in run(app, [*db, "rotation", "6A", "--model", "zig"]).output


def test_groups_on_a_day_already_issued_shows_that_list_with_the_teachers_moves(school):
    """Ms Rivera issued the list and moved Cy into Ana's group on the web; `adaptive groups` run again that day
    shows her list (and says so), where issuing anew would have undone the move; --again does issue anew."""
    school.enroll("6A", ["ana", "ben", "cy"])
    for s in ("ana", "ben"):
        school.stuck(s, "6.NS.2")
    school.stuck("cy", "6.NS.3")
    day = school_day()
    issued = school.tutor.small_groups("6A", date=day)
    (division,) = [g.number for g in issued.groups if g.competency == "6.NS.2"]
    school.tutor.move_to_group("6A", "cy", division, date=day)
    run = CliRunner().invoke
    args = ["--db", school.tutor.url, "groups", "6A", "--date", day.isoformat(), "--json"]

    shown = run(app, args)

    assert shown.exit_code == 0, shown.output
    assert "was issued already: shown as issued, with any moves since" in shown.stderr
    groups = {g["competency"]: [m["student"] for m in g["students"]] for g in json.loads(shown.stdout)["groups"]}
    assert groups["6.NS.2"] == ["ana", "ben", "cy"]
    again = run(app, [*args, "--again"])
    assert again.exit_code == 0 and "issued already" not in again.stderr
    groups = {g["competency"]: [m["student"] for m in g["students"]] for g in json.loads(again.stdout)["groups"]}
    assert groups["6.NS.3"] == ["cy"]
