"""The next-item strategies a lead can name in the rules, each as a student experiences it."""

from __future__ import annotations

import datetime as dt

from adaptive import ResponseIn
from adaptive.rules import default_rules_text

LAST_YEAR = dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC)


def use_strategy(school, tmp_path, strategy: str) -> None:
    rules = tmp_path / f"{strategy}.yaml"
    rules.write_text(default_rules_text().replace("strategy: scope_and_sequence", f"strategy: {strategy}"))
    school.publish_rules(rules, by="lead")


def master(school, student: str, item: str, n: int = 12) -> None:
    school.record_responses([ResponseIn(student, item=item, correct=True, at=LAST_YEAR + dt.timedelta(minutes=m))
                             for m in range(n)])


def test_weakest_prerequisite_sends_a_struggling_student_back_to_the_prerequisite(school, tmp_path):
    use_strategy(school, tmp_path, "weakest_prerequisite")
    # Dividing fractions (6.NS.1) needs long division (6.NS.2), which Ben has not mastered.
    result = school.record_response("ben", item="ns1-practice-a", correct=False)
    assert result.decision.next_item.competency == "6.NS.2"
    assert result.decision.next_item.reason.startswith("Shore up the prerequisite 6.NS.2 Divide multi-digit numbers")
    assert "before 6.NS.1" in result.decision.next_item.reason
    # Once the prerequisite is mastered, more practice on the competency itself comes first.
    master(school, "ben", "ns2-practice-a")
    result = school.record_response("ben", item="ns1-practice-a", correct=False)
    assert result.decision.next_item.competency == "6.NS.1"
    assert result.decision.next_item.reason.startswith("More practice on 6.NS.1")


def test_spaced_review_brings_back_what_was_mastered_longest_ago(school, tmp_path):
    use_strategy(school, tmp_path, "spaced_review")
    master(school, "ana", "ns3-practice-a")  # decimals, last year
    school.record_responses([ResponseIn("ana", item="ns2-practice-a", correct=True,
                                        at=LAST_YEAR + dt.timedelta(days=30, minutes=m)) for m in range(12)])
    result = school.record_response("ana", item="rp1-recipe", correct=True)
    review = result.decision.next_item
    assert review.competency == "6.NS.3" and review.reason.startswith("Review of 6.NS.3 Operate with decimals")
    playlist = school.playlist("ana", n=14)
    reviewed = [i.competency for i in playlist if i.reason.startswith("Review of")]
    assert reviewed[:1] == ["6.NS.3"] and "6.NS.2" in reviewed  # oldest mastery first
    assert any(i.reason.startswith("Next in the scope and sequence") for i in playlist)  # then new work


def test_same_competency_keeps_practising_until_mastered(school, tmp_path):
    use_strategy(school, tmp_path, "same_competency")
    result = school.record_response("cy", item="ns3-lesson", correct=True)
    assert result.decision.next_item.competency == "6.NS.3"
    assert result.decision.next_item.reason.startswith("More practice on 6.NS.3 Operate with decimals")
    # ...but never on a competency whose prerequisite is not mastered: then the scope and sequence decides.
    result = school.record_response("cy", item="rp1-lesson", correct=True)
    assert result.decision.next_item.competency == "6.NS.2"
