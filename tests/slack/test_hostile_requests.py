"""Hostile requests to the Slack endpoint over HTTP on loopback: big bodies are refused unread, the signature is
checked before anything is parsed, malformed bodies and timestamps get 400/401 (never 500 or a traceback),
silent senders are dropped, and what people typed reaches Slack as text, never as a mention or a link."""

from __future__ import annotations

import json
import logging
import socket
import urllib.parse
from collections.abc import Iterator

import pytest
from slack_helpers import (
    SECRET,
    TOKEN,
    FakeConversation,
    RunningSlack,
    StandIn,
    dm_event,
    event_body,
    post,
    signed_headers,
)

from bots.slack.app import build_app
from bots.slack.server import MAX_BODY, serve

READ_TIMEOUT = 0.3  # short, so the slow-sender test is quick


@pytest.fixture(scope="module")
def slack() -> Iterator[RunningSlack]:
    stand_in = StandIn(emails={"U0STUDENT": "ana@school.example"}).start()
    conversation = FakeConversation()
    app = build_app(conversation, signing_secret=SECRET, token=TOKEN, api_url=stand_in.url)
    server = serve(app, "127.0.0.1", 0, read_timeout=READ_TIMEOUT)
    yield RunningSlack(server, stand_in, conversation)
    server.shutdown()
    stand_in.stop()


def raw_exchange(slack: RunningSlack, request: bytes) -> bytes:
    """Send ``request`` bytes as they are and read until the server closes the connection."""
    with socket.create_connection((slack.server.host, slack.server.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def status_line(answer: bytes) -> str:
    return answer.split(b"\r\n", 1)[0].decode()


def test_a_body_over_one_mebibyte_is_refused_with_413_before_it_is_sent(slack):
    body = "x"  # only the headers go out: the server must answer without waiting for 64 MiB
    headers = signed_headers(body)
    head = (f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {64 * MAX_BODY}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n")  # fmt: skip
    assert " 413 " in status_line(raw_exchange(slack, head.encode()))
    assert slack.conversation.calls == []


def test_a_malformed_body_signed_with_another_secret_gets_401_not_400(slack):
    body = "{not json"
    assert post(slack.url, body, signed_headers(body, secret="not-the-secret")).status == 401


@pytest.mark.parametrize("body, content_type", [
    ("{not json", "application/json"),
    ("[]", "application/json"),
    ('"just a string"', "application/json"),
    ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    ("payload=%5B%5D", "application/x-www-form-urlencoded"),
    ('{"type": "event_callback", "event": "x"}', "application/json"),
    ('{"type": "event_callback", "event_id": [1], "event": {}}', "application/json"),
    ('{"type": "view_submission", "view": "x"}', "application/json"),
    ("payload=" + urllib.parse.quote('{"type": "block_actions", "actions": "x"}'), "application/x-www-form-urlencoded"),
    ("payload=" + urllib.parse.quote('{"type": "block_actions", "actions": [{"action_id": 5}]}'),
     "application/x-www-form-urlencoded"),
    ("command=%2Fgoal&text=fractions", "application/x-www-form-urlencoded"),
])  # fmt: skip
def test_a_correctly_signed_malformed_body_gets_400_and_no_traceback(slack, caplog, body, content_type):
    with caplog.at_level(logging.ERROR):
        answer = post(slack.url, body, signed_headers(body, content_type=content_type))
    assert answer.status == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert slack.conversation.calls == []


@pytest.mark.parametrize("timestamp", ["soon", "", "1e9", "-5", "12.5"])
def test_a_missing_or_non_numeric_timestamp_gets_401(slack, caplog, timestamp):
    body = event_body(dm_event("hello"))
    headers = {**signed_headers(body), "X-Slack-Request-Timestamp": timestamp}
    with caplog.at_level(logging.ERROR):
        assert post(slack.url, body, headers).status == 401
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_sender_that_stops_mid_body_is_dropped_after_the_read_timeout(slack):
    body = event_body(dm_event("hello"))
    headers = signed_headers(body)
    head = (f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n")  # fmt: skip
    answer = raw_exchange(slack, (head + body[:10]).encode())
    assert " 408 " in status_line(answer)
    assert raw_exchange(slack, b"POST /slack/ev") == b""  # a request line never finished: closed, no answer


def test_what_a_student_types_reaches_slack_as_text_not_as_a_mention_or_a_link(slack):
    typed = "<!channel> see <https://evil.example|your grades> & <@U0TEACHER>"
    assert slack.send_event(dm_event(typed), event_id="EvEscape").status == 200
    [posted] = slack.stand_in.wait_for("chat.postMessage")
    escaped = "&lt;!channel&gt; see &lt;https://evil.example|your grades&gt; &amp; &lt;@U0TEACHER&gt;"
    assert posted.args["text"] == f"You said: {escaped}"
    blocks = posted.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert blocks[0]["text"]["text"] == f"You said: {escaped}"
