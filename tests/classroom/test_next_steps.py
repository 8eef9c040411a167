"""Next steps that face the stuck skill: a student's playlist gives the competency of an open flag its place
(a lesson and an easier step on it, or a review of the prerequisite it builds on first), with reasons a
parent understands."""

from __future__ import annotations

import re

from tests.classroom.school import PRACTICE


def _stuck_on_unit_rates(school, student: str, *, decimals_first: bool = True) -> None:
    """Long division, ratios (and decimals) mastered; then four unit-rate questions wrong in a row (flagged)."""
    school.enroll("6A", [student])
    for competency in ("6.NS.2", "6.RP.1", *(("6.NS.3",) if decimals_first else ())):
        school.fluent(student, competency)
    for _ in range(4):
        school.tutor.record_response(student, item="rp2-practice-a", correct=False)


def test_a_student_stuck_on_unit_rates_starts_with_unit_rates_not_five_items_on_the_next_competency(school):
    """Zoe is flagged on unit rates (6.RP.2) and proficient-or-better on what comes before: her list opens
    with a lesson and an easier step on unit rates, saying she works on it with Ms Rivera, then the course."""
    _stuck_on_unit_rates(school, "zoe")
    assert {f.competency for f in school.tutor.flags(section="6A")} == {"6.RP.2"}

    playlist = school.tutor.playlist("zoe", n=5)

    assert [(i.item, i.competency) for i in playlist[:2]] == [("rp2-lesson", "6.RP.2"), ("rp2-practice-b", "6.RP.2")]
    assert playlist[0].reason == ("You're working on Unit rates (6.RP.2) with Ms Rivera; this lesson goes over it "
                                  "again, step by step")
    assert sum(i.competency == "6.RP.2" for i in playlist) <= 3  # the rest of the course goes on too
    assert school.tutor.next_item("zoe").item == "rp2-lesson"


def test_a_prerequisite_not_mastered_is_reviewed_first_and_nothing_on_the_stuck_skill_comes_before_it(school):
    """Unit rates build on decimals (6.NS.3), which Max has not mastered: the first items review decimals."""
    _stuck_on_unit_rates(school, "max", decimals_first=False)
    school.tutor.record_response("max", item=PRACTICE["6.NS.3"], correct=False)

    first = school.tutor.playlist("max", n=5)[0]

    assert (first.item, first.competency) == ("ns3-lesson", "6.NS.3")
    assert first.reason == ("You're working on Unit rates (6.RP.2) with Ms Rivera; this lesson reviews Operate "
                            "with decimals (6.NS.3) first")
    assert all(i.competency != "6.RP.2" for i in school.tutor.playlist("max", n=5))


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
    assert flagged.next_item.reason.startswith("You're working on Unit rates (6.RP.2) with your teacher")
