"""Serve the Bolt app over HTTP with the standard library's WSGI server (threaded), on 127.0.0.1 by default.

``/slack/events`` takes every Slack request (events, slash commands, interactivity); ``GET /healthz``
answers ``ok`` without touching Slack (a load balancer's or an admin's check that the server is up).

Before Bolt sees a request on ``/slack/events`` it must be at most :data:`MAX_BODY` bytes (413, read no further),
carry a valid Slack signature over a numeric timestamp (401) and parse as a JSON object (400): an unsigned
or malformed request never reaches a parser, a listener or a logged traceback. Every connection has a read
timeout (:data:`READ_TIMEOUT`), so slow senders cannot hold the server's threads.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1024 * 1024  # Slack's payloads are a few KB; a modal's state stays far below 1 MiB
READ_TIMEOUT = 10.0  # seconds a connection may stay silent while sending its request
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    timeout = READ_TIMEOUT  # socketserver sets it on each connection's socket

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        """Request lines are not logged (Bolt logs what matters)."""


def _refuse(start_response: Callable, status: str) -> list[bytes]:
    body = status.split(" ", 1)[1].encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _is_object(body: str, content_type: str) -> bool:
    """True when Bolt would parse ``body`` (its own parser, so both agree) into a request of the shape Bolt's
    matchers and the listeners read; anything else would end in a 500 and a logged traceback."""
    try:
        payload = parse_body(body, content_type or None)
    except ValueError:  # json.JSONDecodeError is one
        return False
    return isinstance(payload, dict) and _well_shaped(payload)


def _well_shaped(payload: dict) -> bool:
    for key in ("event", "view", "container", "channel", "team"):
        if key in payload and not isinstance(payload[key], dict | None):
            return False
    if "user" in payload and not isinstance(payload["user"], dict | str | None):
        return False
    if not isinstance(payload.get("event_id", ""), str):  # the retry dedupe keys on it
        return False
    actions = payload.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(a, dict) and isinstance(a.get("action_id", ""), str)
                                                for a in actions):  # fmt: skip
        return False
    if payload.get("type") == "block_actions" and not isinstance(payload.get("user"), dict):
        return False
    return "command" not in payload or (isinstance(payload["command"], str)
                                        and isinstance(payload.get("user_id"), str))  # fmt: skip


def _guarded(environ: dict, start_response: Callable, verifier: SignatureVerifier) -> str | list[bytes]:
    """The request body once it is small enough, signed and well formed; else the refusal to send."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _refuse(start_response, "400 Bad Request")
    if length > MAX_BODY:
        return _refuse(start_response, "413 Content Too Large")
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
    signature = environ.get("HTTP_X_SLACK_SIGNATURE")
    if not _TIMESTAMP.fullmatch(timestamp) or not signature:
        return _refuse(start_response, "401 Unauthorized")
    try:
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
    except OSError:  # TimeoutError: the sender stopped sending
        return _refuse(start_response, "408 Request Timeout")
    if len(raw) != length:
        return _refuse(start_response, "400 Bad Request")
    if not verifier.is_valid(raw, timestamp, signature):
        return _refuse(start_response, "401 Unauthorized")
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _refuse(start_response, "400 Bad Request")
    if not _is_object(body, environ.get("CONTENT_TYPE") or ""):
        return _refuse(start_response, "400 Bad Request")
    return body


def wsgi_app(app: App) -> Callable[[dict, Callable], Iterable[bytes]]:
    """The WSGI application: Bolt on :data:`EVENTS_PATH` behind the checks above, the health check on
    :data:`HEALTH_PATH`."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(app._signing_secret)  # Bolt keeps no public accessor for the secret it checks

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        if environ.get("PATH_INFO") == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            body = _guarded(environ, start_response, verifier)
            if not isinstance(body, str):
                return body
            raw = body.encode("utf-8")
            environ = {**environ, "wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw))}
        return slack(environ, start_response)

    return application


class SlackServer:
    """A running server; :meth:`shutdown` stops it and frees the port."""

    def __init__(self, httpd: WSGIServer) -> None:
        self._httpd = httpd
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{EVENTS_PATH}"

    def start(self) -> SlackServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="slack-http", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def shutdown(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()


def serve(app: App, host: str = "127.0.0.1", port: int = 3000, *, background: bool = True,
          read_timeout: float = READ_TIMEOUT) -> SlackServer:
    """Bind ``host:port`` (port 0 picks a free one) and serve; on a background thread unless told otherwise.
    A connection silent for ``read_timeout`` seconds while sending its request is dropped."""
    handler = type("_Handler", (_QuietHandler,), {"timeout": read_timeout})
    httpd = make_server(host, port, wsgi_app(app), server_class=_ThreadingWSGIServer, handler_class=handler)
    server = SlackServer(httpd)
    return server.start() if background else server
