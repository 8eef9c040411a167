"""The day's "pull for small group" list, as a teacher reads it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from adaptive.classroom.groups import build, mini_lessons, needs_by_student, unshared
from adaptive.domain import UnknownRecord
from adaptive.domain.classroom import ClassroomError, Item, Need
from adaptive.domain.evidence import percent
from tests.classroom.school import school_day

STUCK_ON_DIVISION = ["ana", "ben", "cy", "dee", "eli"]


def test_five_stuck_on_division_and_one_on_decimals_make_two_groups_with_the_one_pulled_yesterday_last(school):
    """Ms Rivera's Tuesday: Eli was pulled on Monday. Five students are stuck on long division (6.NS.2) and
    Fay on decimals (6.NS.3); with groups of at most five she gets two groups, division first (more need),
    each student with the rule and evidence that put them there, and Eli listed last, "pulled 1 school day ago"."""
    tutor, tuesday = school.tutor, school_day(1)
    school.enroll("6A", [*STUCK_ON_DIVISION, "fay", "gus"])
    school.stuck("eli", "6.NS.2")
    monday = tutor.small_groups("6A", date=tuesday - timedelta(days=1))
    assert [g.students for g in monday.groups] == [("eli",)]
    for student in STUCK_ON_DIVISION[:4]:
        school.stuck(student, "6.NS.2")
    school.stuck("fay", "6.NS.3")
    school.fluent("gus", "6.NS.2")

    today = tutor.small_groups("6A", date=tuesday)

    assert [(g.number, g.competency, g.students) for g in today.groups] == [
        (1, "6.NS.2", ("ana", "ben", "cy", "dee", "eli")),
        (2, "6.NS.3", ("fay",)),
    ]
    division = today.groups[0]
    assert division.competency_name == "Divide multi-digit numbers"
    assert division.method == "shared gap"
    assert [i.item for i in division.mini_lesson] == ["ns2-lesson", "ns2-video"]  # no practice or pre-test items
    ana = division.members[0]
    assert (ana.rule_id, ana.reason) == ("flag-wrong-streak", "3 wrong in a row")
    assert ana.evidence["wrong_streak"] == 3 and ana.flag_id is not None
    eli = division.members[-1]
    assert (eli.pulled_days_ago, eli.note) == (1, "pulled 1 school day ago")
    assert all(m.note == "" for m in division.members[:-1])
    assert "gus" not in today.students


def test_a_group_above_the_size_limit_is_split_and_the_recently_pulled_go_in_the_last_part(school):
    tutor, tuesday = school.tutor, school_day(1)
    school.enroll("6A", STUCK_ON_DIVISION)
    school.stuck("ana", "6.NS.2")
    tutor.small_groups("6A", date=tuesday - timedelta(days=1))
    for student in STUCK_ON_DIVISION[1:]:
        school.stuck(student, "6.NS.2", wrong=4)  # lower mastery than ana

    lst = tutor.small_groups("6A", date=tuesday, max_size=3)

    assert [len(g.members) for g in lst.groups] == [3, 2]
    assert all(len(g.members) <= 3 and g.competency == "6.NS.2" for g in lst.groups)
    assert lst.groups[-1].members[-1].student == "ana"
    assert lst.groups[0].need > lst.groups[1].need


def test_a_students_most_needed_competency_is_the_earliest_in_the_scope_and_sequence(school):
    """Stuck on decimals (6.NS.3) and on division (6.NS.2), which comes first: grouped for division."""
    school.enroll("6A", ["ana", "ben"])
    school.stuck("ana", "6.NS.3")
    school.stuck("ana", "6.NS.2")
    school.stuck("ben", "6.NS.2")
    lst = school.tutor.small_groups("6A", date=school_day(), preview=True)
    assert [(g.competency, g.students) for g in lst.groups] == [("6.NS.2", ("ana", "ben"))]


def test_a_student_who_has_mastered_the_competency_since_the_flag_is_not_pulled_for_it(school):
    """Ana was flagged on division, then got it: her flag closed itself, and she is not pulled."""
    school.enroll("6A", ["ana", "ben"])
    school.stuck("ana", "6.NS.2")
    school.stuck("ben", "6.NS.2")
    school.fluent("ana", "6.NS.2", right=12)
    assert school.tutor.mastery("ana", ["6.NS.2"])[0].level == "mastered"
    assert not any(f.student == "ana" for f in school.tutor.flags(section="6A"))
    assert [f.resolution for f in school.tutor.flags(section="6A", open_only=False) if f.student == "ana"] == [
        "mastered"]
    lst = school.tutor.small_groups("6A", date=school_day(), preview=True)
    assert [(g.competency, g.students) for g in lst.groups] == [("6.NS.2", ("ben",))]


def test_at_risk_students_without_a_flag_are_on_the_list_with_their_evidence(school):
    """Wrong, right, wrong: no rule flags it yet, but mastery is below "familiar" after three attempts."""
    tutor = school.tutor
    school.enroll("6A", ["ana"])
    for correct in (False, True, False):
        tutor.record_response("ana", item="ns2-practice-a", correct=correct)
    assert tutor.flags(section="6A") == []
    (group,) = tutor.small_groups("6A", date=school_day(), preview=True).groups
    (ana,) = group.members
    assert ana.rule_id == "at-risk" and ana.flag_id is None
    assert ana.reason == f"At risk: mastery {percent(ana.p_mastered)} after 3 attempts (not flagged yet)"
    assert ana.evidence["attempts"] == 3 and ana.evidence["p_mastered"] < 0.4


def test_flags_count_as_of_the_day_asked_for(school):
    """A month ago Ana's flag was not raised yet; once resolved it is off the list. Both times she is still
    at risk (mastery is the stored mastery), so she stays on the list with the at-risk evidence."""
    tutor = school.tutor
    school.enroll("6A", ["ana"])
    school.stuck("ana", "6.NS.2")
    (flag,) = tutor.flags(section="6A")
    (open_now,) = tutor.small_groups("6A", date=school_day(), preview=True).groups
    assert open_now.members[0].flag_id == flag.id
    (before,) = tutor.small_groups("6A", date=flag.raised_at.date() - timedelta(days=30), preview=True).groups
    assert (before.members[0].rule_id, before.members[0].flag_id) == ("at-risk", None)
    tutor.resolve_flag(flag.id, by="ms-rivera")
    (later,) = tutor.small_groups("6A", date=school_day(), preview=True).groups
    assert (later.members[0].rule_id, later.members[0].flag_id) == ("at-risk", None)


def test_issuing_the_same_day_again_replaces_its_list_and_a_preview_stores_nothing(school, database_url):
    tutor, day = school.tutor, school_day()
    school.enroll("6A", ["ana", "ben"])
    school.stuck("ana", "6.NS.2")
    school.stuck("ben", "6.NS.2")
    first = tutor.small_groups("6A", date=day)
    again = tutor.small_groups("6A", date=day)
    assert first.issued and again.to_dict() == first.to_dict()
    assert _count(database_url, "small_group") == 1
    assert _count(database_url, "small_group_member") == 2
    preview = tutor.small_groups("6A", date=day + timedelta(days=1), preview=True)
    assert not preview.issued and preview.groups[0].students == ("ana", "ben")
    assert _count(database_url, "small_group") == 1


def test_the_list_as_csv_has_one_row_per_student_with_the_reason(school):
    """Ana and Ben are stuck on different competencies and share no gap: two groups, never one named after
    Ana's gap with Ben in it. Each row has the student's name from the roster and the mini-lesson's titles."""
    school.enroll("6A", ["ana", "ben"])
    school.tutor.add_student("ana", name="Ana Ruiz")
    school.stuck("ana", "6.NS.2")
    school.stuck("ben", "6.NS.3")
    lst = school.tutor.small_groups("6A", date=school_day(), preview=True)
    rows = list(csv.DictReader(io.StringIO(lst.to_csv())))
    assert [(r["group"], r["competency"], r["student"], r["name"], r["rule_id"]) for r in rows] == [
        ("1", "6.NS.2", "ana", "Ana Ruiz", "flag-wrong-streak"), ("2", "6.NS.3", "ben", "ben", "flag-wrong-streak")]
    assert all(r["student_competency"] == r["competency"] and r["method"] == "shared gap" for r in rows)
    assert rows[0]["mini_lesson"] == "ns2-lesson; ns2-video"
    assert rows[0]["mini_lesson_titles"] == "; ".join(i.title for i in lst.groups[0].mini_lesson)
    assert rows[0]["flagged_on"] == school.tutor.flags(section="6A")[0].raised_at.date().isoformat()
    assert '"wrong_streak": 3' in rows[0]["evidence"]


def test_the_district_wide_call_gives_each_sections_list(school):
    tutor, day = school.tutor, school_day()
    tutor.add_section("6B", "Grade 6 B", teacher="ms-rivera")
    tutor.add_section("6C", "Grade 6 C", teacher="ms-rivera")
    school.enroll("6A", ["ana", "ben"])
    school.enroll("6B", ["cy"])
    for s in ("ana", "ben", "cy"):
        school.stuck(s, "6.NS.2")
    every = tutor.small_groups_all(date=day, preview=True)
    assert sorted(every) == ["6A", "6B", "6C"]
    for code in every:
        assert every[code] == tutor.small_groups(code, date=day, preview=True)
    assert every["6B"].students == ("cy",) and every["6C"].groups == ()


def test_an_unknown_section_is_named_with_the_known_ones(school):
    with pytest.raises(UnknownRecord, match=r"unknown section '7B'; known sections: 6A"):
        school.tutor.small_groups("7B")


def test_a_size_limit_below_one_is_refused(school):
    with pytest.raises(ClassroomError, match="max size must be 1 or more"):
        school.tutor.small_groups("6A", max_size=0)


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return n


# -- the engine on plain inputs -------------------------------------------------------------------------
SEQUENCE = ["A", "B", "C", "D"]


def _need(student, competency, p=0.2, flag_id=None):  # the reason is current: no "when flagged" date
    return Need(student, competency, p, "rule" if flag_id else "at-risk", f"{student} on {competency}", {}, flag_id)


def test_students_whose_gap_nobody_shares_are_clustered_on_their_mastery_and_named_by_their_weakest_shared_need():
    """r and s share their earliest gap C; p (earliest gap A) and q (B) are each alone with theirs, so they
    are clustered on their mastery and the group is named by the need both have: B (lowest mastery first)."""
    needs = needs_by_student([_need("p", "A"), _need("p", "B"), _need("q", "B", 0.1), _need("r", "C"),
                              _need("s", "D"), _need("s", "C")], SEQUENCE)
    assert unshared(needs) == ["p", "q"]
    vectors = {"p": [0.1, 0.2, 0.9, 0.9], "q": [0.5, 0.1, 0.9, 0.8]}
    lst = build("X", school_day(), needs, SEQUENCE, names={}, lessons={}, pulls={}, vectors=vectors, max_size=5)
    by_method = {(g.method, g.competency): g.students for g in lst.groups}
    assert by_method == {("shared gap", "C"): ("r", "s"), ("clustered", "B"): ("q", "p")}


def test_clustering_is_deterministic_and_respects_the_size_limit():
    """Nine students, each alone with their gap but sharing a later need with others: clusters of at most
    four, each on a need all of its members have."""
    sequence = [*(f"A{i}" for i in range(9)), "B", "C", "D"]
    needs = needs_by_student([n for i in range(9) for n in (_need(f"s{i}", f"A{i}"), _need(f"s{i}", "BCD"[i % 3]))],
                             sequence)
    vectors = {f"s{i}": [(i * 37 % 10) / 10, (i * 53 % 10) / 10, *[0.5] * 10] for i in range(9)}
    lists = [build("X", school_day(), needs, sequence, names={}, lessons={}, pulls={}, vectors=vectors, max_size=4)
             for _ in range(2)]
    assert lists[0] == lists[1]
    assert all(len(g.members) <= 4 for g in lists[0].groups)
    assert sorted(s for g in lists[0].groups for s in g.students) == sorted(vectors)
    for g in lists[0].groups:
        assert all(m.competency == g.competency for m in g.members), g
        assert g.method == "clustered" or len(g.members) == 1


def test_largest_need_first_counts_students_and_how_far_they_are_from_mastery():
    needs = needs_by_student([_need("a", "A", 0.3), _need("b", "A", 0.3), _need("c", "B", 0.05),
                              _need("d", "B", 0.05), _need("e", "C", 0.1), _need("f", "C", 0.1),
                              _need("g", "C", 0.1)], SEQUENCE)
    lessons = mini_lessons({"A": [Item("a1", "t", "lesson", "A"), Item("a2", "t", "practice", "A")]})
    lst = build("X", school_day(), needs, SEQUENCE, names={}, lessons=lessons, pulls={}, vectors={})
    assert [(g.competency, g.need) for g in lst.groups] == [("C", 2.7), ("B", 1.9), ("A", 1.4)]
    assert lst.groups[2].mini_lesson == (Item("a1", "t", "lesson", "A"),)


def test_a_teacher_gets_the_three_groups_of_greatest_need_and_the_rest_come_first_tomorrow(school):
    """Ms Rivera can run three small groups in a day. Four groups are needed on Tuesday: she gets the three
    of greatest need, and the fourth waits ("see them first tomorrow"). The issued list remembers who waited,
    so on Wednesday that group comes first, before the groups she saw on Tuesday and before a bigger one."""
    tutor, tuesday = school.tutor, school_day(1)
    school.enroll("6A", ["ana", "ben", "cy", "dee", "eli", "fay", "gus"])
    for student, competency in [("ana", "6.NS.2"), ("ben", "6.NS.2"), ("cy", "6.NS.3"), ("dee", "6.NS.3"),
                                ("eli", "6.NS.1"), ("fay", "6.NS.1"), ("gus", "6.RP.1")]:
        school.stuck(student, competency)

    today = tutor.small_groups("6A", date=tuesday, max_groups=3)

    assert len(today.groups) == 3 and [g.students for g in today.later] == [("gus",)]
    assert today.waiting == ("gus",) and "gus" not in today.students
    assert today.to_dict()["later"][0]["students"][0]["student"] == "gus"
    school.enroll("6A", ["hal", "ida"])
    for student in ("hal", "ida"):  # two more stuck on division overnight: a bigger need than gus's alone
        school.stuck(student, "6.NS.2")
    tomorrow = tutor.small_groups("6A", date=school_day(2), max_groups=3)
    assert tomorrow.groups[0].students == ("gus",)  # he waited yesterday: seen first
    assert tomorrow.groups[0].members[0].pulled_days_ago is None  # waiting is not being pulled
    with pytest.raises(ClassroomError, match="max groups must be 1 or more"):
        tutor.small_groups("6A", date=tuesday, max_groups=0)


def test_the_groups_command_lists_three_groups_and_who_waits_for_tomorrow(school):
    from tests.cli_run import adaptive

    school.enroll("6A", ["ana", "ben", "cy", "dee", "eli", "fay", "gus"])
    for student, competency in [("ana", "6.NS.2"), ("ben", "6.NS.2"), ("cy", "6.NS.3"), ("dee", "6.NS.3"),
                                ("eli", "6.NS.1"), ("fay", "6.NS.1"), ("gus", "6.RP.1")]:
        school.stuck(student, competency)
    day = school_day(1).isoformat()
    shown = adaptive("--db", school.tutor.url, "groups", "6A", "--date", day, "--preview")
    assert shown.returncode == 0, shown.stderr
    assert "Not today (1 more students, 1 more groups): see them first tomorrow" in shown.stdout
    assert "gus (gus)" in shown.stdout.split("Not today")[1]
    every = adaptive("--db", school.tutor.url, "groups", "6A", "--date", day, "--preview", "--max-groups", "0")
    assert "Not today" not in every.stdout and every.stdout.count("mini-lesson:") == 4


def test_a_waiting_student_takes_a_free_seat_in_a_group_on_another_of_their_gaps():
    """Three groups fit the day (B, C and D, two students each); g's most urgent gap A is nobody else's, but g
    also needs D: g joins the D group today instead of waiting alone for tomorrow."""
    needs = needs_by_student([_need("b1", "B"), _need("b2", "B"), _need("c1", "C"), _need("c2", "C"),
                              _need("d1", "D"), _need("d2", "D"), _need("g", "A"), _need("g", "D")], SEQUENCE)
    lst = build("X", school_day(), needs, SEQUENCE, names={}, lessons={}, pulls={}, vectors={}, max_groups=3)
    assert [(g.competency, g.students) for g in lst.groups] == [
        ("B", ("b1", "b2")), ("C", ("c1", "c2")), ("D", ("d1", "d2", "g"))]
    assert lst.later == () and lst.groups[2].members[-1].also == ("A",)
    seated = lst.groups[2].members[-1]
    assert seated.seated and seated.first_need == "A"  # a page says g needs A most, with no group on it today
    assert not any(m.seated or m.first_need for g in lst.groups for m in g.members if m.student != "g")
