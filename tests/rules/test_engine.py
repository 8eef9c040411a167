"""The engine: hit policies, effective dates, several engines in one process, many threads."""

import datetime as dt
import threading

import pytest
from rules_helpers import ev, rules_yaml

from adaptive.rules import MAX_RULES, RulesEngine, RulesError, parse_rules

TWO_FLAGS = """\
- id: streak
  description: three wrong
  priority: 1
  when: {wrong_streak: {at_least: 3}}
  then: [{flag_small_group: "streak {wrong_streak}"}]
- id: low
  description: low mastery
  priority: 2
  when: {p_mastered: {less_than: 0.4}}
  then: [{flag_small_group: low}]
"""


def many_rules(n: int) -> str:
    return "".join(f"- {{id: r{i}, description: rule {i}, priority: {i}, when: {{attempts: {{at_least: {i}}}}}, "
                   f"then: [{{flag_small_group: r{i}}}]}}\n" for i in range(n))


def engine(text: str, **kw) -> RulesEngine:
    return RulesEngine(parse_rules(text, **kw))


def test_hit_policy_first_keeps_only_the_highest_priority_match():
    e = engine(rules_yaml(TWO_FLAGS, "first"))
    d = e.evaluate(ev(wrong_streak=4, p_mastered=0.1))
    assert d.rule_ids == ("streak",)
    assert [a.arg("reason") for a in d.actions] == ["streak 4"]
    assert e.evaluate(ev(p_mastered=0.1)).rule_ids == ("low",)


def test_hit_policy_collect_keeps_every_match_in_priority_order():
    e = engine(rules_yaml(TWO_FLAGS, "collect"))
    assert e.evaluate(ev(wrong_streak=4, p_mastered=0.1)).rule_ids == ("streak", "low")
    assert e.evaluate(ev(p_mastered=0.9)).actions == ()


def test_priority_not_file_order_decides():
    text = rules_yaml(TWO_FLAGS.replace("priority: 1", "priority: 9"), "collect")
    assert engine(text).evaluate(ev(wrong_streak=4, p_mastered=0.1)).rule_ids == ("low", "streak")


def test_disabled_rules_never_fire():
    text = rules_yaml(TWO_FLAGS.replace("priority: 1\n", "priority: 1\n  enabled: false\n"))
    assert engine(text).evaluate(ev(wrong_streak=4, p_mastered=0.1)).rule_ids == ("low",)


def test_effective_dates_are_inclusive():
    text = rules_yaml("""\
        - id: autumn
          description: autumn term only
          priority: 1
          effective_from: 2025-09-01
          effective_until: 2025-12-19
          when: {}
          then: [mark_mastered]
        """)
    e = engine(text)
    assert e.evaluate(ev(on=dt.date(2025, 8, 31))).rule_ids == ()
    assert e.evaluate(ev(on=dt.date(2025, 9, 1))).rule_ids == ("autumn",)
    d = e.evaluate(ev(on=dt.date(2025, 12, 19)))
    assert d.fired[0].evidence == (("on", dt.date(2025, 12, 19)),)
    assert e.evaluate(ev(on=dt.date(2025, 12, 20))).rule_ids == ()


def test_condition_on_an_unknown_value_is_false():
    text = rules_yaml("""\
        - id: notpre
          description: any pre-test score but 0.5
          priority: 1
          when: {pretest_score: {not: 0.5}}
          then: [mark_mastered]
        - id: notin
          description: any deadline but these
          priority: 2
          when: {goal_deadline_days: {not: 1}, level: {not_in: [mastered]}}
          then: [{suggest_goal_checkin: hi}]
        """)
    e = engine(text)
    assert e.evaluate(ev()).rule_ids == ()
    assert e.evaluate(ev(pretest_score=0.7, goal_deadline_days=3)).rule_ids == ("notpre", "notin")


def test_two_engines_with_different_rules_live_in_one_process():
    a = engine(rules_yaml(TWO_FLAGS, "first"))
    b = engine(rules_yaml(TWO_FLAGS, "collect"))
    c = RulesEngine.default()
    for _ in range(50):
        assert a.evaluate(ev(wrong_streak=4, p_mastered=0.1)).rule_ids == ("streak",)
        assert b.evaluate(ev(wrong_streak=4, p_mastered=0.1)).rule_ids == ("streak", "low")
        assert c.evaluate(ev(event="pretest", pretest_score=0.9)).rule_ids == ("pretest-skip", "next-item")
    assert a.ruleset_version != c.ruleset_version


def test_same_rules_twice_compile_under_distinct_names():
    text = rules_yaml(TWO_FLAGS)
    engines = [engine(text) for _ in range(3)]
    assert all(e.evaluate(ev(p_mastered=0.1)).rule_ids == ("low",) for e in engines)


def test_many_evaluations_do_not_exhaust_sessions():
    e = engine(rules_yaml(TWO_FLAGS))
    for i in range(3000):  # durable_rules allows 1024 live sessions per ruleset
        assert e.evaluate(ev(wrong_streak=i % 5)).rule_ids == (("streak",) if i % 5 >= 3 else ())


def test_eight_threads_many_evaluations_all_correct():
    e = RulesEngine.default()
    errors = []

    def work(seed: int) -> None:
        for i in range(400):
            streak = (seed + i) % 6
            d = e.evaluate(ev(wrong_streak=streak, attempts=streak, student=f"s{seed}"))
            want = ("flag-wrong-streak", "next-item") if streak >= 3 else ("next-item",)
            if d.rule_ids != want:
                errors.append((seed, i, d.rule_ids))

    threads = [threading.Thread(target=work, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_more_than_fifty_rules_span_several_compiled_rulesets():
    body = many_rules(120)
    e = engine(rules_yaml(body))
    assert len(e.evaluate(ev(attempts=100)).fired) == 101  # a fact matching 101 rules


def test_rule_count_has_a_hard_limit():
    body = many_rules(MAX_RULES + 1)
    with pytest.raises(RulesError, match=f"the limit is {MAX_RULES}"):
        parse_rules(rules_yaml(body))


def test_closed_engine_refuses_and_evaluate_wants_evidence():
    e = engine(rules_yaml(TWO_FLAGS))
    with pytest.raises(TypeError):
        e.evaluate({"p_mastered": 0.1})
    e.close()
    with pytest.raises(RuntimeError, match="closed"):
        e.evaluate(ev())


def test_reloading_many_versions_frees_the_old_ones():
    keep = RulesEngine.default()
    for i in range(200):
        with engine(rules_yaml(TWO_FLAGS.replace("low mastery", f"low mastery v{i}"))) as e:
            assert e.evaluate(ev(p_mastered=0.1)).fired[0].description == f"low mastery v{i}"
    assert keep.evaluate(ev()).rule_ids == ("next-item",)


def test_numbers_nearer_zero_than_json_writes_plainly_are_compared_as_they_are():
    """durable_rules cannot read 4e-08 (JSON's exponent form): a stand-in on the same side of every threshold
    is handed to it, so the rules see the same thing, with or without the memo."""
    text = rules_yaml("""\
        - id: just-now
          description: a right answer moments ago
          priority: 1
          when: {days_since_last_success: {more_than: 0}}
          then: [{flag_small_group: "just now"}]
        - id: stuck
          description: mastery about nil
          priority: 2
          when: {p_mastered: {less_than: 0.0001}}
          then: [{flag_small_group: "nil"}]
        """)
    for memoize in (True, False):
        e = RulesEngine(parse_rules(text), memoize=memoize)
        assert e.evaluate(ev(days_since_last_success=4e-08, p_mastered=3e-05)).rule_ids == ("just-now", "stuck")
        assert e.evaluate(ev(days_since_last_success=0.0, p_mastered=0.5)).rule_ids == ()
        assert e.evaluate(ev(days_since_last_success=-2e-09, p_mastered=0.0)).rule_ids == ("stuck",)


def test_a_number_between_thresholds_at_0_and_00001_is_refused_with_why():
    text = rules_yaml("""\
        - id: a
          description: above zero
          priority: 1
          when: {p_mastered: {more_than: 0}}
          then: [{flag_small_group: a}]
        - id: b
          description: below the smallest
          priority: 2
          when: {p_mastered: {less_than: 0.0001}}
          then: [{flag_small_group: b}]
        """)
    with pytest.raises(ValueError, match=r"p_mastered = 5e-05 cannot be evaluated: the rules compare it with "
                                         r"both 0 and 0.0001"):
        RulesEngine(parse_rules(text)).evaluate(ev(p_mastered=5e-05))
