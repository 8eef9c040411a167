"""The roster as every layer speaks of it: the rows a OneRoster export holds, the plan of an import (rows to
write, rows set aside), what the database already holds, what an import reports and what a summary counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from adaptive.domain.errors import Problem
from adaptive.domain.records import Student, Teacher

KINDS = ("schools", "terms", "courses", "sections", "students", "teachers", "enrollments")


@dataclass(frozen=True, slots=True)
class SchoolRow:
    sourced_id: str
    name: str
    kind: str
    parent: str | None
    line: int


@dataclass(frozen=True, slots=True)
class TermRow:
    sourced_id: str
    title: str
    kind: str
    start_date: dt.date | None
    end_date: dt.date | None
    school_year: str | None
    parent: str | None
    line: int


@dataclass(frozen=True, slots=True)
class CourseRow:
    sourced_id: str
    title: str
    course_code: str | None
    subject: str | None
    grade_level: str | None
    school: str | None
    line: int


@dataclass(frozen=True, slots=True)
class SectionRow:
    sourced_id: str
    name: str
    class_code: str | None
    course: str
    school: str
    terms: tuple[str, ...]
    subject: str | None
    grade_level: str | None
    line: int
    code: str = ""  # given by plan()
    period: str | None = None  # classes.csv periods, e.g. "3" (several joined by commas)


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A student or teacher; ``kind`` is None when the export gives no role (plan() looks in the database)."""

    sourced_id: str
    kind: str | None
    role: str | None
    username: str | None
    identifier: str | None
    email: str | None
    given_name: str | None
    family_name: str | None
    name: str | None
    grade_level: str | None
    schools: tuple[str, ...]
    line: int
    code: str = ""  # given by plan()


@dataclass(frozen=True, slots=True)
class EnrollmentRow:
    sourced_id: str
    section: str
    user: str
    kind: str  # student or teacher
    role: str
    primary: bool
    line: int


@dataclass(frozen=True, slots=True)
class Deleted:
    sourced_id: str
    line: int


@dataclass(frozen=True)
class RosterExport:
    """What a folder holds: rows to upsert per kind, rows marked ``tobedeleted``, and reading problems.

    ``modes`` gives each kind's manifest mode; ``seen`` every sourcedId of each kind's file (also of rows with
    problems: a bulk file's absent rows are those not seen at all)."""

    folder: str
    version: str
    modes: Mapping[str, str]
    files: Mapping[str, str]  # kind -> path shown in problems
    schools: tuple[SchoolRow, ...] = ()
    terms: tuple[TermRow, ...] = ()
    courses: tuple[CourseRow, ...] = ()
    sections: tuple[SectionRow, ...] = ()
    people: tuple[PersonRow, ...] = ()
    enrollments: tuple[EnrollmentRow, ...] = ()
    deleted: Mapping[str, tuple[Deleted, ...]] = field(default_factory=dict)
    seen: Mapping[str, frozenset[str]] = field(default_factory=dict)
    ignored: Mapping[str, int] = field(default_factory=dict)  # "users.csv: administrator" -> rows
    problems: tuple[Problem, ...] = ()




@dataclass(frozen=True)
class StoredRoster:
    """What the database holds, for resolving references: sourcedIds per kind, and codes in use
    (code -> sourcedId, None for a row added by hand) of students, teachers and sections."""

    sourced_ids: Mapping[str, frozenset[str]] = field(default_factory=dict)  # kind -> sourcedIds
    codes: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)  # students/teachers/sections
    kind_of_user: Mapping[str, str] = field(default_factory=dict)  # sourcedId -> student/teacher
    course_subjects: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class RosterPlan:
    """The rows to write (references resolved, codes given) and the rows set aside, each with its reason."""

    export: RosterExport
    schools: tuple[SchoolRow, ...]
    terms: tuple[TermRow, ...]
    courses: tuple[CourseRow, ...]
    sections: tuple[SectionRow, ...]
    students: tuple[PersonRow, ...]
    teachers: tuple[PersonRow, ...]
    enrollments: tuple[EnrollmentRow, ...]
    skipped: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()  # references the tutor does not need that resolve to nothing

    def kind_rows(self, kind: str) -> tuple[Any, ...]:
        return getattr(self, kind)


@dataclass(frozen=True)
class KindCounts:
    """Rows of one kind (schools, terms, courses, sections, students, teachers, enrollments): ``removed`` are
    deleted (schools, terms, courses, enrollments) or made inactive (sections, students, teachers)."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def changes(self) -> int:
        return self.created + self.updated + self.removed


@dataclass(frozen=True)
class RosterImportReport:
    """The outcome of importing a OneRoster export: counts per kind, rows skipped (each as ``FILE:LINE:
    reason``), rows of people the tutor does not roster (administrators, parents...), by file and role, and
    warnings (``FILE:LINE: reason``): rows imported without a reference the tutor does not need, such as a
    school's district or a term's school year the export leaves out."""

    folder: str
    version: str
    counts: tuple[KindCounts, ...]
    skipped: tuple[Problem, ...] = ()
    ignored: tuple[tuple[str, int], ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def changes(self) -> int:
        return sum(c.changes for c in self.counts)

    def of(self, kind: str) -> KindCounts:
        return next(c for c in self.counts if c.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "version": self.version, "changes": self.changes,
                "counts": {c.kind: {k: v for k, v in asdict(c).items() if k != "kind"} for c in self.counts},
                "skipped": [str(p) for p in self.skipped], "ignored": dict(self.ignored),
                "warnings": [str(p) for p in self.warnings]}  # fmt: skip


@dataclass(frozen=True)
class SchoolCounts:
    """Active students, teachers and sections of one school (``school`` None: people and sections with no
    school, e.g. added by hand); ``enrollments`` are its sections' students."""

    school: str | None
    name: str | None
    students: int
    teachers: int
    sections: int
    enrollments: int


@dataclass(frozen=True)
class RosterSummary:
    """Active students, teachers and sections; ``enrollments``: students in sections (a student listed in
    a class once per term counts once); ``section_teachers``: teachers in sections."""

    students: int
    teachers: int
    sections: int
    enrollments: int
    section_teachers: int
    inactive_students: int
    schools: tuple[SchoolCounts, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def section_alias(course_code: str | None, period: str | None) -> str | None:
    """The short name a teacher types for a roster section: the course code and the (first) period, e.g.
    ``MATH6-P3``; the course code alone when the class has no period; none without a course code."""
    if not course_code or not course_code.strip():
        return None
    first = (period or "").split(",")[0].strip()
    code = "-".join(course_code.split())
    return f"{code}-P{first}" if first else code


@dataclass(frozen=True)
class SectionInfo:
    """A section as ``adaptive sections`` lists it: its code (the roster's sourcedId for an imported class),
    the alias a teacher may type instead, its teachers (primary first) and how many students are enrolled."""

    code: str
    name: str
    alias: str | None
    teachers: tuple[Teacher, ...]
    students: int
    sourced_id: str | None = None
    period: str | None = None
    active: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SectionRoster:
    """A section's enrolled students (code, name and e-mail from the roster), by name."""

    section: SectionInfo
    students: tuple[Student, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
