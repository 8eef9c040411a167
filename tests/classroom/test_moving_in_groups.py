"""The issued list is the teacher's: it can be read back as issued, and a student moved to another of its
groups stays moved (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from adaptive.domain import UnknownRecord
from adaptive.domain.classroom import ClassroomError
from tests.classroom.school import school_day
from tests.cli_run import adaptive


@pytest.fixture
def issued(school):
    """6A's Tuesday list issued: group 1 on division (ana, ben), group 2 on decimals (fay)."""
    school.enroll("6A", ["ana", "ben", "fay"])
    for student in ("ana", "ben"):
        school.stuck(student, "6.NS.2")
    school.stuck("fay", "6.NS.3")
    listed = school.tutor.small_groups("6A", date=school_day(1))
    assert [(g.number, g.students) for g in listed.groups] == [(1, ("ana", "ben")), (2, ("fay",))]
    return school.tutor


def test_the_issued_list_reads_back_as_issued_with_names_reasons_and_mini_lessons(issued):
    back = issued.issued_groups("6A", date=school_day(1))
    assert back is not None and back.issued
    assert [(g.number, g.competency, g.students) for g in back.groups] == [
        (1, "6.NS.2", ("ana", "ben")), (2, "6.NS.3", ("fay",))]
    ana = back.groups[0].members[0]
    assert (ana.rule_id, ana.reason, ana.competency) == ("flag-wrong-streak", "3 wrong in a row", "6.NS.2")
    assert 0 <= ana.p_mastered < 0.4
    assert [i.item for i in back.groups[0].mini_lesson] == ["ns2-lesson", "ns2-video"]


def test_the_issued_list_reads_back_with_when_each_flag_was_raised_and_the_other_gaps(school):
    """Read back (the morning page, the chat, the morning message, a rerun of `adaptive groups`), each reason
    still says it is a snapshot from when the flag was raised, with its evidence, and each student's other gaps
    are still there, as on the list when it was issued."""
    school.enroll("6A", ["ana", "ben"])
    for student in ("ana", "ben"):
        school.stuck(student, "6.NS.2")
    school.stuck("ana", "6.RP.1")
    given = school.tutor.small_groups("6A", date=school_day(1))

    back = school.tutor.issued_groups("6A", date=school_day(1))

    assert back is not None
    fields = [[(m.student, m.labelled_reason, m.flag_id, m.flagged_on, m.evidence, m.also) for m in g.members]
              for g in given.groups]
    assert [[(m.student, m.labelled_reason, m.flag_id, m.flagged_on, m.evidence, m.also) for m in g.members]
            for g in back.groups] == fields
    assert back.to_csv() == given.to_csv()  # the CSV a data team takes, issued or read back
    ana = next(m for g in back.groups for m in g.members if m.student == "ana")
    assert "(when flagged, " in ana.labelled_reason and ana.also == ("6.RP.1",)


def test_read_back_a_list_still_says_who_was_pulled_lately(school):
    """Ana and Ben were pulled on Tuesday; Wednesday's list, read back, still notes it (they go last in their
    group and the teacher sees why), as the list did when it was issued."""
    school.enroll("6A", ["ana", "ben"])
    for student in ("ana", "ben"):
        school.stuck(student, "6.NS.2")
    school.tutor.small_groups("6A", date=school_day(1))
    given = school.tutor.small_groups("6A", date=school_day(2))

    back = school.tutor.issued_groups("6A", date=school_day(2))

    assert back is not None
    notes = [[(m.student, m.note) for m in g.members] for g in back.groups]
    assert notes == [[(m.student, m.note) for m in g.members] for g in given.groups]
    assert ("ana", "pulled 1 school day ago") in notes[0]


def test_a_day_with_no_issued_list_reads_as_none(issued):
    assert issued.issued_groups("6A", date=school_day(2)) is None


def test_a_student_moved_to_another_group_stays_there_last(issued):
    issued.move_to_group("6A", "ana", 2, date=school_day(1))
    back = issued.issued_groups("6A", date=school_day(1))
    assert back is not None
    assert [g.students for g in back.groups] == [("ben",), ("fay", "ana")]
    assert back.groups[1].members[1].competency == "6.NS.3"  # now on the group's competency


def test_moving_a_student_to_their_own_group_changes_nothing(issued):
    issued.move_to_group("6A", "fay", 2, date=school_day(1))
    back = issued.issued_groups("6A", date=school_day(1))
    assert back is not None and [g.students for g in back.groups] == [("ana", "ben"), ("fay",)]


@pytest.mark.parametrize(("student", "group", "day", "message"), [
    ("ana", 3, 1, "no group 3"),
    ("gus", 2, 1, "in no group"),
    ("ana", 2, 2, "no small-group list was issued"),
])
def test_a_move_that_cannot_be_made_is_refused_and_changes_nothing(issued, school, student, group, day, message):
    school.enroll("6A", ["gus"])
    with pytest.raises(ClassroomError, match=message):
        issued.move_to_group("6A", student, group, date=school_day(day))
    back = issued.issued_groups("6A", date=school_day(1))
    assert back is not None and [g.students for g in back.groups] == [("ana", "ben"), ("fay",)]


def test_an_unknown_student_or_section_is_an_unknown_record(issued):
    with pytest.raises(UnknownRecord):
        issued.move_to_group("6A", "nobody", 2, date=school_day(1))
    with pytest.raises(UnknownRecord):
        issued.move_to_group("9Z", "ana", 2, date=school_day(1))


def test_an_app_is_offered_every_rotation_model_with_what_it_is(tutor):
    from adaptive.classroom.rotations import MODELS

    offered = tutor.rotation_models()
    assert list(offered) == list(MODELS) and list(offered)[0] == "station"
    assert "small groups" in offered["station"]


def test_reading_the_issued_list_is_in_the_access_log_naming_each_student_on_it(issued):
    with issued.acting_as("web:ms-rivera (teacher ms-rivera)"):
        issued.issued_groups("6A", date=school_day(1))
    logged = {e.student for e in issued.audit_entries(actor="web:*") if e.what == "small groups"}
    assert logged == {"ana", "ben", "fay"}


def test_a_student_seated_on_another_gap_reads_back_as_needing_their_own_most(school):
    """One group a day: Ben and Cy's group on fractions (6.NS.1). Ana needs decimals (6.NS.3) most, alone, so
    her group waits; she shares fractions and takes a free seat there. The list says she needs decimals most
    and that no group is on it today, issued or read back, in the CLI's table too."""
    school.enroll("6A", ["ana", "ben", "cy"])
    for student in ("ben", "cy"):
        school.stuck(student, "6.NS.1")
    school.stuck("ana", "6.NS.3")
    school.stuck("ana", "6.NS.1")
    given = school.tutor.small_groups("6A", date=school_day(1), max_groups=1)
    (fractions,) = given.groups
    assert fractions.competency == "6.NS.1" and fractions.students == ("ben", "cy", "ana") and given.later == ()
    ana = fractions.members[-1]
    assert ana.seated and ana.first_need == "6.NS.3" and ana.to_dict()["first_need"] == "6.NS.3"
    assert not any(m.first_need for m in fractions.members[:-1])

    back = school.tutor.issued_groups("6A", date=school_day(1))
    assert back is not None
    assert [m.first_need for g in back.groups for m in g.members] == [None, None, "6.NS.3"]
    shown = adaptive("--db", school.tutor.url, "groups", "6A", "--date", school_day(1).isoformat())
    assert "6.NS.3 (needs most; no group today)" in shown.stdout
    from bots.core.daily import section_message  # the morning message says so too

    said = section_message(back, {}, None, school.tutor.competencies()).text
    assert "- ana: " in said and "; needs Operate with decimals (6.NS.3) most: no group on it today" in said
