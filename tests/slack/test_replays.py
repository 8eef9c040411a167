"""A Slack request is acted on once, however often it arrives: a signed slash command replayed within its
5-minute signature window, an event retried at a second server sharing the database, or retried at a server
restarted in between. Every copy still gets HTTP 200, so Slack stops retrying. End to end over HTTP on
loopback, with the real conversation core and correctly signed requests."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from slack_helpers import (
    RunningSlack,
    command_body,
    dm_event,
    event_body,
    post,
    signed_headers,
    start_slack,
)

from adaptive import Tutor
from adaptive.demo import sample_course
from bots.core.conversation import TutorConversation
from bots.core.deliveries import in_database

GOAL = "master 6.NS.2 by Friday"
FORM = "application/x-www-form-urlencoded"
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


@pytest.fixture
def school(database_url) -> str:
    with Tutor(database_url) as tutor:
        tutor.import_curriculum(sample_course())
        tutor.add_student("ana", "Ana Diaz", email="ana@school.example")  # Slack's profile gives this e-mail
        tutor.record_response("ana", item="ns2-practice-a", correct=True)
    return database_url


@contextmanager
def slack_server(url: str) -> Iterator[tuple[RunningSlack, Tutor]]:
    """One stateless server of the school: its own tutor (as its own process would have) on the shared
    database, answering before the HTTP response so a test can count what it did as soon as it returns."""
    tutor = Tutor(url)
    running = start_slack(TutorConversation(tutor), process_before_response=True,
                          first_time=in_database(tutor, "slack"))  # fmt: skip
    try:
        yield running, tutor
    finally:
        running.server.shutdown()
        running.stand_in.stop()
        tutor.close()


def posted(*servers: RunningSlack) -> list[str]:
    return [call.args["text"] for server in servers for call in server.stand_in.of("chat.postMessage")]


def test_a_signed_goal_command_replayed_three_times_makes_one_goal(school):
    body = command_body(GOAL)
    headers = signed_headers(body, content_type=FORM)
    with slack_server(school) as (slack, tutor):
        answers = [post(slack.url, body, headers).status for _ in range(4)]
        assert answers == [200, 200, 200, 200]
        assert [g.competency for g in tutor.goals("ana")] == ["6.NS.2"]
        assert len(posted(slack)) == 1


def test_the_same_command_typed_again_is_a_new_request_and_acts(school):
    body = command_body(GOAL)
    with slack_server(school) as (slack, tutor):
        now = int(time.time())
        for ts in (now - 1, now):  # a new timestamp, so a new signature: a request Slack sent again
            assert post(slack.url, body, signed_headers(body, content_type=FORM, timestamp=ts)).status == 200
        assert len(tutor.goals("ana")) == 2


def test_an_event_delivered_to_one_server_and_retried_to_another_acts_once(school):
    body = event_body(dm_event("how am I doing?"), event_id="EvTwoServers")
    with slack_server(school) as (a, _), slack_server(school) as (b, _):
        assert post(a.url, body, signed_headers(body)).status == 200
        assert post(b.url, body, {**signed_headers(body), **RETRY}).status == 200
        assert len(posted(a)) == 1 and posted(b) == []
        assert b.stand_in.actions() == []  # the second server changed nothing in Slack


def test_an_event_retried_after_a_restart_acts_once(school):
    body = event_body(dm_event("how am I doing?"), event_id="EvRestart")
    with slack_server(school) as (before, _):
        assert post(before.url, body, signed_headers(body)).status == 200
        assert len(posted(before)) == 1
    with slack_server(school) as (after, _):  # a new process: nothing kept in memory
        assert post(after.url, body, {**signed_headers(body), **RETRY}).status == 200
        assert after.stand_in.actions() == []
        body2 = event_body(dm_event("how am I doing?"), event_id="EvNext")
        assert post(after.url, body2, signed_headers(body2)).status == 200
        assert len(posted(after)) == 1  # a new event is still answered


def test_a_replay_is_logged_at_debug_without_the_request(school, caplog):
    body = command_body("master 6.NS.2 before the holidays")
    headers = signed_headers(body, content_type=FORM)
    with slack_server(school) as (slack, _), caplog.at_level(logging.DEBUG):
        post(slack.url, body, headers)
        caplog.clear()
        post(slack.url, body, {**headers, **RETRY})
    said = [r for r in caplog.records if r.name == "bots.slack.dedupe"]
    assert [(r.levelno, r.getMessage()) for r in said] == [
        (logging.DEBUG, "acknowledged a repeated Slack request without acting on it (retry 1)")]
    assert "holidays" not in caplog.text and headers["X-Slack-Signature"] not in caplog.text


READ_ONLY_FLAGS = {  # the help a student asks for is a flag carrying their words
    "sqlite": "CREATE TRIGGER read_only BEFORE INSERT ON flag BEGIN SELECT RAISE(ABORT, 'flags are read-only'); END",
    "postgresql": "ALTER TABLE flag ADD CONSTRAINT read_only CHECK (false) NOT VALID",
}


def test_a_failing_write_is_logged_without_the_students_words(school, caplog):
    from tests.conftest import sql

    sql(school, READ_ONLY_FLAGS[school.split(":")[0].split("+")[0]])  # asking for help fails from now on
    body = event_body(dm_event("/stuck on 6.NS.2 because Biscuit my dog ate my notes"), event_id="EvStuck")
    with slack_server(school) as (slack, _), caplog.at_level(logging.DEBUG):
        assert post(slack.url, body, signed_headers(body)).status == 200
    [sorry] = posted(slack)
    assert sorry.startswith("Something went wrong")
    assert len([r for r in caplog.records if r.exc_info]) == 1
    assert "flag" in caplog.text  # the failed statement is logged for the admin ...
    assert "Biscuit" not in caplog.text  # ... without its parameters (the student's words) or the failing row
