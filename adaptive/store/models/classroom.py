"""Tables: issued small-group lists and their members."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from adaptive.store.models.base import Base, _key


class SmallGroup(Base):
    """One group of a section's small-group list as issued for a school day (issuing the day again replaces
    the day's groups); ``position`` 1, 2, ... is the list's order, largest need first."""

    __tablename__ = "small_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(30))
    need: Mapped[float] = mapped_column(Float)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    # A group that did not fit the teacher's day (SmallGroupList.later): its students waited, not pulled.
    waiting: Mapped[bool] = mapped_column(default=False, server_default=false())
    __table_args__ = (Index("ix_small_group_day", "section_id", "day", "position", unique=True),
                      Index("ix_small_group_recent", "day"))


class SmallGroupMember(Base):
    """A student pulled into a small group, with the rule and reason they were pulled for."""

    __tablename__ = "small_group_member"
    group_id: Mapped[int] = _key("small_group.id")
    student_id: Mapped[int] = _key("student.id")
    position: Mapped[int] = mapped_column(Integer)
    rule_id: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    # So the list reads back as given (migration 0023): the flag behind the reason (no foreign key: it may be
    # erased later) and the day it was raised, and the student's other gaps (competency codes, a JSON array).
    flag_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    flagged_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON text, as the list gives it
    also: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Seated on one of their other gaps while the group of their most urgent one (the first of ``also``) did
    # not fit the day (migration 0024; NULL: issued before, read as not seated).
    seated: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    __table_args__ = (Index("ix_small_group_member_student", "student_id"),)
