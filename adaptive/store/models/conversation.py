"""Tables: goals and their reflections, chat identities, conversations, deliveries, follow-ups,
notifications and progress updates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from adaptive.store.models.base import UPDATE_KINDS, Base, _in


class Goal(Base):
    """A student's learning goal (set in goal conferencing), optionally on one competency, with a deadline."""

    __tablename__ = "goal"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    competency_id: Mapped[int | None] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text)
    deadline: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    __table_args__ = (Index("ix_goal_student", "student_id"),)


class GoalReflection(Base):
    """A student's answer to a check-in prompt ("what helped?", "what's hard?"), kept with the goal."""

    __tablename__ = "goal_reflection"
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_goal_reflection_goal", "goal_id"),)


class ChatIdentity(Base):
    """A chat platform's user (Slack, Teams...) linked to exactly one student or teacher."""

    __tablename__ = "chat_identity"
    platform: Mapped[str] = mapped_column(String(50), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"))
    linked_by: Mapped[str | None] = mapped_column(String(200))
    linked_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (CheckConstraint("(student_id IS NULL) <> (teacher_id IS NULL)", name="student_xor_teacher"),)


class NotificationSent(Base):
    """A teacher's daily list claimed for sending on a platform: at most one per (day, platform, teacher)."""

    __tablename__ = "notification_sent"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    platform: Mapped[str] = mapped_column(String(50))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (Index("uq_notification_sent", "day", "platform", "teacher_id", unique=True),)


class ChatConversation(Base):
    """Where the bot last talked with a chat user (Teams' conversation reference), so it can start messages
    there; ``email`` (lower case) is the address the platform gave for the user, when it gave one."""

    __tablename__ = "chat_conversation"
    platform: Mapped[str] = mapped_column(String(50), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(500))
    service_url: Mapped[str | None] = mapped_column(String(500))
    tenant_id: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_chat_conversation_email", "platform", "email"),)


class ChatDelivery(Base):
    """A request a chat platform delivered, kept for a while so a repeat of it (a platform's retry, a replay,
    the same request reaching another server) is recognised: one row per (platform, key). ``key`` is the
    SHA-256 of what identifies the request (an event id, a signature), so the table holds no chat ids."""

    __tablename__ = "chat_delivery"
    platform: Mapped[str] = mapped_column(String(50), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_chat_delivery_seen", "seen_at"),)


class ChatFollowup(Base):
    """The question the chat core asked a chat user and waits for the answer to: its ``kind`` ("goal",
    "checkin") and the rest of its state as JSON; one per chat user, replaced by the next question."""

    __tablename__ = "chat_followup"
    platform: Mapped[str] = mapped_column(String(50), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    asked_at: Mapped[datetime] = mapped_column(DateTime)


class ProgressUpdate(Base):
    """A proactive update claimed for a student on a platform, at most one per (student, platform, kind, key):
    ``mastered`` a competency (key: its code), ``goal_met`` (key: the goal id), ``weekly`` (key: the ISO
    week), and ``start``, the first run that reached the student. ``announced`` is False for what was already
    true at the start (competencies mastered before the student could be reached are not announced)."""

    __tablename__ = "progress_update"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    announced: Mapped[bool] = mapped_column()
    claimed_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (CheckConstraint(_in("kind", UPDATE_KINDS), name="kind"),
                      Index("uq_progress_update", "student_id", "platform", "kind", "key", unique=True))
