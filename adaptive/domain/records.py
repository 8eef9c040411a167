"""The core records: people, curriculum, responses and mastery, as callers pass them in and get them back
(plain frozen dataclasses, never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from adaptive.domain.decisions import DecisionResult
from adaptive.domain.tracing import BKTParams, FitProvenance


@dataclass(frozen=True)
class Competency:
    code: str
    name: str
    subject: str | None = None
    grade_level: str | None = None
    description: str | None = None
    prerequisites: tuple[str, ...] = ()
    parent: str | None = None  # the competency it sits under (e.g. a standard's cluster), by code


@dataclass(frozen=True)
class ContentItem:
    """``kind``: lesson, video, practice, assessment, project or offline_activity."""

    code: str
    title: str
    kind: str = "practice"
    competencies: tuple[str, ...] = ()
    url: str | None = None
    grade_level: str | None = None
    minutes: float | None = None
    difficulty: float | None = None
    pretest_scoring: str | None = None  # pre-test items: "correct" (0/1) or "scale" (1-5)


@dataclass(frozen=True)
class CourseOutline:
    """A course and its competencies in scope-and-sequence order."""

    code: str
    name: str
    competencies: tuple[str, ...] = ()
    subject: str | None = None
    grade_level: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Student:
    code: str
    name: str | None = None
    email: str | None = None  # how chat and xAPI identities find the student (the roster's address)


@dataclass(frozen=True)
class Teacher:
    code: str
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Section:
    code: str
    name: str
    teacher: str | None = None
    subject: str | None = None
    grade_level: str | None = None


# Where a response comes from (a response's ``source``).
SOURCES = ("pretest", "practice", "assessment", "teacher_observation")


@dataclass(frozen=True)
class ResponseIn:
    """One response to record: exactly one of ``correct`` (0/1) or ``score`` (on the tutor's ScoreScale).

    ``competency`` may be omitted when ``item`` is tagged with exactly one competency. ``at`` defaults to
    now (naive datetimes are UTC). ``idempotency_key`` defaults to a fresh UUID: pass your own to make
    retries safe. ``source``: pretest, practice, assessment or teacher_observation.
    """

    student: str
    competency: str | None = None
    item: str | None = None
    correct: bool | int | None = None
    score: float | None = None
    at: datetime | None = None
    source: str = "practice"
    attempt: int | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Mastery:
    """A student's mastery of one competency (``level`` from the tutor's MasteryLevels)."""

    student: str
    competency: str
    p_mastered: float
    level: str
    attempts: int
    correct_count: int = 0
    wrong_streak: int = 0
    last_response_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class RecordResult:
    """Outcome of one response; ``duplicate`` means its key was already stored (nothing changed).

    ``decision`` is what the rules decided after it (for a duplicate: the decision stored the first time).
    """

    idempotency_key: str
    duplicate: bool
    mastery: Mastery
    decision: DecisionResult | None = None


@dataclass(frozen=True)
class BatchResult:
    recorded: int
    duplicates: int
    duplicate_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredResponse:
    """A response as stored (:meth:`adaptive.Tutor.responses`), voided ones too: ``voided_at`` set, with who
    voided it (``voided_by``) and why (``void_reason``, the teacher's words)."""

    idempotency_key: str
    student: str
    competency: str
    item: str | None
    correct: bool | None
    score: float | None
    answered_at: datetime
    source: str
    attempt: int | None
    recorded_at: datetime
    voided_at: datetime | None = None
    voided_by: str | None = None
    void_reason: str | None = None


@dataclass(frozen=True)
class VoidedResponse:
    """A response taken back (:meth:`adaptive.Tutor.void_response`): it stays stored, marked, and no longer
    counts. ``mastery`` is the student's mastery of its competency replayed without it; ``closed_flags`` the
    ids of open flags that closed because that mastery is now mastered. ``reason`` is the teacher's words."""

    idempotency_key: str
    student: str
    competency: str
    voided_at: datetime
    voided_by: str
    reason: str
    mastery: Mastery
    closed_flags: tuple[int, ...] = ()


@dataclass(frozen=True)
class StoredParameters:
    """A competency's parameters; ``provenance`` is None for defaults and hand-set parameters."""

    competency: str
    params: BKTParams
    provenance: FitProvenance | None
    is_default: bool
