"""Run the `tests:` written inside a rules file: given evidence, expected rules fired and actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from adaptive.domain.evidence import MasteryLevels
from adaptive.rules.decision import Action, Decision
from adaptive.rules.engine import RulesEngine
from adaptive.rules.evidence import Evidence
from adaptive.rules.model import ActionSpec, RuleTest

# A test's `given` only names what matters; the rest of the snapshot is this ordinary student.
TEST_DEFAULTS: dict[str, Any] = {
    "student": "test-student", "competency": "TEST", "event": "response", "source": "practice",
    "p_mastered": 0.5, "attempts": 1, "correct_count": 0, "wrong_streak": 0, "days_since_last_success": None,
    "pretest_score": None, "prerequisites_mastered": True, "weakest_prerequisite_p": None,
    "goal_deadline_days": None,
}


def case_evidence(given: dict[str, Any]) -> Evidence:
    """The snapshot a test describes: defaults, then `given`. An unstated level follows p_mastered and
    attempts (the usual cut points); an unstated competency name is "Test competency" (or the code given); an
    unstated source is "pretest" for a pre-test event; `on` is today."""
    values = {**TEST_DEFAULTS, **given}
    if "competency" in given:  # a test names a code, not the curriculum: the name reads as the code
        values.setdefault("competency_name", given["competency"])
    values.setdefault("competency_name", "Test competency")
    if "source" not in given and values["event"] == "pretest":
        values["source"] = "pretest"
    values.setdefault("level", MasteryLevels().level(values["p_mastered"], values["attempts"]))
    values.setdefault("on", dt.date.today())
    return Evidence(**values)


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    problems: tuple[str, ...]
    decision: Decision | None


def _matches(expected: ActionSpec, actual: Action) -> bool:
    return expected.kind == actual.kind and all(actual.arg(k) == v or _same_text(k, v, actual)
                                                for k, v in expected.args)


def _same_text(key: str, template: Any, actual: Action) -> bool:
    return key in ("reason", "message") and isinstance(template, str) and "{" in template and \
        actual.arg(key) is not None


def run_case(engine: RulesEngine, case: RuleTest) -> CaseResult:
    try:
        decision = engine.evaluate(case_evidence(dict(case.given)))
    except ValueError as exc:
        return CaseResult(case.name, False, (f"the given evidence is not possible: {exc}",), None)
    problems = []
    if case.expect_fired is not None and decision.rule_ids != case.expect_fired:
        problems.append(f"expected fired {list(case.expect_fired)}, got {list(decision.rule_ids)}")
    if case.expect_actions is not None:
        actual = decision.actions
        ok = len(actual) == len(case.expect_actions) and all(
            _matches(e, a) for e, a in zip(case.expect_actions, actual, strict=True))
        if not ok:
            got = [a.to_dict() for a in actual]
            want = [{"kind": e.kind, **dict(e.args)} for e in case.expect_actions]
            problems.append(f"expected actions {want}, got {got}")
    return CaseResult(case.name, not problems, tuple(problems), decision)


def run_tests(engine: RulesEngine) -> list[CaseResult]:
    """Every embedded test of the engine's rule set, in file order."""
    return [run_case(engine, case) for case in engine.ruleset.tests]
