"""Hostile requests to the Teams endpoint over HTTP on loopback: malformed bodies and objects that are no
activity get 400 (never 500 or a traceback), the server publishes no API docs, and what people typed reaches
Teams as text, never as a link."""

from __future__ import annotations

import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from teams_helpers import RunningTeams, dm, running_teams

from bots.core.messages import ChatUser, Message
from bots.teams.app import MAX_BODY, MESSAGES_PATH

HELP_NOTE = "I'm stuck [Reset password](https://evil.example/reset) **now**\n- please"


class Echo:
    """A conversation that shows back what it was told, as a title and a line of the card."""

    def __init__(self) -> None:
        self.heard: list[str] = []

    def reply(self, user: ChatUser, text: str) -> list[Message]:
        self.heard.append(text)
        return [Message(text=f"Help note: {text}", title=f"From {user.name}", lines=(text,))]

    def action(self, user: ChatUser, action: str, value: str) -> list[Message]:
        return []

    def command(self, user: ChatUser, name: str, args: str) -> list[Message]:
        return []

    def home(self, user: ChatUser) -> list[Message]:
        return []


@pytest.fixture(scope="module")
def teams() -> Iterator[tuple[RunningTeams, Echo]]:
    echo = Echo()
    with running_teams(echo) as running:
        yield running, echo


def request(url: str, data: bytes | None = None, method: str = "POST") -> int:
    sent = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(sent, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'"text"', b"", b"\xff\xfe", b"{}", b'{"type": "message"}',
                                  b'{"type": 5, "from": []}'])
def test_a_malformed_body_gets_400_and_no_traceback(teams, caplog, body):
    running, echo = teams
    heard = len(echo.heard)
    with caplog.at_level(logging.ERROR):
        assert request(running.server.url, body) == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(echo.heard) == heard


def test_a_body_over_one_mebibyte_gets_413_before_it_is_sent(teams):
    running, _ = teams
    head = (f"POST {MESSAGES_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {64 * MAX_BODY}\r\n\r\n")  # only the headers: no 64 MiB to wait for
    with socket.create_connection(("127.0.0.1", running.server.port), timeout=10) as sock:
        sock.sendall(head.encode())
        assert b" 413 " in sock.recv(65536).split(b"\r\n", 1)[0]


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"])
def test_the_server_publishes_no_api_documentation(teams, path):
    running, _ = teams
    base = running.server.url.rsplit("/api/", 1)[0]
    assert request(base + path, method="GET") == 404


def test_a_help_note_with_a_markdown_link_reaches_the_teacher_as_text(teams):
    running, echo = teams
    before = len(running.connector.sent)
    assert running.send(dm(running.connector, HELP_NOTE, name="Zoe [x](https://evil.example)")) == 200
    [sent] = running.connector.wait_for(before + 1)[before:]
    assert echo.heard[-1] == HELP_NOTE  # the core gets exactly what was typed
    assert sent.activity["textFormat"] == "plain" and sent.text == f"Help note: {HELP_NOTE}"
    [card] = sent.cards
    title, line = (block["text"] for block in card["body"])
    assert title == r"From Zoe \[x\]\(https://evil.example\)"
    assert line == "I'm stuck \\[Reset password\\]\\(https://evil.example/reset\\) \\*\\*now\\*\\*\n\\- please"
