"""The Teams app over a recording conversation: who the core is told is speaking, typed text versus card
buttons, personal chats only, and requests without a Bot Framework token refused unless anonymous mode was
asked for by name."""

from __future__ import annotations

import json
import urllib.request

import pytest
from teams_helpers import StandInConnector, dm, free_port, running_teams

from bots.core.messages import Bar, Button, ChatUser, Message
from bots.teams.app import build_app
from bots.teams.server import TeamsServer


class Recording:
    """A conversation that records every call and answers with one card-worthy message."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ChatUser, str]] = []

    def reply(self, user: ChatUser, text: str) -> list[Message]:
        self.calls.append(("reply", user, text))
        return [Message(text=f"heard {text}", title="Heard", bars=(Bar("Fractions", 0.5, "familiar"),),
                        buttons=(Button("Again", "again", "1"),))]  # fmt: skip

    def action(self, user: ChatUser, action: str, value: str) -> list[Message]:
        self.calls.append(("action", user, f"{action}={value}"))
        return [Message(text="done"), Message(text="and more")]

    def command(self, user: ChatUser, name: str, args: str) -> list[Message]:
        raise AssertionError("Teams has no slash commands of its own: typed commands arrive as text")

    def home(self, user: ChatUser) -> list[Message]:
        raise AssertionError("not used on Teams")


def test_a_typed_message_reaches_reply_as_the_senders_entra_id_and_comes_back_as_text_and_card():
    conversation = Recording()
    with running_teams(conversation) as teams:
        teams.connector.members["29:ana-bf-id"] = {"id": "29:ana-bf-id", "email": "ana@school.example"}
        assert teams.send(dm(teams.connector, "  how am I doing?  ")) == 200
        [answer] = teams.connector.wait_for(1)
    assert conversation.calls == [("reply", ChatUser("teams", "aad-ana", "ana@school.example", "Ana Diaz"),
                                   "how am I doing?")]  # fmt: skip
    assert answer.text == "heard how am I doing?"
    [card] = answer.cards
    assert card["actions"][0]["data"] == {"action": "again", "value": "1"}


def test_without_an_entra_id_the_bot_framework_id_is_the_user_and_the_email_is_asked_once():
    conversation = Recording()
    with running_teams(conversation) as teams:
        teams.send(dm(teams.connector, "hi", aad=None))
        teams.send(dm(teams.connector, "hi again", aad=None))
        teams.connector.wait_for(2)
        lookups = [path for method, path in teams.connector.other_requests if "/members/" in path]
    assert [user.user_id for _, user, _ in conversation.calls] == ["29:ana-bf-id", "29:ana-bf-id"]
    assert [user.email for _, user, _ in conversation.calls] == [None, None]  # the connector knows no e-mail
    assert len(lookups) == 2  # a failed lookup is asked again next time


def test_a_card_button_reaches_action_and_each_message_is_one_activity_plain_ones_without_a_card():
    conversation = Recording()
    with running_teams(conversation) as teams:
        teams.send(dm(teams.connector, value={"action": "goal", "value": "6.NS.2"}))
        done, more = teams.connector.wait_for(2)
    assert [(kind, text) for kind, _, text in conversation.calls] == [("action", "goal=6.NS.2")]
    assert (done.text, done.cards, more.text, more.cards) == ("done", [], "and more", [])


def test_group_chats_and_channels_are_not_answered():
    conversation = Recording()
    with running_teams(conversation) as teams:
        assert teams.send(dm(teams.connector, "how is everyone?", conversation_type="groupChat")) == 200
        assert teams.send(dm(teams.connector, "progress?", conversation_type="channel")) == 200
        teams.send(dm(teams.connector, "and me?"))
        [only] = teams.connector.wait_for(1)
    assert only.text == "heard and me?" and [text for _, _, text in conversation.calls] == ["and me?"]


def test_building_the_app_without_credentials_or_the_local_testing_flag_is_refused():
    with pytest.raises(ValueError, match="TEAMS_APP_ID and TEAMS_APP_PASSWORD"):
        build_app(Recording(), client_id=None, client_secret=None)


def test_a_request_without_a_bot_framework_token_is_refused_even_with_the_sdks_env_variable(monkeypatch):
    monkeypatch.setenv("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "true")
    conversation = Recording()
    connector = StandInConnector().start()
    app = build_app(conversation, client_id="app-id", client_secret="app-secret", tenants=("tenant-1",),
                    port=free_port())
    server = TeamsServer(app).start()
    try:
        request = urllib.request.Request(server.url, data=json.dumps(dm(connector, "hi")).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401
    finally:
        server.shutdown()
        connector.stop()
    assert conversation.calls == [] and connector.sent == []


def test_the_server_listens_on_loopback_only():
    with running_teams(Recording()) as teams:
        assert teams.server.app.server.adapter._server.config.host == "127.0.0.1"
        assert teams.server.url.startswith("http://127.0.0.1:")


def test_when_the_tutor_fails_the_person_is_told_so_not_left_waiting(caplog):
    conversation = Recording()

    def broken(user, text):
        raise RuntimeError("the database is down")

    conversation.reply = broken
    with running_teams(conversation) as teams:
        assert teams.send(dm(teams.connector, "how am I doing?")) == 200
        [answer] = teams.connector.wait_for(1)
    assert answer.text.startswith("Something went wrong\nSorry,") and "database" not in answer.text
    assert "the database is down" in caplog.text
