"""The shipped default rules do what their descriptions say."""

import datetime as dt

import pytest
from rules_helpers import ev

from adaptive.rules import RulesEngine, load_default_rules, run_tests


@pytest.fixture(scope="module")
def engine():
    with RulesEngine.default() as e:
        yield e


def kinds(decision):
    return [a.kind for a in decision.actions]


def test_pretest_at_or_above_80_percent_marks_mastered(engine):
    d = engine.evaluate(ev(event="pretest", pretest_score=0.85))
    assert kinds(d) == ["mark_mastered", "next_item"]
    assert d.fired[0].rule_id == "pretest-skip"
    assert dict(d.fired[0].evidence) == {"event": "pretest", "pretest_score": 0.85}
    assert "mark_mastered" in kinds(engine.evaluate(ev(event="pretest", pretest_score=0.8)))


def test_pretest_below_threshold_or_missing_does_not_skip(engine):
    assert "mark_mastered" not in kinds(engine.evaluate(ev(event="pretest", pretest_score=0.79)))
    assert "mark_mastered" not in kinds(engine.evaluate(ev(event="pretest", pretest_score=None)))


def test_five_wrong_flags_for_a_small_group_with_a_reason(engine):
    d = engine.evaluate(ev(attempts=5, wrong_streak=5, p_mastered=0.2, competency="6.RP.1"))
    flags = [a.arg("reason") for a in d.actions if a.kind == "flag_small_group"]
    assert flags == ["5 wrong in a row", "Mastery 20% after 5 attempts"]
    assert d.rule_ids == ("flag-wrong-streak", "flag-low-mastery", "next-item")


def test_two_wrong_in_a_row_does_not_flag(engine):
    assert "flag_small_group" not in kinds(engine.evaluate(ev(attempts=2, wrong_streak=2, p_mastered=0.45)))


def test_wheel_spinning_flags_after_ten_attempts_without_mastery(engine):
    assert engine.evaluate(ev(attempts=10, p_mastered=0.6)).rule_ids == ("flag-wheel-spinning", "next-item")
    assert engine.evaluate(ev(attempts=10, p_mastered=0.96)).rule_ids == ("next-item",)


def test_next_item_is_the_scope_and_sequence_strategy(engine):
    (action,) = engine.evaluate(ev(attempts=3, p_mastered=0.6)).actions
    assert action.to_dict() == {"kind": "next_item", "strategy": "scope_and_sequence", "difficulty_window": 0.15,
                                "avoid_recent_days": 3}


def test_goal_checkin_when_deadline_near_and_not_mastered(engine):
    d = engine.evaluate(ev(goal_deadline_days=2, p_mastered=0.5, competency="6.EE.1"))
    (checkin,) = [a for a in d.actions if a.kind == "suggest_goal_checkin"]
    assert checkin.arg("message") == "Goal deadline in 2 days; 6.EE.1 is at familiar."
    assert "suggest_goal_checkin" in kinds(engine.evaluate(ev(goal_deadline_days=-1)))  # overdue
    assert "suggest_goal_checkin" not in kinds(engine.evaluate(ev(goal_deadline_days=10)))
    assert "suggest_goal_checkin" not in kinds(engine.evaluate(ev(goal_deadline_days=None)))


def test_decision_names_ruleset_and_versioned_hash(engine):
    d = engine.evaluate(ev())
    assert d.ruleset_id == "default"
    assert d.ruleset_version.startswith("1.1+") and len(d.ruleset_version) == len("1.1+") + 12
    assert d.fired[0].source.endswith(":" + str(load_default_rules().rules[-1].line))


def test_embedded_tests_pass():
    with RulesEngine.default() as e:
        assert all(r.passed for r in run_tests(e))


def test_evidence_rejects_impossible_values():
    with pytest.raises(ValueError, match="p_mastered"):
        ev(p_mastered=1.5)
    with pytest.raises(ValueError, match="level"):
        ev(level="expert")
    with pytest.raises(ValueError, match="on"):
        ev(on="2025-01-01")
    assert ev(on=dt.date(2025, 1, 1)).on == dt.date(2025, 1, 1)
