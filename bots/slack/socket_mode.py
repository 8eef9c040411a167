"""Run the Bolt app over Socket Mode: the bot connects out to Slack, so it needs no public URL and opens no port.

Bolt's built-in ``SocketModeHandler`` (slack_sdk's own WebSocket client, no extra dependency) hands each
envelope to the same listeners and middleware as HTTP mode, and acknowledges it with its ``envelope_id``.
The WebSocket URL comes from ``apps.connections.open`` on the app's own Web API client, so a stand-in
``api_url`` redirects that call too. The client reconnects by itself when Slack closes or refreshes the socket.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError, SlackRequestError


class SlackSocket:
    """A Socket Mode connection run by the SDK's own threads; :meth:`shutdown` closes it."""

    def __init__(self, handler: SocketModeHandler) -> None:
        self.handler = handler
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        """The WebSocket address in use, without its one-time ticket (query)."""
        uri = self.handler.client.wss_uri or ""
        return urlsplit(uri)._replace(query="").geturl()

    @property
    def connected(self) -> bool:
        return self.handler.client.is_connected()

    def start(self) -> SlackSocket:
        """Open the connection; ConnectionError (and nothing left running) when it cannot be opened."""
        try:
            self.handler.connect()
        except SlackApiError as exc:
            self.handler.close()
            error = exc.response.get("error", exc.response.status_code)
            raise ConnectionError(f"apps.connections.open refused the app-level token: {error}") from None
        except (SlackRequestError, OSError) as exc:
            self.handler.close()
            raise ConnectionError(f"apps.connections.open: cannot reach the Slack Web API: {exc}") from None
        if not self.connected:  # the SDK logs the reason and does not raise
            url = self.url
            self.handler.close()
            raise ConnectionError(f"cannot open the WebSocket {url}")
        return self

    def serve_forever(self) -> None:
        """Block until :meth:`shutdown` (or Ctrl-C); envelopes are answered on the SDK's threads meanwhile."""
        self._stopped.wait()

    def shutdown(self) -> None:
        try:
            self.handler.close()
        except AttributeError:
            # slack_sdk's Connection.disconnect checks its socket before taking its locks: when the SDK's own
            # receiving thread closed it in between, closing fails on None. The socket is closed; closing once
            # more (its disconnect is now a no-op) stops the SDK's threads, which the failure skipped.
            self.handler.close()
        self._stopped.set()


def connect(app: App, app_token: str, *, ping_interval: float = 10) -> SlackSocket:
    """Connect ``app`` over Socket Mode with the app-level token (``xapp-...``, scope ``connections:write``)."""
    if not app_token:
        raise ValueError("app_token is empty: set SLACK_APP_TOKEN (xapp-...) from the app's Basic Information page")
    return SlackSocket(SocketModeHandler(app, app_token, ping_interval=ping_interval)).start()
