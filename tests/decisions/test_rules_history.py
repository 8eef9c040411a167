"""A curriculum lead's rules over time: simulate shows what would change and who would be left with no next
item; every published version is in the history with who, when and why; a version can be brought back."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adaptive.cli import app
from adaptive.domain import ResponseIn, UnknownRecord
from adaptive.rules import RulesError, default_rules_text
from tests.conftest import sql

STRICTER = default_rules_text().replace("wrong_streak: {at_least: 3}", "wrong_streak: {at_least: 2}").replace(
    'version: "1.1"', 'version: "1.2"')

# Only students who are not stuck get a next item: a stuck student is flagged and left waiting.
LEAN = textwrap.dedent("""\
    id: lean
    version: "2"
    owner: ms-lead
    description: flag the stuck, move the rest on
    hit_policy: collect
    rules:
      - id: stuck
        description: two wrong in a row
        priority: 1
        when: {wrong_streak: {at_least: 2}}
        then: [{flag_small_group: "{wrong_streak} wrong in a row on {competency}"}]
      - id: keep-going
        description: the rest follow the course
        priority: 100
        when: {wrong_streak: {less_than: 2}}
        then: [{next_item: scope_and_sequence}]
    """)


@pytest.fixture
def school(tutor):
    """One competency of a course, with one practice item, and Ana (lighter than the demo course)."""
    tutor.add_competency("6.NS.2", "Divide multi-digit numbers")
    tutor.add_content_item("ns2-practice-a", "Long division practice", competencies=["6.NS.2"])
    tutor.add_course("g6", "Grade 6 math", ["6.NS.2"])
    tutor.add_student("ana", "Ana")
    return tutor


def answers(school, student: str, pattern: list[int], day: int = 3) -> None:
    school.record_responses([ResponseIn(student, item="ns2-practice-a", correct=c, at=dt.datetime(2025, 3, day, 9, m))
                             for m, c in enumerate(pattern)])


def cli(school, *args: str):
    return CliRunner().invoke(app, ["--db", school.url, "rules", *args])


def test_simulate_shows_example_changes_and_the_students_left_with_no_next_item(school, tmp_path):
    answers(school, "ana", [1, 0, 0])
    path = tmp_path / "lean.yaml"
    path.write_text(LEAN)
    report = school.simulate_rules(path)
    assert report.active.no_next_item == 0 and report.candidate.no_next_item == 1
    assert [(e["student"], e["competency"], e["fired"]) for e in report.no_next_item_examples] == [
        ("ana", "6.NS.2", ["stuck"])]
    out = cli(school, "simulate", str(path)).stdout
    assert "decisions with no next item" in out
    assert "Decisions that would change (all 1):" in out
    assert "ana  6.NS.2  answered 2025-03-03 09:02" in out
    assert "candidate: flag_small_group '2 wrong in a row on 6.NS.2'" in out
    assert "Decisions with no next item under the candidate (all 1):" in out
    assert "(rules: stuck)" in out


def test_publishing_keeps_who_when_and_why_and_the_history_lists_every_version(school, tmp_path):
    stricter, lean = tmp_path / "stricter.yaml", tmp_path / "lean.yaml"
    stricter.write_text(STRICTER)
    lean.write_text(LEAN)
    first = school.publish_rules(stricter, by="ms-lead", note="flag after two wrong answers")
    second = school.publish_rules(lean, by="mr-head")
    history = school.ruleset_history()
    assert [(v.version_id, v.published_by, v.note, v.active) for v in history] == [
        (first.version_id, "ms-lead", "flag after two wrong answers", False),
        (second.version_id, "mr-head", None, True)]
    assert history[0].changes == "rules.yaml +3 -3"
    out = cli(school, "history").stdout
    assert f"{first.version_id:>4}  " in out and "ms-lead  default 1.2+" in out
    assert "flag after two wrong answers; changes: rules.yaml +3 -3" in out and "(active)" in out
    assert json.loads(cli(school, "history", "--json").stdout)[1]["published_by"] == "mr-head"


def test_publishing_a_file_identical_to_the_active_rules_says_so_and_stores_nothing(school, tmp_path):
    path = tmp_path / "stricter.yaml"
    path.write_text(STRICTER)
    first = school.publish_rules(path, by="ms-lead")
    again = school.publish_rules(path, by="ms-lead")
    assert again.unchanged and again.version_id == first.version_id
    assert len(school.ruleset_history()) == 1
    out = cli(school, "publish", str(path), "--by", "ms-lead").stdout
    assert f"{path} is identical to the active rules, version {first.version_id}" in out
    assert "nothing new was published" in out
    already = cli(school, "rollback", str(first.version_id)).stdout
    assert f"version {first.version_id} is identical to the active rules" in already


def test_the_shipped_rules_published_as_they_are_store_nothing(school, tmp_path):
    path = tmp_path / "default.yaml"
    path.write_text(default_rules_text())
    assert school.publish_rules(path, by="ms-lead").unchanged and school.ruleset_history() == []


def test_a_rollback_publishes_an_earlier_version_again_saying_who_and_why(school, tmp_path):
    stricter, lean = tmp_path / "stricter.yaml", tmp_path / "lean.yaml"
    stricter.write_text(STRICTER)
    lean.write_text(LEAN)
    first = school.publish_rules(stricter, by="ms-lead")
    school.publish_rules(lean, by="mr-head")
    back = school.rollback_rules(first.version_id, by="ms-lead", note="lean rules leave stuck students waiting")
    assert back.version == first.version and back.version_id > first.version_id and back.active
    assert back.note == f"rollback to version {first.version_id}: lean rules leave stuck students waiting"
    assert school.active_ruleset().version_id == back.version_id
    decided = school.record_response("ana", item="ns2-practice-a", correct=True)
    assert decided.decision.ruleset_version == first.version
    out = cli(school, "rollback", "2", "--by", "ms-lead", "--note", "try lean again").stdout
    assert "as version 4 by ms-lead; it is now active" in out
    assert school.ruleset_history()[-1].note == "rollback to version 2: try lean again"


def test_a_rollback_to_a_version_that_no_longer_passes_its_check_is_refused(school, tmp_path):
    path = tmp_path / "lean.yaml"
    path.write_text(LEAN)
    first = school.publish_rules(path, by="ms-lead")
    broken = LEAN.replace("flag_small_group", "flag_smal_group").replace("'", "''")
    sql(school.url, f"UPDATE ruleset_version SET text = '{broken}' WHERE id = {first.version_id}")
    stricter = tmp_path / "stricter.yaml"
    stricter.write_text(STRICTER)
    school.publish_rules(stricter, by="ms-lead")
    with pytest.raises(RulesError) as refused:
        school.rollback_rules(first.version_id, by="ms-lead")
    assert str(refused.value).startswith(f"version {first.version_id}:11: rule stuck: unknown action")
    out = cli(school, "rollback", str(first.version_id))
    assert out.exit_code == 1 and "not published again; the active rules are unchanged" in out.stdout
    assert len(school.ruleset_history()) == 2


def test_a_rollback_to_a_version_that_does_not_exist_names_the_versions_there_are(school, tmp_path):
    with pytest.raises(UnknownRecord, match="unknown rules version 7 \\(versions: none published yet\\)"):
        school.rollback_rules(7, by="ms-lead")
    failed = cli(school, "rollback", "7")
    assert failed.exit_code == 2 and "unknown rules version 7" in failed.output


def test_the_simulate_output_in_the_docs_is_what_a_lead_sees(school, tmp_path):
    answers(school, "ana", [1, 0, 0])
    path = tmp_path / "lean.yaml"
    path.write_text(LEAN)
    out = cli(school, "simulate", str(path)).stdout
    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text()
    shown = re.search(r"\$ adaptive rules simulate lean.yaml\n(.*?)```", doc, flags=re.S).group(1)
    pattern = re.sub(r"\\\+[0-9a-f]{12}", r"\\+[0-9a-f]{12}", re.escape(shown.rstrip("\n")))  # any fingerprint
    assert re.fullmatch(pattern, out.rstrip("\n")), out


def test_publishing_rules_with_competing_next_items_publishes_them_and_shows_the_warning(school, tmp_path):
    path = tmp_path / "competing.yaml"
    path.write_text(LEAN.replace("{wrong_streak: {less_than: 2}}", "{}").replace(
        '[{flag_small_group: "{wrong_streak} wrong in a row on {competency}"}]',
        "[{next_item: weakest_prerequisite}]"))
    info = school.publish_rules(path, by="ms-lead")
    assert info.active and len(info.warnings) == 1 and "rules stuck" in info.warnings[0]
    path.write_text(path.read_text().replace('version: "2"', 'version: "3"'))
    out = cli(school, "publish", str(path)).stdout
    assert f"{path}:12: warning: rules stuck ({path}:7) and keep-going ({path}:12)" in out
    assert "it is now active" in out


def test_a_candidate_that_only_rewords_a_reason_says_its_changes_are_words(school, tmp_path):
    """A lead rewords the wrong-streak reason: every decision that changes changes only in words, and the report
    says so, so that a few hundred "changes" are not read as different help for students."""
    for _ in range(4):
        school.record_response("ana", item="ns2-practice-a", correct=False)
    path = tmp_path / "reworded.yaml"
    reworded = default_rules_text().replace('"{wrong_streak} wrong in a row"',
                                            '"{wrong_streak} wrong answers in a row"')
    path.write_text(reworded.replace('"5 wrong in a row"', '"5 wrong answers in a row"'))  # its own test follows
    report = school.simulate_rules(path)
    assert report.changed > 0 and report.reworded == report.changed
    stricter = tmp_path / "stricter.yaml"
    stricter.write_text(STRICTER)
    assert school.simulate_rules(stricter).reworded < school.simulate_rules(stricter).changed
    shown = CliRunner().invoke(app, ["--db", school.url, "rules", "simulate", str(path)])
    assert f"{report.changed} decisions would change ({report.reworded} only in the words of a reason or message)" \
        in shown.output
