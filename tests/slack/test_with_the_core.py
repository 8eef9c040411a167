"""The real conversation core behind the Slack app, end to end over HTTP on loopback: a student found by
their roster e-mail asks how they are doing and sets a goal; someone Slack knows but the roster does not
gets only "not linked"; a forged request reaches nothing."""

from __future__ import annotations

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
    running = start_slack(TutorConversation(tutor))
    yield running
    running.server.shutdown()
    running.stand_in.stop()


def test_a_student_found_by_roster_email_gets_her_progress_and_sets_a_goal(school_on_slack: RunningSlack):
    slack = school_on_slack
    assert slack.send_event(dm_event("how am I doing?"), event_id="Ev1").status == 200
    [progress] = slack.stand_in.wait_for("chat.postMessage")
    assert progress.args["channel"] == "D0DM"
    assert "Progress: Ana Diaz" in progress.args["text"] and "6.NS.2" in progress.args["text"]
    slack.send_event(dm_event("I want to master 6.NS.2 by 12/5"), event_id="Ev2")
    goal = slack.stand_in.wait_for("chat.postMessage", 2)[-1]
    assert goal.args["text"].startswith("Goal set") and "6.NS.2" in goal.args["text"]


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
