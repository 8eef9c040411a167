"""SQLAlchemy 2.0 typed ORM models: the tables behind the store.

Timestamps are stored as naive UTC (SQLite has no time zones); the store converts at its edges.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from adaptive.domain.records import SOURCES

ITEM_KINDS = ("lesson", "video", "practice", "assessment", "project", "offline_activity")
PRETEST_SCORINGS = ("correct", "scale")
PLAYLIST_CHANGES = ("pin", "remove")
UPDATE_KINDS = ("start", "mastered", "goal_met", "weekly")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _key(target: str) -> Any:
    """A primary-key column referencing ``target`` (rows go when the target goes)."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), primary_key=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Competency(Base):
    __tablename__ = "competency"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(String(200))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)


class Prerequisite(Base):
    """Edge: ``prerequisite_id`` should be learned before ``competency_id``."""

    __tablename__ = "prerequisite"
    competency_id: Mapped[int] = _key("competency.id")
    prerequisite_id: Mapped[int] = _key("competency.id")
    __table_args__ = (CheckConstraint("competency_id <> prerequisite_id", name="not_self"),)


class CompetencyParent(Base):
    """Hierarchy: ``competency_id`` sits under ``parent_id`` (e.g. a standard under its cluster), at most one parent."""

    __tablename__ = "competency_parent"
    competency_id: Mapped[int] = _key("competency.id")
    parent_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    __table_args__ = (CheckConstraint("competency_id <> parent_id", name="not_self"),)


class ContentItem(Base):
    __tablename__ = "content_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    minutes: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    # Set for pre-test items: "correct" (0/1) or "scale" (the tutor's 1-5 ScoreScale).
    pretest_scoring: Mapped[str | None] = mapped_column(String(20))
    __table_args__ = (
        CheckConstraint(_in("kind", ITEM_KINDS), name="kind"),
        CheckConstraint(f"pretest_scoring IS NULL OR {_in('pretest_scoring', PRETEST_SCORINGS)}", name="pretest"),
    )


class ItemCompetency(Base):
    """A content item's competency tag."""

    __tablename__ = "content_item_competency"
    item_id: Mapped[int] = _key("content_item.id")
    competency_id: Mapped[int] = _key("competency.id")


class School(Base):
    """A school or district (a OneRoster org), imported from a roster export."""

    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    sourced_id: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(50))  # school, district, department, local, state, national
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))


class Term(Base):
    """A school year, semester, term or grading period (a OneRoster academic session)."""

    __tablename__ = "term"
    id: Mapped[int] = mapped_column(primary_key=True)
    sourced_id: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(50))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    school_year: Mapped[str | None] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("term.id", ondelete="SET NULL"))


class RosterCourse(Base):
    """A course of the school information system (not a curriculum :class:`Course`): it gives its
    sections a subject and grade when the class itself has none."""

    __tablename__ = "roster_course"
    id: Mapped[int] = mapped_column(primary_key=True)
    sourced_id: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    course_code: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(500))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))


# Students, teachers and sections from a roster carry the export's ``sourced_id`` (migration 0007); those
# added by hand have none. Removed from the roster, they are kept (with their learning history) as inactive.
# Their school and course references have no ON DELETE action (SQLite cannot add one to an existing table
# in place): the roster import clears them before it deletes a school or course.
class Student(Base):
    __tablename__ = "student"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(500))
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(500))
    username: Mapped[str | None] = mapped_column(String(500))
    given_name: Mapped[str | None] = mapped_column(String(500))
    family_name: Mapped[str | None] = mapped_column(String(500))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # When a roster import removed or deactivated them (cleared when a roster brings them back): the clock of
    # the retention setting (migration 0021).
    left_roster_at: Mapped[datetime | None] = mapped_column(DateTime)
    __table_args__ = (Index("uq_student_sourced_id", "sourced_id", unique=True),)


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


class Teacher(Base):
    __tablename__ = "teacher"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(500))
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(500))
    given_name: Mapped[str | None] = mapped_column(String(500))
    family_name: Mapped[str | None] = mapped_column(String(500))
    role: Mapped[str | None] = mapped_column(String(50))  # teacher, aide, proctor
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    __table_args__ = (Index("uq_teacher_sourced_id", "sourced_id", unique=True),)


class Section(Base):
    """A class (section); ``teacher_id`` is its primary teacher, :class:`SectionTeacher` lists them all."""

    __tablename__ = "section"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teacher.id", ondelete="SET NULL"))
    subject: Mapped[str | None] = mapped_column(String(200))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    sourced_id: Mapped[str | None] = mapped_column(String(255))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("roster_course.id"))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    period: Mapped[str | None] = mapped_column(String(50))  # the roster's class period (migration 0015)
    alias: Mapped[str | None] = mapped_column(String(200))  # course code + period, e.g. MATH6-P3; not unique
    __table_args__ = (Index("uq_section_sourced_id", "sourced_id", unique=True), Index("ix_section_alias", "alias"))


class Enrollment(Base):
    __tablename__ = "enrollment"
    section_id: Mapped[int] = _key("section.id")
    student_id: Mapped[int] = _key("student.id")


class SectionTeacher(Base):
    """A teacher of a section (a class may have several: co-teachers, aides, proctors)."""

    __tablename__ = "section_teacher"
    section_id: Mapped[int] = _key("section.id")
    teacher_id: Mapped[int] = _key("teacher.id")
    role: Mapped[str] = mapped_column(String(50))
    is_primary: Mapped[bool] = mapped_column(default=False)


class SectionTerm(Base):
    __tablename__ = "section_term"
    section_id: Mapped[int] = _key("section.id")
    term_id: Mapped[int] = _key("term.id")


class RosterEnrollment(Base):
    """A OneRoster enrollment as exported (one student or teacher in one class, keyed by its sourcedId).

    A roster section's :class:`Enrollment` and :class:`SectionTeacher` rows are derived from these: an
    export may list the same student in the same class once per term."""

    __tablename__ = "roster_enrollment"
    id: Mapped[int] = mapped_column(primary_key=True)
    sourced_id: Mapped[str] = mapped_column(String(255), unique=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    student_id: Mapped[int | None] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(50))
    is_primary: Mapped[bool] = mapped_column(default=False)
    __table_args__ = (
        CheckConstraint("(student_id IS NULL) <> (teacher_id IS NULL)", name="student_xor_teacher"),
        Index("ix_roster_enrollment_section", "section_id", "student_id"),
    )


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


class FittedParameters(Base):
    """BKT parameters of one competency (``BKTParams.to_dict()``) and how they were obtained."""

    __tablename__ = "bkt_parameters"
    competency_id: Mapped[int] = _key("competency.id")
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    fitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    n_responses: Mapped[int | None] = mapped_column(Integer)
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    pybkt_version: Mapped[str | None] = mapped_column(String(50))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Course(Base):
    __tablename__ = "course"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(String(200))
    grade_level: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)


class CourseCompetency(Base):
    """A competency's place in a course's scope and sequence (``position`` 0, 1, ...)."""

    __tablename__ = "course_competency"
    course_id: Mapped[int] = _key("course.id")
    competency_id: Mapped[int] = _key("competency.id")
    position: Mapped[int] = mapped_column(Integer)


class RulesetVersion(Base):
    """A published rules file; exactly one row is ``active``. Decisions point at the version that made them."""

    __tablename__ = "ruleset_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    ruleset_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(200))  # the file's version + content hash
    text: Mapped[str] = mapped_column(Text)  # the YAML as published
    tables: Mapped[dict[str, Any]] = mapped_column(JSON)  # included CSV tables: name -> text
    published_by: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(DateTime)
    diff: Mapped[str] = mapped_column(Text)  # unified diff against the version it replaced
    active: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)  # why it was published (or rolled back)


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
    __table_args__ = (Index("ix_small_group_member_student", "student_id"),)


class CatalogueRevision(Base):
    """One row; triggers (migration 0004) give ``token`` a new random value whenever the curriculum's
    tables or the BKT parameters change, so cached catalogues know when to reload."""

    __tablename__ = "catalogue_revision"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(64))


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


__all__ = [
    "AuditEntry",
    "CatalogueRevision",
    "ChatIdentity",
    "Course",
    "CourseCompetency",
    "Decision",
    "Flag",
    "Goal",
    "GoalReflection",
    "PLAYLIST_CHANGES",
    "PRETEST_SCORINGS",
    "PlaylistChange",
    "RosterCourse",
    "RosterEnrollment",
    "RulesetVersion",
    "School",
    "SectionTeacher",
    "SectionTerm",
    "Skip",
    "Term",
    "SmallGroup",
    "SmallGroupMember",
    "ITEM_KINDS",
    "SOURCES",
    "Base",
    "Competency",
    "CompetencyParent",
    "ContentItem",
    "Enrollment",
    "FittedParameters",
    "ItemCompetency",
    "MasteryState",
    "Prerequisite",
    "Response",
    "Section",
    "Student",
    "Teacher",
    "XapiActor",
    "XapiVoided",
]


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
