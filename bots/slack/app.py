"""Build the Bolt app (HTTP mode) over any :class:`~bots.core.messages.Conversation`."""

from __future__ import annotations

import secrets

from slack_bolt import App
from slack_sdk import WebClient

from bots.core.deliveries import FirstTime, InMemory
from bots.core.fallback import always_answers
from bots.core.messages import Conversation
from bots.slack import listeners
from bots.slack.dedupe import dedupe_middleware
from bots.slack.users import SlackUsers


def build_app(
    conversation: Conversation,
    *,
    signing_secret: str | None,
    token: str,
    api_url: str | None = None,
    process_before_response: bool = False,
    first_time: FirstTime | None = None,
) -> App:
    """The Slack app: ``/goal``, DMs, buttons and the App Home tab, answered by ``conversation``.

    ``api_url`` is the Web API base URL (``https://slack.com/api/`` when None; a stand-in server in tests).
    Requests without a valid signature from the last 5 minutes get 401 from Bolt before any listener runs.
    By default each request is acknowledged first and answered on Bolt's worker threads (Slack wants an
    answer within 3 s); ``process_before_response=True`` answers before the HTTP response instead.

    Each request is acted on once (:mod:`bots.slack.dedupe`): ``first_time(key)`` says whether it is new; by
    default this process remembers the keys it saw, ``bots.core.deliveries.in_database(tutor, "slack")``
    shares them between servers and restarts (``adaptive serve slack`` uses it).

    ``signing_secret=None`` builds the app for Socket Mode (:mod:`bots.slack.socket_mode`), where Slack signs
    nothing: served over HTTP anyway, it answers every request 401 (it checks against a random secret).
    """
    if signing_secret is not None and not signing_secret:
        raise ValueError("signing_secret is empty: set SLACK_SIGNING_SECRET from the app's Basic Information page")
    if not token:
        raise ValueError("token is empty: set SLACK_BOT_TOKEN (xoxb-...) from the app's OAuth & Permissions page")
    client = WebClient(token=token, **({"base_url": _with_slash(api_url)} if api_url else {}))
    app = App(
        signing_secret=signing_secret or secrets.token_hex(32),
        client=client,
        # auth.test runs on the first request instead of here, so building the app needs no network.
        token_verification_enabled=False,
        process_before_response=process_before_response,
    )
    app.middleware(dedupe_middleware(first_time or InMemory()))
    listeners.register(app, listeners.Tutoring(conversation=always_answers(conversation), users=SlackUsers(client)))
    return app


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"
