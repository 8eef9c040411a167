"""Tables: responses and what they lead to (mastery states, decisions, flags, skips, playlist changes),
and the xAPI actors and voided statements responses came from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from adaptive.domain.records import SOURCES
from adaptive.store.models.base import PLAYLIST_CHANGES, Base, _in, _key


class Response(Base):
    """One answer or observation; ``evidence`` is what tracing used (0/1 or the scored weight)."""

    __tablename__ = "response"
    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("content_item.id", ondelete="SET NULL"))
    correct: Mapped[bool | None]
    score: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[float] = mapped_column(Float)
    attempt: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(30))
    answered_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    # What was answered, hashed (adaptive.store.recording.fingerprint): a retry under the same key must carry
    # the same (migration 0019 filled it for older rows).
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    # A voided response stays stored, marked with who took it back and why, and counts for nothing.
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[str | None] = mapped_column(String(200))
    void_reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint(_in("source", SOURCES), name="source"),
        CheckConstraint("(correct IS NULL) <> (score IS NULL)", name="correct_xor_score"),
        # A pair's history in replay order, covering what each decision reads of it (last right answer,
        # pre-test answers, items answered lately, whether voided): those reads never visit the table
        # (migrations 0005, 0019).
        Index("ix_response_history", "student_id", "competency_id", "answered_at", "idempotency_key", "evidence",
              "source", "item_id", "voided_at"),
        Index("ix_response_competency", "competency_id"),
    )


class MasteryState(Base):
    """P(mastered) of one student on one competency, and the response it was last brought up to."""

    __tablename__ = "mastery_state"
    student_id: Mapped[int] = _key("student.id")
    competency_id: Mapped[int] = _key("competency.id")
    p_mastered: Mapped[float] = mapped_column(Float)
    # Carried separately (not 1 - p_mastered) so long histories keep full precision near 0 and 1.
    p_not_mastered: Mapped[float] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    correct_count: Mapped[int] = mapped_column(Integer, default=0)
    wrong_streak: Mapped[int] = mapped_column(Integer, default=0)
    last_response_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_response_key: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # What the rules read of the pair's history, kept up to date with the state (migration 0006).
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime)  # latest right answer
    pretest_answers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Decision(Base):
    """What the rules decided after a response or pre-test, and why (the explanation as JSON)."""

    __tablename__ = "decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))
    ruleset_version_id: Mapped[int | None] = mapped_column(ForeignKey("ruleset_version.id", ondelete="SET NULL"))
    ruleset_version: Mapped[str] = mapped_column(String(200))  # shipped defaults have no row: kept here too
    actions: Mapped[list[Any]] = mapped_column(JSON)
    fired: Mapped[list[Any]] = mapped_column(JSON)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    made_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_decision_student", "student_id", "made_at"),
                      Index("ix_decision_response", "response_id"))


class Flag(Base):
    """A student pulled for small-group time on a competency, until a teacher resolves it or it closes itself
    (the competency mastered or skipped: ``resolved_by`` "adaptive", ``resolution`` "mastered"/"skipped",
    ``resolved_response_id`` the response that did it). At most one open flag per (student, competency):
    ``reasons`` holds every rule that fired on it ({rule_id, reason, evidence, at}, the newest of each), and
    ``rule_id``/``reason``/``evidence`` the first rule, every reason joined, and the newest evidence."""

    __tablename__ = "flag"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="SET NULL"))
    rule_id: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolution: Mapped[str | None] = mapped_column(Text)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))
    __table_args__ = (Index("ix_flag_open", "student_id", "competency_id", "resolved_at"),
                      Index("ux_flag_one_open", "student_id", "competency_id", unique=True,
                            sqlite_where=text("resolved_at IS NULL"), postgresql_where=text("resolved_at IS NULL")))


class Skip(Base):
    """A competency marked mastered for a student (e.g. by a pre-test): its content is skipped."""

    __tablename__ = "competency_skip"
    student_id: Mapped[int] = _key("student.id")
    competency_id: Mapped[int] = _key("competency.id")
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="SET NULL"))
    rule_id: Mapped[str] = mapped_column(String(200))
    skipped_at: Mapped[datetime] = mapped_column(DateTime)


class PlaylistChange(Base):
    """A teacher's change to a student's playlist: ``pin`` an item (it stays first) or ``remove`` it."""

    __tablename__ = "playlist_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("content_item.id", ondelete="CASCADE"))
    change: Mapped[str] = mapped_column(String(20))
    made_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    __table_args__ = (CheckConstraint(_in("change", PLAYLIST_CHANGES), name="change"),
                      Index("ix_playlist_change_student", "student_id"))


class XapiActor(Base):
    """An xAPI actor (by its identifier, e.g. ``mailto:ana@school.org``) and the student it is."""

    __tablename__ = "xapi_actor"
    ifi: Mapped[str] = mapped_column(String(500), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))


class XapiVoided(Base):
    """The idempotency key of a response an xAPI voiding statement removed: importing it again is a no-op."""

    __tablename__ = "xapi_voided"
    idempotency_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    voided_at: Mapped[datetime] = mapped_column(DateTime)
