"""The real conversation core behind the Slack app, end to end over HTTP on loopback: a student found by
their roster e-mail asks how they are doing and sets a goal; someone Slack knows but the roster does not
gets only "not linked"; a forged request reaches nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from slack_helpers import RunningSlack, dm_event, event_body, post, signed_headers, start_slack

from adaptive.demo import sample_course
from bots.core.conversation import TutorConversation


@pytest.fixture
def school_on_slack(tutor) -> Iterator[RunningSlack]:
    tutor.import_curriculum(sample_course())
    tutor.add_student("ana", "Ana Diaz", email="Ana@School.Example")  # Slack's profile says ana@school.example
    tutor.record_response("ana", item="ns2-practice-a", correct=True)
    tutor.add_teacher("t-rivera", "Ms. Rivera")
    tutor.add_section("p3", "Math 6, period 3", teacher="t-rivera")
    tutor.enroll("p3", ["ana"])
    tutor.link_chat_user("slack", "U0TEACHER", teacher="t-rivera")
    conversation = TutorConversation(tutor)
    conversation.model.classify("hi")  # trained before the first event, whose answer is awaited for 5 s at most
    running = start_slack(conversation)
    yield running
    running.server.shutdown()
    running.stand_in.stop()


def test_a_student_found_by_roster_email_gets_her_progress_and_sets_a_goal(school_on_slack: RunningSlack):
    slack = school_on_slack
    assert slack.send_event(dm_event("how am I doing?"), event_id="Ev1").status == 200
    [progress] = slack.stand_in.wait_for("chat.postMessage")
    assert progress.args["channel"] == "D0DM"
    assert "Progress: Ana Diaz" in progress.args["text"] and "6.NS.2" in progress.args["text"]
    slack.send_event(dm_event("I want to master 6.NS.2 by Friday"), event_id="Ev2")
    goal = slack.stand_in.wait_for("chat.postMessage", 2)[-1]
    assert goal.args["text"].startswith("Goal set") and "6.NS.2" in goal.args["text"]


def test_her_reading_over_slack_is_in_the_access_log_as_her_slack_account(school_on_slack: RunningSlack, tutor):
    slack = school_on_slack
    slack.send_event(dm_event("how am I doing?"), event_id="Ev9")
    slack.stand_in.wait_for("chat.postMessage")
    read = {(e.actor, e.student, e.what) for e in tutor.audit_entries()}
    assert ("slack:U0STUDENT (student ana)", "ana", "mastery") in read


def test_a_slack_user_the_roster_does_not_know_is_told_they_are_not_linked(school_on_slack: RunningSlack):
    slack = school_on_slack
    slack.send_event(dm_event("how am I doing?", user="U0STRANGER", channel="D0X"), event_id="Ev3")
    [answer] = slack.stand_in.wait_for("chat.postMessage")
    assert "not linked" in answer.args["text"].lower() and "Ana" not in answer.args["text"]


def test_a_forged_request_reaches_neither_the_core_nor_slack(school_on_slack: RunningSlack):
    slack = school_on_slack
    body = event_body(dm_event("how am I doing?"), "Ev4")
    assert post(slack.url, body, signed_headers(body, secret="not-the-secret")).status == 401
    assert slack.stand_in.of("chat.postMessage") == []


def test_a_teacher_reading_a_students_progress_gets_teacher_buttons_only(school_on_slack: RunningSlack):
    slack = school_on_slack
    slack.send_event(dm_event("/progress ana", user="U0TEACHER", channel="D0T"), event_id="Ev5")
    [progress] = slack.stand_in.wait_for("chat.postMessage")
    assert "Progress: Ana Diaz" in progress.args["text"]
    blocks = progress.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    actions = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["tutor:checkins:0", "tutor:groups:1"]  # no "Set a goal", no "What next?"
