"""Tables: the audit trail and the web app's sign-in links, granted roles and settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from adaptive.store.models.base import Base, _key


class AuditEntry(Base):
    """One entry of the access log and audit trail: who (``actor``, e.g. ``cli:alice`` or ``slack:U1 (teacher
    T-KIM)``) did what (``action``: read, unlink, erase, void...) to which student's data (``what``: mastery,
    report card...), when. ``student`` is the student's code, not a key: an entry outlives a roster change, and
    the erasure code deletes a student's entries itself. ``detail`` never holds anything a person typed."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(30))
    student: Mapped[str | None] = mapped_column(String(255))
    what: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(String(300), default="", server_default="")
    __table_args__ = (Index("ix_audit_entry_at", "at"), Index("ix_audit_entry_student", "student", "at"),
                      Index("ix_audit_entry_actor", "actor", "at"))


class WebSignIn(Base):
    """A one-time sign-in link of the web app (migration 0022): only the SHA-256 digest of its token is kept,
    with when it expires and when it was used (a link is redeemed once, on whichever server first)."""

    __tablename__ = "web_sign_in"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    __table_args__ = (CheckConstraint("(student_id IS NULL) <> (teacher_id IS NULL)", name="student_xor_teacher"),)


class WebRole(Base):
    """A role granted to a teacher-table person in the web app beyond the roster's (``admin``, ``lead``)."""

    __tablename__ = "web_role"
    teacher_id: Mapped[int] = _key("teacher.id")
    role: Mapped[str] = mapped_column(String(30), primary_key=True)


class WebSetting(Base):
    """A setting the web servers share through the database (``session_secret``: the cookie signing key
    generated once when ``ADAPTIVE_WEB_SECRET`` is not set)."""

    __tablename__ = "web_setting"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
