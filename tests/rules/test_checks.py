"""Checking a rules file: every problem found at once, each as FILE:LINE: message."""

import textwrap

import pytest
from rules_helpers import ev, rules_yaml

from adaptive.rules import RulesEngine, RulesError, load_rules, parse_rules, read_rules


def problems(text: str, **kw) -> list[str]:
    with pytest.raises(RulesError) as info:
        parse_rules(text, file="r.yaml", **kw)
    return [str(p) for p in info.value.problems]


GOOD_RULE = """\
- id: low
  description: low mastery
  priority: 1
  when: {p_mastered: {less_than: 0.4}}
  then: [{flag_small_group: low}]
"""


def test_unknown_fields_say_did_you_mean_with_their_line():
    text = rules_yaml("""\
        - id: a
          descripton: typo
          priority: 1
          when:
            p_mastred: {at_least: 0.9}
            attempts: {atleast: 3}
          then: [mark_mastred]
        """)
    found = problems(text)
    assert "r.yaml:8: unknown rule field 'descripton'; did you mean 'description'?" in found
    assert "r.yaml:11: unknown evidence field 'p_mastred'; did you mean 'p_mastered'?" in found
    assert "r.yaml:12: attempts: unknown test 'atleast'; did you mean 'at_least'?" in found
    assert "r.yaml:13: unknown action 'mark_mastred'; did you mean 'mark_mastered'?" in found
    assert "r.yaml:7: rule a: 'description' is missing" in found


def test_wrong_types_and_values():
    text = rules_yaml("""\
        - id: a
          description: d
          priority: high
          enabled: maybe
          when:
            p_mastered: {at_least: 1.5}
            attempts: {at_least: 2.5}
            prerequisites_mastered: yes please
            level: {in: [familar]}
          then:
            - next_item: {strategy: scope_sequence, avoid_recent_days: -1}
            - flag_small_group: "low {attemps}"
        """)
    found = "\n".join(problems(text))
    assert "r.yaml:9: rule a: priority must be a whole number, not 'high'" in found
    assert "r.yaml:10: rule a: enabled must be true or false" in found
    assert "r.yaml:12: p_mastered must be a fraction between 0 and 1, not 1.5" in found
    assert "r.yaml:13: attempts must be a whole number 0 or more, not 2.5" in found
    assert "r.yaml:14: prerequisites_mastered must be true or false" in found
    assert "r.yaml:15: level must be one of" in found and "did you mean 'familiar'?" in found
    assert "r.yaml:17: next_item: unknown strategy 'scope_sequence'; did you mean 'scope_and_sequence'?" in found
    assert "r.yaml:17: next_item avoid_recent_days must be a whole number 0 or more" in found
    assert "r.yaml:18: flag_small_group reason: unknown placeholder {attemps}; did you mean 'attempts'?" in found


def test_top_level_problems():
    found = problems("id: x\nversion: 1.2\nowner: o\ndescripton: d\nhit_policy: frist\nrules: []\n")
    assert "r.yaml:2: version: put it in quotes, e.g. version: \"1.2\"" in found
    assert "r.yaml:4: unknown top-level field 'descripton'; did you mean 'description'?" in found
    assert "r.yaml:5: unknown hit_policy 'frist'; did you mean 'first'?" in found
    assert "r.yaml:1: 'description' is missing" in found


def test_bad_dates():
    text = rules_yaml("""\
        - id: a
          description: d
          priority: 1
          effective_from: 2025-13-01
          when: {}
          then: [mark_mastered]
        - id: b
          description: d
          priority: 2
          effective_from: 2025-09-01
          effective_until: 2025-08-01
          when: {}
          then: [mark_mastered]
        """)
    found = problems(text)
    assert "r.yaml:10: rule a: effective_from must be a date like 2025-09-01, not '2025-13-01'" in found
    assert "r.yaml:17: rule b: effective_until is before effective_from" in found


def test_duplicate_ids():
    found = problems(rules_yaml(GOOD_RULE + GOOD_RULE.replace("priority: 1", "priority: 2")))
    assert found == ["r.yaml:12: duplicate rule id 'low' (first at r.yaml:7)"]


def test_unreachable_rule_under_first():
    text = rules_yaml(GOOD_RULE + textwrap.dedent("""\
        - id: lower
          description: even lower mastery (stricter, so never reached)
          priority: 2
          when: {p_mastered: {less_than: 0.2}, attempts: {at_least: 3}}
          then: [{flag_small_group: lower}]
        - id: wider
          description: wider condition, still reachable
          priority: 3
          when: {p_mastered: {less_than: 0.5}}
          then: [{flag_small_group: wider}]
        """), "first")
    found = problems(text)
    assert found == ["r.yaml:12: rule lower can never act: whenever it matches, rule low (r.yaml:7) matches first "
                     "(hit policy first)"]
    parse_rules(text.replace("hit_policy: first", "hit_policy: collect"))  # fine when collecting


def test_conflicting_rules_same_conditions_same_priority():
    text = rules_yaml(GOOD_RULE + textwrap.dedent("""\
        - id: skip
          description: same conditions, opposite action
          priority: 1
          when: {p_mastered: {less_than: 0.4}}
          then: [mark_mastered]
        """))
    (found,) = problems(text)
    assert found.startswith("r.yaml:12: rule skip conflicts with rule low (r.yaml:7)")


def test_competency_checked_only_against_a_curriculum():
    text = rules_yaml("""\
        - id: a
          description: d
          priority: 1
          when: {competency: [6.NS.1, 6.NS.9]}
          then: [mark_mastered]
        """)
    parse_rules(text)
    found = problems(text, curriculum=["6.NS.1", "6.NS.2"])
    assert found == ["r.yaml:10: unknown competency '6.NS.9'; did you mean '6.NS.2'?"]


def test_yaml_syntax_error_has_its_line():
    found = problems("id: x\nrules:\n  - id: [\n")
    assert len(found) == 1 and found[0].startswith("r.yaml:") and "cannot read YAML" in found[0]


def test_embedded_test_problems():
    text = rules_yaml(GOOD_RULE, extra="") + """\
tests:
  - name: t
    given: {p_mastred: 0.1}
    expect: {fired: [lw]}
  - name: u
    given: {}
"""
    found = problems(text)
    assert "r.yaml:14: test 't': unknown evidence field 'p_mastred'; did you mean 'p_mastered'?" in found
    assert "r.yaml:15: test 't': unknown rule id 'lw'; did you mean 'low'?" in found
    assert any(p.startswith("r.yaml:16: test 'u': expect needs") for p in found)


TABLE = """\
id,description,priority,when.p_mastered,when.attempts,when.level,then.flag_small_group,then.next_item
low5,Low after five,10,< 0.4,>= 5,,Low mastery {p_mastered:.0%},
streak,Stuck and unsure,20,>= 0.4 and < 0.7,>= 8,in attempted|familiar,Stuck at {level},
review,Prerequisite gap,30,,,not in mastered|proficient,,weakest_prerequisite avoid_recent_days=2
"""


def table_rules(policy: str, table_policy: str) -> str:
    return rules_yaml("", policy, extra=f"includes:\n  - {{table: flags.csv, hit_policy: {table_policy}}}\n") + "  []\n"


def test_decision_table_rules_run(write):
    write("flags.csv", TABLE)
    path = write("r.yaml", table_rules("collect", "collect"))
    e = RulesEngine(load_rules(path))
    d = e.evaluate(ev(p_mastered=0.2, attempts=6))
    assert d.rule_ids == ("low5", "review")
    assert d.actions[0].arg("reason") == "Low mastery 20%"
    assert d.actions[1].to_dict() == {"kind": "next_item", "strategy": "weakest_prerequisite",
                                      "avoid_recent_days": 2, "difficulty_window": 0.15}
    assert d.fired[0].source.endswith("flags.csv:2")
    assert e.evaluate(ev(p_mastered=0.5, attempts=9)).rule_ids == ("streak", "review")


def test_decision_table_hit_policy_first(write):
    write("flags.csv", TABLE)
    e = RulesEngine(load_rules(write("r.yaml", table_rules("collect", "first"))))
    assert e.evaluate(ev(p_mastered=0.2, attempts=6)).rule_ids == ("low5",)


def test_decision_table_changes_the_version(write):
    write("flags.csv", TABLE)
    path = write("r.yaml", table_rules("collect", "first"))
    before = load_rules(path).full_version
    write("flags.csv", TABLE.replace("Low after five", "Low after 5"))
    assert load_rules(path).full_version != before


@pytest.mark.parametrize("cell, message", [
    (">= abc", "when.p_mastered: cannot read '>= abc'"),
    ("=> 0.4", "when.p_mastered: cannot read '=> 0.4'"),
    (">=", "when.p_mastered: cannot read '>='"),
    ("1.5", "p_mastered must be a fraction between 0 and 1"),
    ("in 0.1|x", "when.p_mastered: cannot read 'in 0.1|x'"),
])
def test_malformed_table_cell_is_an_error_with_its_line(write, cell, message):
    write("flags.csv", TABLE.replace("< 0.4", cell))
    _, found = read_rules(write("r.yaml", table_rules("collect", "first")))
    assert [str(p) for p in found][0].endswith(f"flags.csv:2: {message}") or \
        any(f"flags.csv:2: {message}" in str(p) for p in found), found


def test_table_header_and_row_problems(write):
    write("flags.csv", "id,description,priority,when.p_mastred,then.flag_small_grup\nx,d,1,<0.2,hi\n")
    _, found = read_rules(write("r.yaml", table_rules("collect", "first")))
    text = "\n".join(str(p) for p in found)
    assert "flags.csv:1: unknown column 'when.p_mastred'; did you mean 'when.p_mastered'?" in text
    assert "flags.csv:1: unknown column 'then.flag_small_grup'; did you mean 'then.flag_small_group'?" in text
    write("flags.csv", "id,description,priority,when.level,then.mark_mastered\nx,d,1,>= mastered,yes\ny,d,2,,maybe\n")
    _, found = read_rules(write("r.yaml", table_rules("collect", "first")))
    text = "\n".join(str(p) for p in found)
    assert "flags.csv:2: level: unknown test 'at_least'" in text
    assert "flags.csv:3: then.mark_mastered: write 'yes' or leave blank, not 'maybe'" in text


def test_missing_table_and_missing_table_hit_policy(write):
    path = write("r.yaml", rules_yaml("", extra="includes:\n  - {table: nope.csv}\n") + "  []\n")
    _, found = read_rules(path)
    text = "\n".join(str(p) for p in found)
    assert "r.yaml:7: the table needs its own hit_policy: first or collect" in text
    assert "r.yaml:7: cannot read table nope.csv: No such file" in text


def test_a_threshold_too_close_to_zero_for_the_engine_is_reported_with_its_line():
    text = rules_yaml(GOOD_RULE.replace("less_than: 0.4", "less_than: 0.00001"))
    assert problems(text) == ["r.yaml:10: p_mastered: 1e-05 is too close to 0 for the rules engine (use 0, or a "
                              "number of at least 0.0001 in size)"]
