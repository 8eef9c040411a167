"""What a roster import reports and what a roster summary counts (plain frozen records)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from adaptive.content.problems import Problem


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
    reason``) and rows of people the tutor does not roster (administrators, parents...), by file and role."""

    folder: str
    version: str
    counts: tuple[KindCounts, ...]
    skipped: tuple[Problem, ...] = ()
    ignored: tuple[tuple[str, int], ...] = ()

    @property
    def changes(self) -> int:
        return sum(c.changes for c in self.counts)

    def of(self, kind: str) -> KindCounts:
        return next(c for c in self.counts if c.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "version": self.version, "changes": self.changes,
                "counts": {c.kind: {k: v for k, v in asdict(c).items() if k != "kind"} for c in self.counts},
                "skipped": [str(p) for p in self.skipped], "ignored": dict(self.ignored)}  # fmt: skip


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
