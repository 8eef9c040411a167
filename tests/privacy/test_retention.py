"""The retention setting: a roster import that removes a student starts a clock (``left_roster_at``), one that
brings them back stops it; students removed at least N days ago who have not answered since are erased."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from adaptive.domain import StoreError
from tests.conftest import sql

MANIFEST = """propertyName,value
manifest.version,1.0
oneroster.version,1.1
file.orgs,bulk
file.users,bulk
file.academicSessions,absent
file.courses,absent
file.classes,absent
file.enrollments,absent"""
ORGS = """sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
s1,,,School,school,,"""
HEADER = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,email"
USERS = {"u1": "u1,,,true,s1,student,ana,,Ana,Lima,ana@school.org",
         "u2": "u2,,,true,s1,student,ben,,Ben,Ng,ben@school.org",
         "u3": "u3,,,true,s1,student,cy,,Cy,Young,"}
DAY = dt.timedelta(days=1)


def roster(tmp_path: Path, name: str, users: list[str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "manifest.csv").write_text(MANIFEST + "\n")
    (folder / "orgs.csv").write_text(ORGS + "\n")
    (folder / "users.csv").write_text("\n".join([HEADER, *(USERS[u] for u in users)]) + "\n")
    return folder


def left_at(tutor) -> dict[str, object]:
    return {code: at for code, at in sql(tutor.url, "SELECT code, left_roster_at FROM student ORDER BY code")}


@pytest.fixture
def left(tutor, tmp_path):
    """Ana, Ben and Cy imported; a later roster leaves Ben and Cy out, 40 days ago. Cy answered 10 days ago."""
    tutor.add_competency("c1", "Counting")
    tutor.add_content_item("i1", "Count to ten", competencies=["c1"])
    tutor.curriculum.add_course("count", "Counting", ["c1"])
    tutor.import_roster(roster(tmp_path, "first", ["u1", "u2", "u3"]))
    tutor.import_roster(roster(tmp_path, "second", ["u1"]))
    now = dt.datetime.now(dt.UTC)
    forty_days_ago = (now - 40 * DAY).replace(tzinfo=None)
    sql(tutor.url, f"UPDATE student SET left_roster_at = '{forty_days_ago.isoformat(sep=' ')}' "
                   "WHERE left_roster_at IS NOT NULL")
    tutor.record_response("cy", item="i1", correct=1, at=now - 10 * DAY)
    return tutor, now


def test_a_roster_that_leaves_a_student_out_records_when_and_one_that_brings_them_back_clears_it(tutor, tmp_path):
    tutor.import_roster(roster(tmp_path, "first", ["u1", "u2"]))
    assert left_at(tutor) == {"ana": None, "ben": None}
    tutor.import_roster(roster(tmp_path, "second", ["u1"]))
    when = left_at(tutor)["ben"]
    assert when is not None and left_at(tutor)["ana"] is None
    tutor.import_roster(roster(tmp_path, "third", ["u1"]))
    assert left_at(tutor)["ben"] == when  # leaving again does not restart the clock
    back = tutor.import_roster(roster(tmp_path, "fourth", ["u1", "u2"]))
    assert back.of("students").updated == 1 and left_at(tutor)["ben"] is None


def test_a_student_marked_tobedeleted_starts_the_clock_too(tutor, tmp_path):
    tutor.import_roster(roster(tmp_path, "first", ["u1", "u2"]))
    folder = roster(tmp_path, "delta", ["u2"])
    (folder / "manifest.csv").write_text(MANIFEST.replace("file.users,bulk", "file.users,delta") + "\n")
    (folder / "users.csv").write_text((folder / "users.csv").read_text().replace("u2,,", "u2,tobedeleted,"))
    tutor.import_roster(folder)
    assert left_at(tutor)["ben"] is not None and left_at(tutor)["ana"] is None


def test_the_dry_run_lists_who_left_long_enough_ago_and_stayed_away(left):
    tutor, now = left
    assert tutor.inactive_students(50) == []  # they left 40 days ago
    (ben,) = tutor.inactive_students(30)  # Cy answered 10 days ago
    assert ben.code == "ben" and ben.last_response_at is None and abs(ben.left_roster_at - (now - 40 * DAY)) < DAY
    assert [s.code for s in tutor.inactive_students(5)] == ["ben", "cy"]
    assert [s.code for s in tutor.inactive_students(30, now=now + 30 * DAY)] == ["ben", "cy"]
    rehearsal = tutor.erase_inactive_students(30, dry_run=True)
    assert (rehearsal.students, rehearsal.dry_run) == (1, True)
    assert [c for c, in sql(tutor.url, "SELECT code FROM student ORDER BY code")] == ["ana", "ben", "cy"]


def test_the_real_run_erases_them_and_no_one_else(left):
    tutor, now = left
    assert tutor.erase_inactive_students(30).students == 1
    assert [c for c, in sql(tutor.url, "SELECT code FROM student ORDER BY code")] == ["ana", "cy"]
    assert tutor.erase_inactive_students(30).students == 0
    later = tutor.erase_inactive_students(30, now=now + 30 * DAY)
    assert (later.students, later.count("responses")) == (1, 1)
    assert [c for c, in sql(tutor.url, "SELECT code FROM student")] == ["ana"]  # still on the roster


@pytest.mark.parametrize("days", [0, -3, 1.5, True])
def test_days_must_be_a_whole_number_of_at_least_one(tutor, days):
    with pytest.raises(StoreError, match="days must be a whole number of days, at least 1"):
        tutor.erase_inactive_students(days)
