"""Serve the Bolt app over HTTP with the standard library's WSGI server (threaded), on 127.0.0.1 by default.

``/slack/events`` takes every Slack request (events, slash commands, interactivity); ``GET /healthz``
answers ``ok`` without touching Slack (a load balancer's or an admin's check that the server is up).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        """Request lines are not logged (Bolt logs what matters)."""


def wsgi_app(app: App) -> Callable[[dict, Callable], Iterable[bytes]]:
    """The WSGI application: Bolt on :data:`EVENTS_PATH`, the health check on :data:`HEALTH_PATH`."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
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


def serve(app: App, host: str = "127.0.0.1", port: int = 3000, *, background: bool = True) -> SlackServer:
    """Bind ``host:port`` (port 0 picks a free one) and serve; on a background thread unless told otherwise."""
    httpd = make_server(host, port, wsgi_app(app), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    server = SlackServer(httpd)
    return server.start() if background else server
