"""Socket Mode test fixtures: a stand-in Socket Mode server on 127.0.0.1, envelopes, the bot connected to it.

The stand-in (websockets' threaded server) greets each connection with ``hello`` as Slack does, sends the
envelopes a test gives it and records every message the bot sends back (acks: ``{"envelope_id": ...}``). The
stand-in Web API hands out its ``ws://`` URL from ``apps.connections.open``: slack_sdk's built-in client
speaks plain TCP to any port but 443, so no TLS is involved.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from slack_helpers import (
    APP_TOKEN,
    TOKEN,
    FakeConversation,
    StandIn,
    action_payload,
    command_payload,
    event_body,
)
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from bots.slack.app import build_app
from bots.slack.socket_mode import SlackSocket, connect

TICKET_PATH = "/link/?ticket=test-ticket"
HELLO = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0TUTOR"},
         "debug_info": {"host": "applink-stand-in", "approximate_connection_time": 18060}}  # fmt: skip


# --- envelopes, as Slack wraps each request in Socket Mode --------------------------------------------------------

def events_api(event: dict[str, Any], event_id: str = "Ev0001", *, retry_attempt: int = 0,
               retry_reason: str = "") -> dict[str, Any]:  # fmt: skip
    return {"envelope_id": str(uuid.uuid4()), "type": "events_api", "accepts_response_payload": False,
            "retry_attempt": retry_attempt, "retry_reason": retry_reason,
            "payload": json.loads(event_body(event, event_id))}  # fmt: skip


def slash_command(text: str, command: str = "/goal") -> dict[str, Any]:
    return {"envelope_id": str(uuid.uuid4()), "type": "slash_commands", "accepts_response_payload": True,
            "payload": command_payload(text, command)}  # fmt: skip


def interactive(action_id: str, value: str, **kwargs: Any) -> dict[str, Any]:
    return {"envelope_id": str(uuid.uuid4()), "type": "interactive", "accepts_response_payload": False,
            "payload": action_payload(action_id, value, **kwargs)}  # fmt: skip


# --- the stand-in Socket Mode server -------------------------------------------------------------------------------

@dataclass
class SocketStandIn:
    """Slack's end of Socket Mode on 127.0.0.1: records each connection's path and every message received."""

    paths: list[str] = field(default_factory=list)  # request path (with the ticket) of each connection, in order
    received: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    _open: list[ServerConnection] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _server: Server | None = None

    def start(self) -> SocketStandIn:
        self._server = serve(self._serve, "127.0.0.1", 0, compression=None, ping_interval=None)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}{TICKET_PATH}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()

    def _serve(self, connection: ServerConnection) -> None:
        with self._changed:
            self.paths.append(connection.request.path)
            self._open.append(connection)
            self._changed.notify_all()
        try:
            connection.send(json.dumps(HELLO))
            for message in connection:
                with self._changed:
                    self.received.append(json.loads(message))
                    self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self._open.remove(connection)
                self._changed.notify_all()

    def _wait(self, done: Any, what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not done():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{what} within {timeout}s; received {self.received}")
                self._changed.wait(left)

    def wait_connected(self, timeout: float = 5.0, *, count: int = 1) -> None:
        """Until a connection is open and ``count`` connections were made in all."""
        self._wait(lambda: self._open and len(self.paths) >= count, f"no open connection of {count}", timeout)

    def wait_closed(self, timeout: float = 5.0) -> None:
        self._wait(lambda: not self._open, "a connection still open", timeout)

    def send(self, envelope: dict[str, Any]) -> str:
        """Send ``envelope`` on the newest open connection; its envelope id."""
        self.wait_connected()
        with self._changed:
            connection = self._open[-1]
        connection.send(json.dumps(envelope))
        return envelope["envelope_id"]

    def refresh(self) -> None:
        """Ask the bot to reconnect, as Slack does before it retires a connection."""
        with self._changed:
            connection = self._open[-1]
        connection.send(json.dumps({"type": "disconnect", "reason": "refresh_requested",
                                    "debug_info": {"host": "applink-stand-in"}}))  # fmt: skip

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The bot's acknowledgement of ``envelope_id``, once it arrives."""
        self._wait(lambda: envelope_id in self.acked(), f"no ack of {envelope_id}", timeout)
        return next(m for m in self.received if m.get("envelope_id") == envelope_id)

    def acked(self) -> list[str]:
        with self._changed:
            return [m["envelope_id"] for m in self.received if "envelope_id" in m]


# --- the bot, connected -------------------------------------------------------------------------------------------

@dataclass
class SocketSlack:
    """The Bolt app connected over Socket Mode to the stand-ins, with its scripted conversation."""

    connection: SlackSocket
    stand_in: StandIn
    socket: SocketStandIn
    conversation: FakeConversation

    def send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send ``envelope`` and return the bot's ack of it."""
        return self.socket.wait_ack(self.socket.send(envelope))

    def stop(self) -> None:
        self.socket.stop()  # first: the client's blocking read ends at once instead of after its 3 s timeout
        self.connection.shutdown()
        self.stand_in.stop()


def start_socket_stand_ins() -> tuple[StandIn, SocketStandIn]:
    """A stand-in Web API whose ``apps.connections.open`` points at a running stand-in Socket Mode server."""
    socket = SocketStandIn().start()
    stand_in = StandIn(emails={"U0STUDENT": "ana@school.example"}, socket_url=socket.url).start()
    return stand_in, socket


def start_socket_slack(conversation: FakeConversation | None = None) -> SocketSlack:
    stand_in, socket = start_socket_stand_ins()
    conversation = conversation or FakeConversation()
    app = build_app(conversation, signing_secret=None, token=TOKEN, api_url=stand_in.url)
    running = SocketSlack(connect(app, APP_TOKEN), stand_in, socket, conversation)
    socket.wait_connected()
    return running


@pytest.fixture
def slack_socket() -> Iterator[SocketSlack]:
    running = start_socket_slack()
    yield running
    running.stop()
