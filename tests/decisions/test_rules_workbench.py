"""Rules as text (the web's rules workbench): checked as ``adaptive rules check`` checks a file, with the
active rules' decision tables beside it; problems named after rules.yaml or the table, never a scratch folder;
published and simulated like a file."""

from __future__ import annotations

import pytest

from adaptive.rules import RulesError, default_rules_text

TABLE = """\
id,description,priority,when.p_mastered,when.attempts,then.flag_small_group
low50,Low after fifty,40,< 0.4,>= 50,Low mastery {p_mastered:.0%}
"""
INCLUDE = "includes:\n  - {table: flags.csv, hit_policy: first}\n"
WITH_TABLE = default_rules_text().replace("rules:\n", INCLUDE + "rules:\n", 1)


@pytest.fixture
def with_table(tutor, tmp_path):
    """The active rules include flags.csv (published from files, as the command line does)."""
    (tmp_path / "flags.csv").write_text(TABLE)
    (tmp_path / "rules.yaml").write_text(WITH_TABLE)
    tutor.publish_rules(tmp_path / "rules.yaml", by="cli")
    return tutor


def test_the_active_text_is_the_shipped_default_until_something_is_published(tutor):
    assert tutor.active_rules_text() == default_rules_text()


def test_a_check_of_good_text_says_what_it_holds_and_runs_its_tests_when_asked(tutor):
    check = tutor.check_rules_text(default_rules_text(), run_tests=True)
    assert check.ok and check.summary.startswith("default version 1.1+") and "9 tests" in check.summary
    assert len(check.tests) == 9 and check.failed_tests == 0


def test_problems_are_named_after_rules_yaml_in_line_order(tutor):
    text = default_rules_text().replace("    then:", "    thn:", 1)
    check = tutor.check_rules_text(text)
    rule, thn = line_of(text, "- id: pretest-skip"), line_of(text, "thn:")
    assert [(p.file, p.line) for p in check.problems] == [("rules.yaml", rule), ("rules.yaml", thn)]
    assert not check.ok


def test_the_active_rules_tables_are_beside_the_text(with_table):
    text = with_table.active_rules_text()
    assert text == WITH_TABLE
    assert with_table.check_rules_text(text).ok
    assert "1 from 1 tables" in with_table.check_rules_text(text).summary


def test_a_missing_table_is_reported_at_its_include_line_without_the_scratch_folder(with_table):
    text = WITH_TABLE.replace("flags.csv", "missing.csv")
    (problem,) = with_table.check_rules_text(text).problems
    assert problem.file == "rules.yaml" and "missing.csv" in problem.message
    assert "adaptive-workbench" not in problem.message


def test_publishing_text_keeps_the_tables_and_refuses_problems_at_their_lines(with_table):
    info = with_table.publish_rules_text(WITH_TABLE.replace("{at_least: 3}", "{at_least: 2}", 1), by="lead", note="n")
    assert info.version_id == 2 and "flags.csv" not in info.changes
    with pytest.raises(RulesError) as refused:
        with_table.publish_rules_text(WITH_TABLE.replace("    then:", "    thn:", 1), by="lead")
    assert {p.file for p in refused.value.problems} == {"rules.yaml"}
    assert [v.version_id for v in with_table.ruleset_history()] == [1, 2]


def test_simulating_text_with_problems_raises_them(tutor):
    text = default_rules_text().replace("    then:", "    thn:", 1)
    with pytest.raises(RulesError, match=rf"rules.yaml:{line_of(text, 'thn:')}: unknown rule field 'thn'"):
        tutor.simulate_rules_text(text)


def line_of(text: str, words: str) -> int:
    """The line (from 1) of ``text`` where ``words`` first appear."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if words in line)
