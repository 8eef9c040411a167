"""End to end over Socket Mode: the real Bolt app connects out to a stand-in Socket Mode server on 127.0.0.1,
acknowledges each envelope and answers through the stand-in Web API, with the same listeners as HTTP mode."""

from __future__ import annotations

import time

import pytest
from slack_helpers import SECRET, TOKEN, FakeConversation, dm_event, event_body, post, signed_headers
from socket_helpers import (
    TICKET_PATH,
    SocketSlack,
    events_api,
    interactive,
    slash_command,
    start_socket_stand_ins,
)

from bots.slack.app import build_app
from bots.slack.render import action_id
from bots.slack.server import serve
from bots.slack.socket_mode import SlackSocket, connect

QUIET = 0.3  # how long to watch for a call that must not come (listeners answer on worker threads)


def test_the_bot_opens_the_connection_with_the_app_token_at_the_url_slack_hands_out(
    slack_socket: SocketSlack,
) -> None:
    [opened] = slack_socket.stand_in.of("apps.connections.open")
    assert opened.headers["Authorization"] == "Bearer xapp-1-test-app-token"  # not the bot token
    assert slack_socket.socket.paths == [TICKET_PATH]
    assert slack_socket.connection.url == slack_socket.socket.url.split("?")[0]  # no ticket shown
    assert slack_socket.connection.connected


def test_a_direct_message_envelope_is_acked_and_answered_in_the_dm(slack_socket: SocketSlack) -> None:
    envelope = events_api(dm_event("what next?"))
    assert slack_socket.send(envelope) == {"envelope_id": envelope["envelope_id"]}
    [posted] = slack_socket.stand_in.wait_for("chat.postMessage")
    assert (posted.args["channel"], posted.args["text"]) == ("D0DM", "You said: what next?")
    assert posted.headers["Authorization"] == f"Bearer {TOKEN}"
    assert [(kind, args) for kind, _, args in slack_socket.conversation.calls] == [("reply", ("what next?",))]


def test_a_goal_command_envelope_is_acked_and_answered_in_the_apps_dm(slack_socket: SocketSlack) -> None:
    envelope = slash_command("master fractions by Friday")
    assert slack_socket.send(envelope) == {"envelope_id": envelope["envelope_id"]}
    [posted] = slack_socket.stand_in.wait_for("chat.postMessage")
    assert posted.args["channel"] == "U0STUDENT"
    assert posted.args["text"] == "Goal set: master fractions by Friday"


def test_a_button_envelope_is_acked_and_goes_back_to_the_core(slack_socket: SocketSlack) -> None:
    envelope = interactive(action_id("next_item", 0), "fractions")
    assert slack_socket.send(envelope) == {"envelope_id": envelope["envelope_id"]}
    [posted] = slack_socket.stand_in.wait_for("chat.postMessage")
    assert posted.args["channel"] == "D0DM"
    assert slack_socket.conversation.calls[0][0::2] == ("action", ("next_item", "fractions"))


def test_opening_the_home_tab_publishes_the_dashboard(slack_socket: SocketSlack) -> None:
    event = {"type": "app_home_opened", "user": "U0STUDENT", "channel": "D0DM", "tab": "home"}
    slack_socket.send(events_api(event))
    [published] = slack_socket.stand_in.wait_for("views.publish")
    assert published.args["user_id"] == "U0STUDENT"


def test_a_retried_envelope_of_a_handled_event_is_acked_and_not_answered_again(slack_socket: SocketSlack) -> None:
    slack_socket.send(events_api(dm_event("once"), event_id="EvRetry"))
    slack_socket.stand_in.wait_for("chat.postMessage")
    for n in (1, 2):  # Slack's retries: a new envelope, the same event id, retry_attempt counting up
        retry = events_api(dm_event("once"), event_id="EvRetry", retry_attempt=n, retry_reason="timeout")
        assert slack_socket.send(retry) == {"envelope_id": retry["envelope_id"]}
    slack_socket.send(events_api(dm_event("twice"), event_id="EvOther"))
    slack_socket.stand_in.wait_for("chat.postMessage", 2)
    time.sleep(QUIET)
    assert [args for _, _, args in slack_socket.conversation.calls] == [("once",), ("twice",)]
    assert len(slack_socket.stand_in.of("chat.postMessage")) == 2


def test_when_slack_refreshes_the_connection_the_bot_reconnects_and_answers_on_the_new_one(
    slack_socket: SocketSlack,
) -> None:
    slack_socket.socket.refresh()
    slack_socket.socket.wait_connected(count=2)
    assert len(slack_socket.stand_in.of("apps.connections.open")) == 2  # a fresh URL for each connection
    slack_socket.send(events_api(dm_event("still there?")))
    [posted] = slack_socket.stand_in.wait_for("chat.postMessage")
    assert posted.args["text"] == "You said: still there?"


def test_shutdown_closes_the_connection_and_does_not_reconnect(slack_socket: SocketSlack) -> None:
    slack_socket.connection.shutdown()
    slack_socket.socket.wait_closed()
    time.sleep(QUIET)
    assert not slack_socket.connection.connected
    assert len(slack_socket.socket.paths) == 1
    assert len(slack_socket.stand_in.of("apps.connections.open")) == 1


def test_an_app_token_slack_refuses_stops_the_start_with_slacks_reason() -> None:
    stand_in, socket = start_socket_stand_ins()
    try:
        app = build_app(FakeConversation(), signing_secret=None, token=TOKEN, api_url=stand_in.url)
        with pytest.raises(ConnectionError, match="refused the app-level token: invalid_auth"):
            connect(app, "xapp-1-revoked")
        with pytest.raises(ConnectionError, match="not_allowed_token_type"):
            connect(app, TOKEN)  # the bot token instead of the app-level one
        assert socket.paths == []
    finally:
        socket.stop()
        stand_in.stop()


def test_a_websocket_that_does_not_open_stops_the_start() -> None:
    stand_in, socket = start_socket_stand_ins()
    socket.stop()  # apps.connections.open still hands out its URL; nothing answers there
    try:
        app = build_app(FakeConversation(), signing_secret=None, token=TOKEN, api_url=stand_in.url)
        with pytest.raises(ConnectionError, match=r"cannot open the WebSocket ws://127\.0\.0\.1:\d+/link/$"):
            connect(app, "xapp-1-test-app-token")
    finally:
        stand_in.stop()


def test_an_app_built_for_socket_mode_answers_every_http_request_401() -> None:
    conversation = FakeConversation()
    app = build_app(conversation, signing_secret=None, token=TOKEN, api_url="http://127.0.0.1:9/api/")
    server = serve(app, "127.0.0.1", 0)
    try:
        body = event_body(dm_event("forged"))
        assert post(server.url, body, {"Content-Type": "application/json"}).status == 401
        assert post(server.url, body, signed_headers(body, secret=SECRET)).status == 401
    finally:
        server.shutdown()
    assert conversation.calls == []


def test_stopping_survives_the_sdk_racing_itself_to_close_the_socket():
    class RacyHandler:  # slack_sdk's disconnect fails on None when its own thread closed the socket first
        closes = 0

        def close(self) -> None:
            self.closes += 1
            if self.closes == 1:
                raise AttributeError("'NoneType' object has no attribute 'close'")

    handler = RacyHandler()
    socket = SlackSocket(handler)  # type: ignore[arg-type]
    socket.shutdown()
    assert handler.closes == 2  # closed once more, so the SDK's threads stop too
    socket.serve_forever()  # returns at once: the server counts as stopped
