"""Reasons in the classroom's words: a flag's reason leaves the competency to the list it sits in (which names
it), and a lead's own rules may quote a competency's name with
``{competency_name}``, whatever characters the name holds."""

from __future__ import annotations

import textwrap

import pytest

from adaptive.domain import ContentItem
from adaptive.rules import RulesError

NAMED = textwrap.dedent("""\
    id: named
    version: "1"
    owner: ms-lead
    description: flag with the competency's name
    hit_policy: collect
    rules:
      - id: stuck
        description: two wrong in a row
        priority: 1
        when: {wrong_streak: {at_least: 2}}
        then: [{flag_small_group: "Stuck on {competency_name} ({competency}) after {wrong_streak} tries"}]
    tests:
      - name: the name in a test is the test competency's
        given: {wrong_streak: 2}
        expect:
          actions: [{flag_small_group: "Stuck on Test competency (TEST) after 2 tries"}]
      - name: a test naming a code reads the code as the name
        given: {wrong_streak: 3, competency: 6.NS.2}
        expect:
          actions: [{flag_small_group: "Stuck on 6.NS.2 (6.NS.2) after 3 tries"}]
""")


def test_the_shipped_rules_flag_without_repeating_the_competency_and_the_list_names_it(school):
    for _ in range(3):
        school.record_response("ana", item="ns2-practice-a", correct=False)
    (flag,) = school.flags()
    assert flag.reason == "3 wrong in a row" and flag.competency == "6.NS.2"
    assert "6.NS.2" not in flag.summary


def test_a_leads_rule_quotes_the_name_and_its_own_tests_pass(school, tmp_path):
    path = tmp_path / "named.yaml"
    path.write_text(NAMED)
    school.publish_rules(path, by="ms-lead")
    assert school.check_rules_text(NAMED, run_tests=True).failed_tests == 0
    school.record_response("ana", item="ns2-practice-a", correct=False)
    school.record_response("ana", item="ns2-practice-a", correct=False)
    (flag,) = school.flags()
    assert flag.reason == "Stuck on Divide multi-digit numbers (6.NS.2) after 2 tries"


def test_a_name_with_quotes_braces_and_markup_is_only_text_in_a_reason(school, tmp_path):
    odd = 'Ratios "and" {rates} <b>½</b> \\ done'
    school.add_competency("ODD.1", odd)
    school.add_content_items([ContentItem("odd-practice", "Odd practice", competencies=("ODD.1",))])
    school.add_course("ODD", "Odd course", ["ODD.1"])
    path = tmp_path / "named.yaml"
    path.write_text(NAMED)
    school.publish_rules(path, by="ms-lead")
    for _ in range(2):
        school.record_response("ana", item="odd-practice", correct=False)
    (flag,) = school.flags()
    assert flag.reason == f"Stuck on {odd} (ODD.1) after 2 tries"


def test_a_rule_cannot_test_the_name(school):
    text = NAMED.replace("when: {wrong_streak: {at_least: 2}}", "when: {competency_name: Unit rates}")
    with pytest.raises(RulesError, match=r"rules.yaml:\d+: conditions cannot test 'competency_name' \(names change\); "
                                         r"test the code: competency"):
        school.publish_rules_text(text, by="ms-lead")
