"""What the chat speaks of: who a chat user is, goals' check-in answers, where the bot last talked with someone,
whom to send the daily list and progress updates to, and the claims that send each at most once."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

HELP_RULE = "student-asked-for-help"
# A chat follow-up question older than this is gone: an answer the next day is not yesterday's answer.
FOLLOWUP_MAX_AGE = timedelta(hours=1)
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def ascii_lower(text: str) -> str:
    """``text`` with A-Z in lower case and nothing else changed: e-mail addresses compare this way (chat
    identities, xAPI actors), so a look-alike (the Kelvin sign K, a dotted I) never folds into another
    person's address."""
    return text.translate(_ASCII_LOWER)


@dataclass(frozen=True)
class Reflection:
    """A student's answer to a check-in prompt, kept with their goal."""

    goal_id: int
    prompt: str
    answer: str
    answered_at: datetime


@dataclass(frozen=True)
class CheckIn:
    """A student's check-in answer as their teacher reads it: who, about which goal, the prompt and answer."""

    student: str
    name: str | None
    goal_id: int
    goal: str  # the goal's description
    competency: str | None
    prompt: str
    answer: str
    answered_at: datetime

    def to_dict(self) -> dict[str, object]:
        return {"student": self.student, "name": self.name or self.student, "goal_id": self.goal_id,
                "goal": self.goal, "competency": self.competency, "prompt": self.prompt, "answer": self.answer,
                "answered_at": self.answered_at.isoformat()}


@dataclass(frozen=True)
class Person:
    """Who a chat user is in the roster: a student or a teacher, by code."""

    role: Literal["student", "teacher"]
    code: str
    name: str | None = None


@dataclass(frozen=True)
class ChatLink:
    """A chat user linked to a person of the roster: who linked it and when (the school admin's list)."""

    platform: str
    user_id: str
    person: Person
    linked_by: str | None
    linked_at: datetime | None


Claim = tuple[str, str]  # (kind, key)


@dataclass(frozen=True)
class ChatConversation:
    """Where the bot last talked with a chat user: what it needs to start a message there."""

    platform: str
    user_id: str
    conversation_id: str
    service_url: str | None
    tenant_id: str | None
    email: str | None
    updated_at: datetime


@dataclass(frozen=True)
class StudentContact:
    """An active student, their roster e-mail and the chat user linked to them on a platform (if any)."""

    code: str
    name: str | None
    email: str | None
    chat_user_id: str | None


@dataclass(frozen=True)
class TeacherContact:
    """An active teacher with active sections, their roster e-mail and the chat user linked to them (if any)."""

    code: str
    name: str | None
    email: str | None
    chat_user_id: str | None
