"""Next steps that face the stuck skill: a student's playlist gives the competency of an open flag its place
(a lesson and an easier step on it, or a review of the prerequisite it builds on first), with reasons a
parent understands."""

from __future__ import annotations

import re

from adaptive.store.state import utcnow
from tests.classroom.school import PRACTICE, school_day


def _stuck_on_unit_rates(school, student: str, *, decimals_first: bool = True) -> None:
    """Long division, ratios (and decimals) mastered; then four unit-rate questions wrong in a row (flagged)."""
    school.enroll("6A", [student])
    for competency in ("6.NS.2", "6.RP.1", *(("6.NS.3",) if decimals_first else ())):
        school.fluent(student, competency)
    for _ in range(4):
        school.tutor.record_response(student, item="rp2-practice-a", correct=False)


def test_a_student_stuck_on_unit_rates_starts_with_unit_rates_not_five_items_on_the_next_competency(school):
    """Zoe is flagged on unit rates (6.RP.2) and proficient-or-better on what comes before: her list opens
    with a lesson and an easier step on unit rates, saying Ms Rivera knows she needs help, then the course."""
    _stuck_on_unit_rates(school, "zoe")
    assert {f.competency for f in school.tutor.flags(section="6A")} == {"6.RP.2"}

    playlist = school.tutor.playlist("zoe", n=5)

    assert [(i.item, i.competency) for i in playlist[:2]] == [("rp2-lesson", "6.RP.2"), ("rp2-practice-b", "6.RP.2")]
    # Flagged, not yet pulled by an issued list: Ms Rivera knows; "working on it with her" waits for the list.
    assert playlist[0].reason == ("Ms Rivera knows you need help with Unit rates (6.RP.2); this lesson goes over it "
                                  "again, step by step")
    assert sum(i.competency == "6.RP.2" for i in playlist) <= 3  # the rest of the course goes on too
    assert school.tutor.next_item("zoe").item == "rp2-lesson"


def test_a_prerequisite_not_mastered_is_reviewed_first_and_nothing_on_the_stuck_skill_comes_before_it(school):
    """Unit rates build on decimals (6.NS.3), which Max has not mastered: the first items review decimals."""
    _stuck_on_unit_rates(school, "max", decimals_first=False)
    school.tutor.record_response("max", item=PRACTICE["6.NS.3"], correct=False)

    first = school.tutor.playlist("max", n=5)[0]

    assert (first.item, first.competency) == ("ns3-lesson", "6.NS.3")
    assert first.reason == ("Ms Rivera knows you need help with Unit rates (6.RP.2); this lesson reviews Operate "
                            "with decimals (6.NS.3) first")
    assert all(i.competency != "6.RP.2" for i in school.tutor.playlist("max", n=5))


def test_a_prerequisite_the_student_is_proficient_in_is_no_gap_and_the_stuck_skill_comes_first(school):
    """Zoe is proficient in decimals (89%, not mastered yet) when unit rates flag her. The small-group list
    pulls her for unit rates, not decimals, so her playlist opens with unit rates too, not a review of
    decimals she can already do."""
    _stuck_on_unit_rates(school, "zoe", decimals_first=False)
    for _ in range(2):
        school.tutor.record_response("zoe", item=PRACTICE["6.NS.3"], correct=True)
    assert {m.competency: m.level for m in school.tutor.mastery("zoe")}["6.NS.3"] == "proficient"
    assert [g.competency for g in school.tutor.small_groups("6A", date=school_day(), preview=True).groups] \
        == ["6.RP.2"]

    playlist = school.tutor.playlist("zoe", n=5)

    assert [(i.item, i.competency) for i in playlist[:2]] == [("rp2-lesson", "6.RP.2"), ("rp2-practice-b", "6.RP.2")]
    assert all("reviews" not in i.reason for i in playlist)


def test_reasons_are_in_plain_words_without_difficulty_numbers(school):
    _stuck_on_unit_rates(school, "zoe")
    for item in school.tutor.playlist("zoe", n=8):
        assert not re.search(r"difficulty|target|\d\.\d", item.reason), item.reason


def test_the_answer_that_flags_a_student_comes_back_with_a_next_item_facing_the_stuck_skill(school):
    """The decision returned with Zoe's fourth wrong answer on unit rates (the one that flags her) already
    points her at unit rates again, as her playlist does, not at the next competency of the course."""
    school.enroll("6A", ["zoe"])
    for competency in ("6.NS.2", "6.RP.1", "6.NS.3"):
        school.fluent("zoe", competency)
    results = [school.tutor.record_response("zoe", item="rp2-practice-a", correct=False) for _ in range(4)]
    flagged = results[-1].decision
    assert flagged.flags and flagged.next_item is not None
    assert flagged.next_item.competency == "6.RP.2"
    assert flagged.next_item.reason.startswith("Your teacher knows you need help with Unit rates (6.RP.2)")


def test_a_flag_the_student_has_caught_up_on_no_longer_sends_them_back_to_its_lesson(school):
    """Zoe was flagged on unit rates, then answered well: she is proficient now, not yet mastered, so the flag
    stays open for Ms Rivera to close. The small-group list no longer pulls her for it, and neither her next
    item nor her playlist sends her back to the unit-rates lesson "with your teacher": the course goes on."""
    _stuck_on_unit_rates(school, "zoe")
    answered = [school.tutor.record_response("zoe", item="rp2-practice-b", correct=True) for _ in range(2)][-1]
    (unit_rates,) = school.tutor.mastery("zoe", ["6.RP.2"])
    assert unit_rates.level == "proficient"
    (flag,) = school.tutor.flags(section="6A")
    assert flag.competency == "6.RP.2" and flag.caught_up and flag.summary.endswith("caught up, no longer pulled")

    assert not any(m.student == "zoe" for g in school.tutor.small_groups("6A", date=school_day(),
                                                                          preview=True).groups for m in g.members)
    assert "help with" not in answered.decision.next_item.reason
    assert not any("help with" in i.reason or "working on" in i.reason for i in school.tutor.playlist("zoe", n=5))


def test_a_student_the_teacher_moved_to_another_group_works_on_that_groups_competency_first(school):
    """Ms Rivera issues today's list (Ava: fractions, Zoe: unit rates), then moves Zoe into Ava's group: Zoe's
    playlist opens with fractions, the group she will be in, and her own flag on unit rates comes next."""
    _stuck_on_unit_rates(school, "zoe")
    school.enroll("6A", ["ava"])
    school.fluent("ava", "6.NS.2")
    school.stuck("ava", "6.NS.1", wrong=4)
    today = utcnow().date()
    issued = school.tutor.small_groups("6A", date=today)
    (fractions,) = [g.number for g in issued.groups if g.competency == "6.NS.1"]
    assert school.tutor.playlist("zoe", n=5)[0].competency == "6.RP.2"

    school.tutor.move_to_group("6A", "zoe", fractions, date=today)

    playlist = school.tutor.playlist("zoe", n=5)
    assert playlist[0].competency == "6.NS.1"
    assert playlist[0].reason.startswith("You're working on Divide fractions by fractions (6.NS.1) with Ms Rivera")
    # Her own flag comes next, as help Ms Rivera knows of: she does not work on it with her today.
    assert any(i.reason.startswith("Ms Rivera knows you need help with Unit rates (6.RP.2)") for i in playlist)
    assert not any(i.reason.startswith("You're working on Unit rates") for i in playlist)


def test_a_gap_two_steps_back_is_reviewed_first(school):
    """Percent (6.RP.3c) builds on unit rates (6.RP.2), which builds on decimals (6.NS.3). Max is stuck on
    percent and has not mastered decimals, so unit rates cannot be worked on yet either: his list opens with
    a review of decimals, where the chain can start, said as part of working on percent."""
    school.enroll("6A", ["max"])
    for competency in ("6.NS.2", "6.RP.1"):
        school.fluent("max", competency)
    school.tutor.record_response("max", item=PRACTICE["6.NS.3"], correct=False)
    for _ in range(4):
        school.tutor.record_response("max", item="rp3-practice-a", correct=False)
    assert "6.RP.3c" in {f.competency for f in school.tutor.flags(section="6A")}

    first = school.tutor.playlist("max", n=5)[0]

    assert (first.item, first.competency) == ("ns3-lesson", "6.NS.3")
    assert first.reason == ("Ms Rivera knows you need help with Percent of a quantity (6.RP.3c); this lesson "
                            "reviews Operate with decimals (6.NS.3) first")
