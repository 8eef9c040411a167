"""Send each teacher their daily small-group list as a Slack DM, at most once per (day, teacher).

For each teacher the run claims the (day, "slack", teacher) notification first; a claim already there means
sent (or being sent by another run) and the teacher is skipped. The teacher's Slack user is the one linked
to them (``chat_identity``), else the one ``users.lookupByEmail`` finds with their roster e-mail. When no
Slack user is found, or posting fails, the claim is released so a rerun tries that teacher again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bots.core.daily import NotifyReport, Outcome, teacher_messages
from bots.slack import delivery

PLATFORM = "slack"
ALREADY_SENT = "already sent today"
log = logging.getLogger(__name__)


def slack_user(client: WebClient, linked: str | None, email: str | None) -> tuple[str | None, str]:
    """(Slack user id, "") for a teacher, or (None, why not)."""
    if linked:
        return linked, ""
    if not email:
        return None, "no Slack account linked and no roster e-mail to look one up"
    try:
        found = client.users_lookupByEmail(email=email)
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "users_not_found":
            return None, f"no Slack account with the roster e-mail {email}"
        return None, f"users.lookupByEmail failed: {error}"
    return found["user"]["id"], ""


def notify_teachers(tutor: Any, client: WebClient, day: dt.date) -> NotifyReport:
    """DM every active teacher with active sections their list for ``day``; see the module docstring."""
    sent: list[str] = []
    skipped: list[Outcome] = []
    failed: list[Outcome] = []
    for contact in tutor.teacher_contacts(PLATFORM):
        if not tutor.claim_notification(day, PLATFORM, contact.code):
            skipped.append(Outcome(contact.code, ALREADY_SENT))
            continue
        try:
            user_id, why = slack_user(client, contact.chat_user_id, contact.email)
            if user_id is None:
                tutor.release_notification(day, PLATFORM, contact.code)
                skipped.append(Outcome(contact.code, why))
                continue
            messages = teacher_messages(tutor, contact.code, day)
            channel = client.conversations_open(users=user_id)["channel"]["id"]
            delivery.send(client, channel, messages)
        except Exception as exc:  # noqa: BLE001 - any failure must give the claim back, then be reported
            tutor.release_notification(day, PLATFORM, contact.code)
            reason = exc.response.get("error") if isinstance(exc, SlackApiError) else f"{type(exc).__name__}: {exc}"
            log.warning("daily list for %s not sent: %s", contact.code, reason)
            failed.append(Outcome(contact.code, str(reason)))
            continue
        sent.append(contact.code)
    return NotifyReport(day, PLATFORM, tuple(sent), tuple(skipped), tuple(failed))
