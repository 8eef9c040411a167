"""The next-item strategies a lead can name in the rules, each as a student experiences it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from adaptive import ResponseIn
from adaptive.rules import RulesError, default_rules_text, parse_rules
from adaptive.rules.evidence import FieldKind, check_value
from adaptive.strategies import EVIDENCE, STRATEGIES, Strategy

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
    assert result.decision.next_item.reason.startswith("Shore up the prerequisite Divide multi-digit numbers (6.NS.2)")
    assert "before Divide fractions by fractions (6.NS.1)" in result.decision.next_item.reason
    # Once the prerequisite is mastered, more practice on the competency itself comes first.
    master(school, "ben", "ns2-practice-a")
    result = school.record_response("ben", item="ns1-practice-a", correct=False)
    assert result.decision.next_item.competency == "6.NS.1"
    assert result.decision.next_item.reason.startswith("More practice on Divide fractions by fractions (6.NS.1)")


def test_spaced_review_brings_back_what_was_mastered_longest_ago(school, tmp_path):
    use_strategy(school, tmp_path, "spaced_review")
    master(school, "ana", "ns3-practice-a")  # decimals, last year
    school.record_responses([ResponseIn("ana", item="ns2-practice-a", correct=True,
                                        at=LAST_YEAR + dt.timedelta(days=30, minutes=m)) for m in range(12)])
    result = school.record_response("ana", item="rp1-recipe", correct=True)
    review = result.decision.next_item
    assert review.competency == "6.NS.3" and review.reason.startswith("Review of Operate with decimals (6.NS.3)")
    playlist = school.playlist("ana", n=14)
    reviewed = [i.competency for i in playlist if i.reason.startswith("Review of")]
    assert reviewed[:1] == ["6.NS.3"] and "6.NS.2" in reviewed  # oldest mastery first
    assert any(i.reason.startswith("Next in the course") for i in playlist)  # then new work


def test_same_competency_keeps_practising_until_mastered(school, tmp_path):
    use_strategy(school, tmp_path, "same_competency")
    result = school.record_response("cy", item="ns3-lesson", correct=True)
    assert result.decision.next_item.competency == "6.NS.3"
    assert result.decision.next_item.reason.startswith("More practice on Operate with decimals (6.NS.3)")
    # ...but never on a competency whose prerequisite is not mastered: then the scope and sequence decides.
    result = school.record_response("cy", item="rp1-lesson", correct=True)
    assert result.decision.next_item.competency == "6.NS.2"


# -- the registry: one module per strategy in adaptive/strategies/, read by the rules checker and the engine ---
DOCS_RULES = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_the_rules_vocabulary_is_the_registry():
    from adaptive.rules import vocabulary

    checked, settings = vocabulary.STRATEGIES, vocabulary.STRATEGY_SETTINGS
    assert list(checked) == list(STRATEGIES)
    assert checked == {name: s.description for name, s in STRATEGIES.items()}
    assert settings == {k: v for s in STRATEGIES.values() for k, v in s.settings.items()}
    for strategy in STRATEGIES.values():
        assert strategy.needs <= EVIDENCE.keys()
        for name, (kind, default) in strategy.settings.items():  # each setting's default passes the rules' check
            assert check_value(FieldKind(kind), default) is None, (strategy.name, name)


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_every_registered_strategy_is_accepted_by_the_rules_checker(name):
    ruleset = parse_rules(default_rules_text().replace("strategy: scope_and_sequence", f"strategy: {name}"))
    named = {dict(a.args)["strategy"] for r in ruleset.rules for a in r.actions if a.kind == "next_item"}
    assert named == {name}


def test_an_unregistered_strategy_is_refused_naming_every_registered_one():
    with pytest.raises(RulesError) as info:
        parse_rules(default_rules_text().replace("strategy: scope_and_sequence", "strategy: zigzag"), file="r.yaml")
    assert any(str(p).endswith(f"next_item: unknown strategy 'zigzag' (known: {', '.join(STRATEGIES)})")
               for p in info.value.problems)


def test_every_registered_strategy_is_documented_in_the_rules_guide():
    section = DOCS_RULES.read_text().split("**Next-item strategies.**", 1)[1].split("\n\n", 2)[1]
    assert re.findall(r"^\| `(\w+)` \|", section, flags=re.M) == list(STRATEGIES)
    for name in STRATEGIES["scope_and_sequence"].settings:
        assert f"`{name}`" in DOCS_RULES.read_text()


def test_only_the_strategies_that_need_it_load_when_each_competency_was_last_answered():
    from adaptive.decisions.strategies import need_times

    assert need_times(["spaced_review"]) and need_times(["same_competency", "spaced_review"])
    assert not need_times(["scope_and_sequence", "same_competency", "weakest_prerequisite", "unknown"])
    with pytest.raises(ValueError, match="needs unknown evidence"):
        Strategy("odd", "odd", lambda view, anchor, settings: iter(()), order=99, needs=frozenset({"shoe_size"}))


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_every_registered_strategy_resolves_items(school, tmp_path, name):
    use_strategy(school, tmp_path, name)
    master(school, "ana", "ns3-practice-a")
    result = school.record_response("ana", item="ns1-practice-a", correct=False)
    assert result.decision.next_item is not None  # the strategy's own, or the scope and sequence's
    playlist = school.playlist("ana", n=3)
    assert len(playlist) == 3 and len({i.item for i in playlist}) == 3
