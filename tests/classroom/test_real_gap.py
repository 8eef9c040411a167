"""The real gap: a student is grouped for their most urgent unmet need (the earliest competency in the scope
and sequence that is not yet proficient, with evidence, a prerequisite first), and a group's mini-lesson
serves what all its members need."""

from __future__ import annotations

from adaptive.classroom.groups import build, needs_by_student
from adaptive.classroom.peers import pair
from adaptive.domain.classroom import GAP_RULE, Need
from adaptive.domain.evidence import percent
from tests.classroom.school import school_day

PROFICIENT = 0.7


def test_a_student_flagged_on_decimals_is_grouped_for_the_earlier_division_gap_and_the_reason_says_both(school):
    """Ana answered two long-division questions (one wrong: 56%, no rule fires on that) and then got three
    decimals questions wrong (flagged). Division comes first in the course: that is her group, and the
    reason names the decimals flag, labelled as what was true when it was raised."""
    tutor = school.tutor
    school.enroll("6A", ["ana", "ben"])
    for correct in (False, True):
        tutor.record_response("ana", item="ns2-practice-a", correct=correct)
    school.stuck("ana", "6.NS.3")
    school.stuck("ben", "6.NS.2")

    (group,) = tutor.small_groups("6A", date=school_day(), preview=True).groups

    assert (group.competency, group.students) == ("6.NS.2", ("ben", "ana"))
    ana = group.members[1]
    assert ana.rule_id == GAP_RULE and ana.competency == "6.NS.2" and 0.4 < ana.p_mastered < PROFICIENT
    assert ana.reason.startswith(f"Mastery {percent(ana.p_mastered)} after 2 attempts; Operate with decimals "
                                 "(6.NS.3), which builds on it: 3 wrong in a row (when flagged, ")
    assert ana.also == ("6.NS.3",)


def test_a_student_who_caught_up_to_proficient_since_the_flag_is_not_pulled_and_gets_no_tutor(school):
    """Ben was flagged on division, then answered two right: 87%, proficient but not mastered. His flag
    waits for the teacher, but he is neither pulled into a group nor given a tutor."""
    tutor = school.tutor
    school.enroll("6A", ["ben", "cy", "eli"])
    school.stuck("ben", "6.NS.2")
    school.fluent("ben", "6.NS.2", right=2)
    assert PROFICIENT <= tutor.mastery("ben", ["6.NS.2"])[0].p_mastered < 0.95
    school.stuck("cy", "6.NS.2")
    school.fluent("eli", "6.NS.2")

    lst = tutor.small_groups("6A", date=school_day(), preview=True)
    plan = tutor.peer_pairs("6A", date=school_day())

    assert lst.students == ("cy",)
    assert [(p.tutor, p.tutee) for p in plan.pairs] == [("eli", "cy")] and plan.unpaired == ()


def _need(student, competency, p=0.2, rule="flag-wrong-streak", flag_id=1):
    return Need(student, competency, p, rule, f"{student} on {competency}", {}, flag_id)


def test_a_92_percent_wheel_spinning_flag_does_not_hide_a_51_percent_gap():
    """On a real roster: flagged wheel-spinning on B at 92%, while A, earlier, is at 51%: grouped for A."""
    needs = needs_by_student([_need("p", "B", 0.92, "flag-wheel-spinning"),
                              _need("p", "A", 0.51, GAP_RULE, None)], ["A", "B"], below=PROFICIENT)
    (first,) = needs["p"]
    assert (first.competency, first.rule_id, first.flag_id) == ("A", GAP_RULE, 1)
    assert first.reason == "p on A; B, which builds on it: p on B"


def test_a_prerequisite_gap_comes_first_even_when_the_sequence_lists_it_later():
    """C is taught before D in this course, but C builds on D: a student with gaps on both starts with D."""
    needs = needs_by_student([_need("p", "C"), _need("p", "D", rule=GAP_RULE, flag_id=None)], ["A", "C", "D"],
                             below=PROFICIENT, prerequisites={"C": ("D",)})
    assert [n.competency for n in needs["p"]] == ["D", "C"]


def test_only_gaps_with_evidence_below_proficient_count_and_a_gap_alone_puts_nobody_on_the_list():
    needs = needs_by_student([_need("p", "A", 0.8), _need("q", "A", 0.3, GAP_RULE, None)], ["A"], below=PROFICIENT)
    assert needs == {}


def test_a_cluster_is_named_after_a_need_all_its_members_have_or_split():
    """p, q and r are each alone with their most urgent gap (A, B, C). p and q both also need D, r needs
    nothing the others need: p and q get a clustered group on D (each member's row is their need on D), and
    r a group of their own on C. No group is named after one competency while its members need others."""
    sequence = ["A", "B", "C", "D"]
    needs = needs_by_student([_need("p", "A"), _need("p", "D", 0.3), _need("q", "B"), _need("q", "D", 0.1),
                              _need("r", "C")], sequence, below=PROFICIENT)
    vectors = {"p": [0.2, 0.9, 0.9, 0.3], "q": [0.9, 0.2, 0.9, 0.1], "r": [0.9, 0.9, 0.2, 0.9]}
    lst = build("X", school_day(), needs, sequence, names={}, lessons={}, pulls={}, vectors=vectors, max_size=5,
                student_names={"p": "Peter Nash"})
    assert [(g.competency, g.method, g.students) for g in lst.groups] == [
        ("D", "clustered", ("q", "p")), ("C", "shared gap", ("r",))]
    for g in lst.groups:
        assert all(m.competency == g.competency for m in g.members)
    peter = lst.groups[0].members[1]
    assert (peter.name, peter.p_mastered, peter.also) == ("Peter Nash", 0.3, ("A",))
    assert lst.groups[1].members[0].name == "r"  # no name on the roster: the code


def test_peer_pairs_carry_both_names_and_a_flag_reason_is_labelled_when_flagged(school):
    tutor = school.tutor
    school.enroll("6A", ["ana", "eli"])
    tutor.add_student("ana", name="Ana Ruiz")
    tutor.add_student("eli", name="Eli Park")
    school.stuck("ana", "6.NS.2")
    school.fluent("eli", "6.NS.2")
    (p,) = tutor.peer_pairs("6A", date=school_day()).pairs
    assert (p.tutor_name, p.tutee_name) == ("Eli Park", "Ana Ruiz")
    assert p.labelled_reason == f"3 wrong in a row (when flagged, {p.flagged_on:%b} {p.flagged_on.day})"
    assert pair("X", ["a"], {"a": [_need("a", "A")]}, {}, ["A"]).names == {"a": "a"}
