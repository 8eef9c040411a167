"""A stand-in Teams connector on loopback, the Teams app running in front of it, and Bot Framework activities.

The connector records what the app sends (``POST /v3/conversations/{id}/activities``) and answers it the
way the Bot Framework service does; the app is built exactly as ``adaptive serve teams`` builds it, in the
anonymous mode kept for local testing (there is no Bot Framework token service on loopback).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bots.core.messages import Conversation
from bots.teams.app import build_app
from bots.teams.server import TeamsServer

MEMBER = re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/members/(?P<member>[^/?]+)$")
ACTIVITIES = re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/activities(?:/[^/]+)?$")
BOT_ID = "28:bot-app-id"
JWT_SHAPED = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.c2ln"  # the SDK decodes the token it is given


@dataclass
class Sent:
    conversation_id: str
    activity: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)  # when the connector received it (for benchmarks)

    @property
    def text(self) -> str:
        return self.activity.get("text") or ""

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [a["content"] for a in self.activity.get("attachments") or []
                if a.get("contentType") == "application/vnd.microsoft.card.adaptive"]  # fmt: skip


@dataclass
class StandInConnector:
    """Records every activity the app sends; :meth:`wait_for` waits for the app's answers."""

    sent: list[Sent] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # Bot Framework id -> TeamsChannelAccount
    created: list[dict[str, Any]] = field(default_factory=list)  # POST /v3/conversations bodies
    refuse: set[str] = field(default_factory=set)  # members Teams will not open a chat with (app not installed)
    other_requests: list[tuple[str, str]] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def start(self) -> StandInConnector:
        connector = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Quiet."""

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if self.path == "/v3/conversations":
                    connector.created.append(body)
                    [member] = body["members"]
                    if member["id"] in connector.refuse:
                        self._answer(403, {"error": {"code": "Forbidden", "message": "app not installed"}})
                        return
                    self._answer(201, {"id": f"a:chat-{member['id']}"})
                    return
                found = ACTIVITIES.match(self.path)
                if found is None:
                    connector.other_requests.append(("POST", self.path))
                    self._answer(404, {"error": {"code": "NotFound", "message": self.path}})
                    return
                connector.sent.append(Sent(urllib.request.unquote(found["conversation"]), body))
                self._answer(200, {"id": f"activity-{len(connector.sent)}"})

            def do_GET(self) -> None:  # noqa: N802
                connector.other_requests.append(("GET", self.path))
                found = MEMBER.match(self.path)
                member = connector.members.get(urllib.request.unquote(found["member"])) if found else None
                if member is not None:
                    self._answer(200, member)
                    return
                self._answer(404, {"error": {"code": "NotFound", "message": self.path}})

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, name="teams-connector", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def wait_for(self, n: int = 1, timeout: float = 10.0) -> list[Sent]:
        deadline = time.monotonic() + timeout
        while len(self.sent) < n and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.sent) >= n, f"the connector received {len(self.sent)} activities, expected {n}"
        return list(self.sent)


@dataclass
class RunningTeams:
    server: TeamsServer
    connector: StandInConnector
    bearer: str | None = None  # the token sent with each activity (signed apps)

    def send(self, activity: dict[str, Any], *, bearer: str | None = None) -> int:
        """POST a Bot Framework activity to the app's messaging endpoint (with ``bearer``, else the app's own
        token); the HTTP status."""
        headers = {"Content-Type": "application/json"}
        if bearer or self.bearer:
            headers["Authorization"] = f"Bearer {bearer or self.bearer}"
        request = urllib.request.Request(self.server.url, data=json.dumps(activity).encode(), method="POST",
                                         headers=headers)  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class StandInTokenCheck:
    """The Bot Framework's token check as the SDK calls it: only :data:`JWT_SHAPED` passes."""

    async def validate_token(self, raw_token: str, service_url: str | None = None) -> dict[str, Any]:
        if raw_token != JWT_SHAPED:
            raise ValueError("not signed by the Bot Framework")
        return {}


@contextmanager
def running_teams(conversation: Conversation, *, writes_first: bool = False, signed: bool = False,
                  **options: Any) -> Iterator[RunningTeams]:
    """The app in front of a fresh stand-in connector; ``options`` go to ``build_app`` (e.g. ``remember=``).
    ``writes_first`` gives it what messages it starts need: a bot id, a token, the connector's URL. ``signed``
    serves authenticated (tenant allow-list ``tenant-1`` unless ``tenants=`` says otherwise), and writes first."""
    connector = StandInConnector().start()
    if writes_first or signed:
        options = {"client_id": BOT_ID, "token": lambda scope, tenant=None: JWT_SHAPED,
                   "service_url": connector.url.rstrip("/"), **options}
    if signed:
        options = {"tenants": ("tenant-1",), **options}
    options = {"client_id": None, **options}
    app = build_app(conversation, client_secret=None, host="127.0.0.1", port=free_port(),
                    allow_unauthenticated_for_local_testing=not signed, **options)  # fmt: skip
    server = TeamsServer(app).start()
    if signed:
        app.server._token_validator = StandInTokenCheck()  # set when the app started; loopback has no Microsoft
    try:
        yield RunningTeams(server, connector, JWT_SHAPED if signed else None)
    finally:
        server.shutdown()
        connector.stop()


def dm(connector: StandInConnector, text: str | None = None, *, user: str = "29:ana-bf-id",
       aad: str | None = "aad-ana", name: str = "Ana Diaz", value: dict[str, Any] | None = None,
       conversation_type: str = "personal", conversation_id: str = "a:dm-ana") -> dict[str, Any]:
    """A message activity as Teams sends it for a 1:1 chat with the bot (``value`` for a card button)."""
    sender: dict[str, Any] = {"id": user, "name": name, **({"aadObjectId": aad} if aad else {})}
    activity: dict[str, Any] = {
        "type": "message", "id": f"msg-{time.monotonic_ns()}", "channelId": "msteams",
        "serviceUrl": connector.url, "timestamp": "2026-12-04T08:00:00.000Z",
        "from": sender, "recipient": {"id": BOT_ID, "name": "Tutor"},
        "conversation": {"id": conversation_id, "conversationType": conversation_type, "tenantId": "tenant-1"},
        "channelData": {"tenant": {"id": "tenant-1"}},
    }  # fmt: skip
    if text is not None:
        activity["text"] = text
    if value is not None:
        activity["value"] = value
    return activity
