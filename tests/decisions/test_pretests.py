"""Pre-tests as a teacher gives them: scored per competency when finished, skipping what a student knows."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from adaptive.cli import app
from adaptive.domain import ContentItem, StoreError, UnknownRecord

DIVISION = {f"ns2-pre-{n}": True for n in range(1, 6)}  # the five division questions of the school fixture


def test_a_student_who_aces_the_pretest_skips_the_competency_and_never_sees_its_items(school):
    result = school.record_pretest("ana", DIVISION, pretest_id="ana-sep")
    (score,) = result.scores
    assert (score.competency, score.score, score.answered, score.items, score.skipped) == ("6.NS.2", 1.0, 5, 5, True)
    assert result.skipped == ("6.NS.2",)
    (decision,) = result.decisions
    assert [f.rule_id for f in decision.fired] == ["pretest-skip", "next-item"]
    assert decision.next_item.competency != "6.NS.2"
    assert [i for i in school.playlist("ana", n=40) if i.competency == "6.NS.2"] == []


def test_four_of_five_is_enough_three_of_five_is_not(school):
    assert school.record_pretest("ana", {**DIVISION, "ns2-pre-5": False}).skipped == ("6.NS.2",)
    weak = school.record_pretest("ben", {**DIVISION, "ns2-pre-4": False, "ns2-pre-5": False})
    assert weak.scores[0].score == pytest.approx(0.6) and weak.skipped == ()
    assert school.next_item("ben").competency == "6.NS.2"


def test_a_pretest_question_on_the_mastery_scale_counts_its_score(school):
    school.add_content_items([ContentItem("rp1-pre-4", "Explain what a ratio is.", "assessment", ("6.RP.1",),
                                          pretest_scoring="scale")])
    right = {f"rp1-pre-{n}": True for n in range(1, 4)}
    # 1, 1, 1 and a 2 on the 1-5 scale (25%): 81% -> skipped; with a 1 (0%): 75% -> not skipped.
    high = school.record_pretest("ana", {**right, "rp1-pre-4": 2})
    assert high.scores[0].score == pytest.approx(0.8125) and high.skipped == ("6.RP.1",)
    low = school.record_pretest("ben", {**right, "rp1-pre-4": 1})
    assert low.scores[0].score == pytest.approx(0.75) and low.skipped == ()


def test_an_unfinished_pretest_is_not_scored_until_the_rest_comes_in(school):
    first = school.record_pretest("ana", {"ns2-pre-1": True, "ns2-pre-2": True}, pretest_id="part-1")
    assert first.scores[0].score is None and first.scores[0].answered == 2 and first.skipped == ()
    rest = school.record_pretest("ana", {f"ns2-pre-{n}": True for n in (3, 4, 5)}, pretest_id="part-2")
    assert rest.scores[0].score == 1.0 and rest.skipped == ("6.NS.2",)


def test_recording_the_same_pretest_again_changes_nothing(school):
    first = school.record_pretest("ana", DIVISION, pretest_id="ana-sep")
    count = school.response_count()
    again = school.record_pretest("ana", DIVISION, pretest_id="ana-sep")
    assert again.duplicate and not first.duplicate
    assert again.scores == first.scores
    assert [d.decision_id for d in again.decisions] == [d.decision_id for d in first.decisions]
    assert school.response_count() == count


@pytest.mark.parametrize("answers, message", [
    ({"ns2-pre-1": True, "nope": True}, "unknown pre-test item 'nope'"),
    ({"ns2-pre-1": True, "ns2-practice-a": True}, "item 'ns2-practice-a' is not a pre-test item"),
    ({"ns2-pre-1": 3}, "pre-test item 'ns2-pre-1' is scored right or wrong"),
    ({}, "a pre-test needs at least one answer"),
])
def test_a_bad_pretest_names_the_problem_and_writes_nothing(school, answers, message):
    with pytest.raises(StoreError, match=message):
        school.record_pretest("ana", answers)
    assert school.response_count() == 0
    with pytest.raises(UnknownRecord, match="unknown student 'zed'"):
        school.record_pretest("zed", DIVISION)


def test_a_scale_answer_off_the_scale_is_refused(school):
    school.add_content_items([ContentItem("rp1-pre-4", "Explain what a ratio is.", "assessment", ("6.RP.1",),
                                          pretest_scoring="scale")])
    with pytest.raises(StoreError, match=r"pre-test item 'rp1-pre-4': score 7 is not on the scale"):
        school.record_pretest("ana", {"rp1-pre-4": 7})


def test_the_pretest_command(school):
    run = CliRunner().invoke
    db = ["--db", school.url]
    answers = [f"ns2-pre-{n}=right" for n in range(1, 5)] + ["ns2-pre-5=0"]
    shown = run(app, [*db, "pretest", "ana", *answers, "--id", "ana-sep"])
    assert shown.exit_code == 0, shown.output
    assert "6.NS.2: 80% (5 of 5 questions answered) - skipped" in shown.stdout and "why:" in shown.stdout
    again = json.loads(run(app, [*db, "pretest", "ana", *answers, "--id", "ana-sep", "--json"]).stdout)
    assert again["duplicate"] and again["skipped"] == ["6.NS.2"]
    bad = run(app, [*db, "pretest", "ana", "ns2-pre-1=maybe"])
    assert bad.exit_code != 0 and "answer 'maybe'" in bad.output
    assert run(app, [*db, "pretest", "ana", "ns2-pre-1"]).exit_code != 0
