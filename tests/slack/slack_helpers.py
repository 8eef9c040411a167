"""Reusable Slack test fixtures: signed requests, a stand-in Web API on loopback, a running Bolt app.

Nothing here talks to Slack. The stand-in records every Web API call the app makes; requests to the app are
signed with the v0 scheme exactly as Slack signs them (``slack_sdk.signature.SignatureVerifier``).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier

from bots.core.messages import Bar, Button, ChatUser, Message
from bots.slack.app import build_app
from bots.slack.server import SlackServer, serve

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-1-test-app-token"  # the app-level token Socket Mode connects with
BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0SCHOOL"
LOOK_UPS = ("auth.test", "users.info", "users.lookupByEmail", "apps.connections.open")  # change nothing in Slack
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # enough of a PNG for an upload


# --- the conversation core, scripted -------------------------------------------------------------------------

class FakeConversation:
    """Implements exactly :class:`bots.core.messages.Conversation`; records each call and answers from a script."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ChatUser, tuple[str, ...]]] = []
        self.home_messages: list[Message] = [student_dashboard()]
        self._lock = threading.Lock()

    def _record(self, kind: str, user: ChatUser, *args: str) -> None:
        with self._lock:
            self.calls.append((kind, user, args))

    def reply(self, user: ChatUser, text: str) -> list[Message]:
        self._record("reply", user, text)
        return [Message(text=f"You said: {text}", lines=(f"You said: {text}",),
                        buttons=(Button("Next item", "next_item", "fractions"),))]  # fmt: skip

    def command(self, user: ChatUser, name: str, args: str) -> list[Message]:
        self._record("command", user, name, args)
        return [Message(text=f"Goal set: {args}", title="Your goal", lines=(f"Goal set: {args}",))]

    def action(self, user: ChatUser, action: str, value: str) -> list[Message]:
        self._record("action", user, action, value)
        return [Message(text=f"{action} {value}", lines=(f"{action} {value}",),
                        link=("Open the item", "https://example.org/items/42"))]  # fmt: skip

    def home(self, user: ChatUser) -> list[Message]:
        self._record("home", user)
        return list(self.home_messages)


def student_dashboard() -> Message:
    return Message(
        text="Your progress: Fractions 62% familiar, Decimals 20% attempted. Next: Adding fractions.",
        title="Your progress",
        bars=(Bar("Fractions", 0.62, "familiar"), Bar("Decimals", 0.2, "attempted")),
        lines=("Goal: master fractions by Friday",),
        link=("Next: Adding fractions", "https://example.org/items/7"),
    )


def teacher_dashboard() -> list[Message]:
    return [
        Message(text="Today's groups: Fractions (Ana, Ben)", title="Today's small groups",
                lines=("*Fractions*: Ana, Ben",), buttons=(Button("Regroup", "regroup", "s1"),)),
        Message(text="Class heatmap", title="Class heatmap", image=PNG, image_title="Class heatmap"),
    ]  # fmt: skip


# --- the stand-in Slack Web API --------------------------------------------------------------------------------

@dataclass
class Call:
    method: str  # "chat.postMessage", ... or "upload" for the file bytes POSTed to the upload URL
    args: dict[str, Any]
    body: bytes
    headers: dict[str, str]
    at: float = field(default_factory=time.perf_counter)  # when the stand-in received it


@dataclass
class StandIn:
    """A stand-in for https://slack.com/api/ on 127.0.0.1 that records every call."""

    emails: dict[str, str] = field(default_factory=dict)  # user id -> profile email users.info gives
    calls: list[Call] = field(default_factory=list)
    refuse_posts_to: set[str] = field(default_factory=set)  # DM channels whose chat.postMessage answers ok:false
    socket_url: str = ""  # what apps.connections.open hands out (a stand-in Socket Mode server)
    url: str = ""
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> StandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                path, _, query = self.path.partition("?")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                method = path.rsplit("/", 1)[-1] if path.startswith("/api/") else "upload"
                args = {} if method == "upload" else stand_in._args(query, body, self.headers.get("Content-Type") or "")
                stand_in._record(Call(method, args, body, dict(self.headers)))
                if method == "upload":
                    answer, kind = b"OK - 1", "text/plain"
                else:
                    answer = stand_in._answer(method, args, self.headers.get("Authorization") or "")
                    answer, kind = json.dumps(answer).encode(), "application/json"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/api/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @staticmethod
    def _args(query: str, body: bytes, content_type: str) -> dict[str, Any]:
        args: dict[str, Any] = dict(urllib.parse.parse_qsl(query))
        if "json" in content_type and body:
            args.update(json.loads(body))
        elif "x-www-form-urlencoded" in content_type and body:
            args.update(urllib.parse.parse_qsl(body.decode()))
        return args

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _answer(self, method: str, args: dict[str, Any], authorization: str) -> dict[str, Any]:
        if method == "apps.connections.open":  # Slack's answers: only an app-level token opens a connection
            if not authorization.startswith("Bearer xapp-"):
                return {"ok": False, "error": "not_allowed_token_type"}
            if authorization != f"Bearer {APP_TOKEN}":
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": self.socket_url}
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": BOT_ID, "team_id": TEAM, "user": "tutor"}
        if method == "chat.postMessage":
            if args.get("channel") in self.refuse_posts_to:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": args.get("channel"), "ts": f"{time.time():.6f}"}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V1", **(json.loads(args["view"]) if isinstance(args.get("view"), str)
                                                          else args.get("view") or {})}}  # fmt: skip
        if method == "users.info":
            user = args.get("user", "")
            profile = {"real_name": f"Person {user}"}
            if user in self.emails:
                profile["email"] = self.emails[user]
            return {"ok": True, "user": {"id": user, "name": user.lower(), "profile": profile}}
        if method == "users.lookupByEmail":
            wanted = (args.get("email") or "").lower()
            found = [u for u, e in self.emails.items() if e.lower() == wanted]
            if not found:
                return {"ok": False, "error": "users_not_found"}
            return {"ok": True, "user": {"id": found[0], "name": found[0].lower(), "profile": {"email": wanted}}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).lstrip("U")}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.calls):04d}"
            return {"ok": True, "file_id": file_id, "upload_url": self.url.replace("/api/", f"/upload/{file_id}")}
        if method == "files.completeUploadExternal":
            files = args["files"] if isinstance(args["files"], list) else json.loads(args["files"])
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": False, "error": "unknown_method"}

    def of(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls of ``method`` once there are ``count`` of them (the app answers on a worker thread)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len([c for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{method}: fewer than {count} calls in {timeout}s; got "
                                         f"{[c.method for c in self.calls]}")  # fmt: skip
                self._changed.wait(left)
            return [c for c in self.calls if c.method == method]

    def actions(self) -> list[Call]:
        """The calls that change something in Slack (everything but look-ups)."""
        with self._changed:
            return [c for c in self.calls if c.method not in LOOK_UPS]


# --- signed requests to the app ---------------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    body: str


def signed_headers(body: str, *, secret: str = SECRET, timestamp: int | None = None,
                   content_type: str = "application/json") -> dict[str, str]:  # fmt: skip
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def post(url: str, body: str, headers: dict[str, str], timeout: float = 10.0) -> Answer:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode())


def event_body(event: dict[str, Any], event_id: str = "Ev0001") -> str:
    return json.dumps({"token": "unused", "team_id": TEAM, "api_app_id": "A0TUTOR", "type": "event_callback",
                       "event_id": event_id, "event_time": int(time.time()), "event": event})  # fmt: skip


def dm_event(text: str, user: str = "U0STUDENT", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "channel": "D0DM", "user": user, "text": text,
            "ts": f"{time.time():.6f}", **extra}  # fmt: skip


def command_payload(text: str, command: str = "/goal", user: str = "U0STUDENT") -> dict[str, str]:
    return {"token": "unused", "team_id": TEAM, "channel_id": "C0CLASS", "user_id": user, "command": command,
            "text": text, "trigger_id": "1.2.3", "response_url": "http://127.0.0.1:9/unused"}  # fmt: skip


def command_body(text: str, command: str = "/goal", user: str = "U0STUDENT") -> str:
    return urllib.parse.urlencode(command_payload(text, command, user))


def action_payload(action_id: str, value: str, user: str = "U0STUDENT", channel: str | None = "D0DM") -> dict:
    payload: dict[str, Any] = {
        "type": "block_actions", "team": {"id": TEAM}, "user": {"id": user}, "api_app_id": "A0TUTOR",
        "trigger_id": "1.2.3", "container": {"type": "message"},
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value,
                     "action_ts": f"{time.time():.6f}"}],
    }  # fmt: skip
    if channel:
        payload["channel"] = {"id": channel}
    return payload


def action_body(action_id: str, value: str, user: str = "U0STUDENT", channel: str | None = "D0DM") -> str:
    return urllib.parse.urlencode({"payload": json.dumps(action_payload(action_id, value, user, channel))})


@dataclass
class RunningSlack:
    """The Bolt app served on loopback, with its stand-in and its scripted conversation."""

    server: SlackServer
    stand_in: StandIn
    conversation: FakeConversation

    @property
    def url(self) -> str:
        return self.server.url

    def send_event(self, event: dict[str, Any], event_id: str = "Ev0001", **header_extra: str) -> Answer:
        body = event_body(event, event_id)
        return post(self.url, body, {**signed_headers(body), **header_extra})

    def send_command(self, text: str, command: str = "/goal") -> Answer:
        body = command_body(text, command)
        return post(self.url, body, signed_headers(body, content_type="application/x-www-form-urlencoded"))

    def send_action(self, action_id: str, value: str, **kwargs: Any) -> Answer:
        body = action_body(action_id, value, **kwargs)
        return post(self.url, body, signed_headers(body, content_type="application/x-www-form-urlencoded"))


def start_slack(conversation: FakeConversation | None = None, **app_options: Any) -> RunningSlack:
    stand_in = StandIn(emails={"U0STUDENT": "ana@school.example"}).start()
    conversation = conversation or FakeConversation()
    app = build_app(conversation, signing_secret=SECRET, token=TOKEN, api_url=stand_in.url, **app_options)
    return RunningSlack(serve(app, "127.0.0.1", 0), stand_in, conversation)


@pytest.fixture
def slack() -> Iterator[RunningSlack]:
    running = start_slack()
    yield running
    running.server.shutdown()
    running.stand_in.stop()
