"""A curriculum lead's mistakes get one clear message each: a misspelt action is named as such, a broken
rule is not reported again by every test naming it, and competing next-item choices are pointed out."""

import pytest
from rules_helpers import rules_yaml
from typer.testing import CliRunner

from adaptive.cli import app
from adaptive.rules import RulesError, parse_rules


def problems(text: str) -> list[str]:
    with pytest.raises(RulesError) as info:
        parse_rules(text, file="r.yaml")
    return [str(p) for p in info.value.problems]


def test_a_misspelt_action_with_a_reason_is_named_as_an_unknown_action_with_a_suggestion():
    text = rules_yaml("""\
        - id: stuck
          description: three wrong in a row
          priority: 1
          when: {wrong_streak: {at_least: 3}}
          then:
            - flag_smal_group: "Three wrong in a row"
        """)
    assert problems(text) == ["r.yaml:12: rule stuck: unknown action 'flag_smal_group'; "
                              "did you mean 'flag_small_group'?"]


def test_a_misspelt_action_with_settings_is_named_the_same_way():
    text = rules_yaml("""\
        - id: next
          description: keep going
          priority: 1
          when: {}
          then:
            - next_itme: {strategy: scope_and_sequence}
        """)
    assert problems(text) == ["r.yaml:12: rule next: unknown action 'next_itme'; did you mean 'next_item'?"]


def test_a_broken_rule_is_reported_once_not_again_by_the_tests_that_name_it():
    text = rules_yaml("""\
        - id: stuck
          description: three wrong in a row
          priority: 1
          when: {wrong_streak: {at_least: 3}}
          then: [{flag_smal_group: "Three wrong in a row"}]
        - id: stuck_long
          description: five wrong in a row
          priority: 2
          when: {wrong_streak: {at_least: 5}}
          then: [{flag_small_group: "Five wrong in a row"}]
        """, extra="""\
tests:
  - name: three wrong flags the student
    given: {wrong_streak: 3}
    expect: {fired: [stuck]}
""")
    found = problems(text)
    assert len(found) == 1 and "unknown action 'flag_smal_group'" in found[0]
    assert not any("unknown rule id" in p for p in found)


def test_a_test_naming_a_rule_that_is_not_written_anywhere_is_still_an_error():
    text = rules_yaml("""\
        - id: stuck
          description: three wrong in a row
          priority: 1
          when: {wrong_streak: {at_least: 3}}
          then: [{flag_small_group: "Three wrong in a row"}]
        """, extra="""\
tests:
  - name: three wrong flags the student
    given: {wrong_streak: 3}
    expect: {fired: [stuk]}
""")
    assert any("unknown rule id 'stuk'; did you mean 'stuck'?" in p for p in problems(text))


COMPETING = """\
- id: struggling
  description: review the weakest prerequisite when struggling
  priority: 1
  when: {p_mastered: {less_than: 0.4}}
  then: [{next_item: {strategy: weakest_prerequisite}}]
- id: keep_going
  description: carry on through the course
  priority: 5
  when: {attempts: {at_least: 1}}
  then: [{next_item: {strategy: scope_and_sequence}}]
"""


def test_two_next_item_rules_that_can_fire_together_under_collect_get_a_warning_naming_both():
    ruleset = parse_rules(rules_yaml(COMPETING), file="r.yaml")  # a warning: the rules can still be used
    assert [str(w) for w in ruleset.warnings] == [
        "r.yaml:12: rules struggling (r.yaml:7) and keep_going (r.yaml:12) can fire on the same response "
        "(hit policy collect) and both choose the next item: only struggling's next_item is used, keep_going's "
        "is ignored. Narrow one rule's 'when', or use hit_policy first"]


def test_next_item_rules_that_cannot_fire_together_get_no_warning():
    text = COMPETING.replace("{attempts: {at_least: 1}}", "{p_mastered: {at_least: 0.4}}")
    assert parse_rules(rules_yaml(text), file="r.yaml").warnings == ()
    assert parse_rules(rules_yaml(COMPETING, policy="first"), file="r.yaml").warnings == ()


def test_rules_check_prints_the_warning_and_still_passes(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(rules_yaml(COMPETING))
    result = CliRunner().invoke(app, ["rules", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}:12: warning: rules struggling ({path}:7) and keep_going ({path}:12)" in result.output
    assert "ok:" in result.output and "1 warning" in result.output
