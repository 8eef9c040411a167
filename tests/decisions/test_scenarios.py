"""Scenarios a teacher could read: what students see next, who gets pulled into a small group."""

from __future__ import annotations

import pytest

from adaptive.domain import ResponseIn
from adaptive.rules import RulesError, default_rules_text


def division_items(items) -> list[str]:
    return [i.item for i in items if i.competency == "6.NS.2"]


def test_a_student_who_aces_the_pretest_never_sees_its_practice_items(school):
    answers = [ResponseIn("ana", item=f"ns2-pre-{n}", correct=True, source="pretest") for n in range(1, 6)]
    school.record_responses(answers)
    assert division_items(school.playlist("ana", n=30)) == []
    assert school.next_item("ana").competency != "6.NS.2"
    # ...even after answering a division question in class: the decision skips it and offers something else.
    result = school.record_response("ana", item="ns2-practice-a", correct=True)
    assert result.decision.next_item.competency != "6.NS.2"


def test_a_pretest_taken_one_question_at_a_time_is_scored_when_finished(school):
    # One right answer is not 100% on a five-question pre-test: nothing is skipped until the fifth answer.
    for n in range(1, 5):
        result = school.record_response("ben", item=f"ns2-pre-{n}", correct=True, source="pretest")
        assert result.decision.skipped == ()
    result = school.record_response("ben", item="ns2-pre-5", correct=True, source="pretest")
    assert result.decision.skipped == ("6.NS.2",)
    assert [f.rule_id for f in result.decision.fired] == ["pretest-skip", "next-item"]
    assert result.decision.next_item.competency != "6.NS.2"


def test_a_weak_pretest_does_not_skip(school):
    answers = [ResponseIn("ana", item=f"ns2-pre-{n}", correct=n <= 2, source="pretest") for n in range(1, 6)]
    school.record_responses(answers)
    assert school.next_item("ana").competency == "6.NS.2"


def test_a_student_failing_five_times_is_flagged_with_the_reason(school):
    for _ in range(5):
        result = school.record_response("ana", item="ns2-practice-a", correct=False)
    reasons = {f.rule_id: f.reason for f in result.decision.flags}
    assert reasons["flag-low-mastery"].startswith("Mastery ") and reasons["flag-low-mastery"].endswith(
        "after 5 attempts")
    (flag,) = school.flags()  # one gap, one flag, naming every reason (each the newest)
    assert flag.student == "ana" and flag.rule_id == "flag-wrong-streak"  # the rule that raised it
    assert flag.rules == ("flag-wrong-streak", "flag-low-mastery")
    assert flag.reasons[0] == "5 wrong in a row" and flag.reason.startswith("5 wrong in a row; ")
    assert flag.evidence["wrong_streak"] == 5
    assert [f.student for f in school.flags(section="6A")] == ["ana"]


def test_a_student_is_never_offered_a_competency_whose_prerequisite_is_not_mastered(school):
    # 6.NS.1 (dividing fractions) needs 6.NS.2 (long division); ben struggles with 6.NS.1 directly.
    for _ in range(3):
        result = school.record_response("ben", item="ns1-practice-a", correct=False)
    assert result.decision.next_item.competency != "6.NS.1"
    offered = {i.competency for i in school.playlist("ben", n=40)}
    assert "6.NS.1" not in offered and "6.RP.2" not in offered
    assert "6.NS.2" in offered


def test_publishing_a_broken_rules_file_leaves_the_old_one_active(school, tmp_path):
    good = tmp_path / "rules.yaml"
    good.write_text(default_rules_text().replace('version: "1.1"', 'version: "1.2"'))
    published = school.publish_rules(good, by="lead")
    broken = tmp_path / "broken.yaml"
    broken.write_text(default_rules_text().replace("wrong_streak: {at_least: 3}", "wrong_streek: {at_least: 3}"))
    with pytest.raises(RulesError) as caught:
        school.publish_rules(broken, by="lead")
    assert "broken.yaml:" in str(caught.value) and "wrong_streek" in str(caught.value)
    failing = tmp_path / "failing.yaml"  # checks fine, but its own tests fail
    failing.write_text(default_rules_text().replace("pretest_score: {at_least: 0.8}", "pretest_score: {at_least: 0.9}"))
    with pytest.raises(RulesError, match="test 'a pre-test at 85% skips the competency' fails"):
        school.publish_rules(failing, by="lead")
    assert school.active_ruleset() == published
    assert school.record_response("ana", item="ns2-practice-a", correct=True).decision.ruleset_version == \
        published.version
