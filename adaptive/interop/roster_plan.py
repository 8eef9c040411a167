"""Planning a OneRoster import (:func:`plan`): the rows :func:`adaptive.interop.oneroster.read_export` read,
resolved against each other and against what the database already holds. New people and sections get their
code; every row that cannot be imported is set aside with the reason, and so are the rows that refer to it.
A reference the tutor needs that resolves to nothing sets its row aside; one it never uses to teach is only
a warning. Nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from adaptive.domain.errors import Problem
from adaptive.domain.roster import (
    EnrollmentRow,
    PersonRow,
    RosterExport,
    RosterPlan,
    StoredRoster,
)


def plan(export: RosterExport, stored: StoredRoster) -> RosterPlan:
    """Resolve references against the export and the database; set aside what cannot be imported."""
    return _Planner(export, stored).run()


class _Planner:
    def __init__(self, export: RosterExport, stored: StoredRoster) -> None:
        self.export, self.stored = export, stored
        self.problems = list(export.problems)
        self.warnings: list[Problem] = []
        self.skipped_at: dict[tuple[str, str], int] = {}  # (kind, sourcedId) -> line of the row set aside
        self.deleted = {k: {d.sourced_id for d in v} for k, v in export.deleted.items()}
        self.user_kinds = {**stored.kind_of_user, **{p.sourced_id: p.kind for p in export.people if p.kind}}

    def known(self, kind: str, sourced_id: str, valid: set[str]) -> bool:
        return sourced_id in valid or (sourced_id in self.stored.sourced_ids.get(kind, frozenset())
                                       and sourced_id not in self.deleted.get(kind, set()))

    def missing(self, kind: str, what: str, sourced_id: str) -> str:
        line = self.skipped_at.get((kind, sourced_id))
        if line is not None:
            return f"{what} {sourced_id!r} is not imported (see {self.export.files[kind]}:{line})"
        if sourced_id in self.deleted.get(kind, set()):
            return f"{what} {sourced_id!r} is marked tobedeleted"
        file = self.export.files.get(kind) or FILE_OF[kind]
        return f"{what} {sourced_id!r} is not in {Path(file).name} nor in the database"

    def skip(self, kind: str, row: Any, message: str) -> None:
        self.problems.append(Problem(self.export.files[kind], row.line, message))
        self.skipped_at[(kind, row.sourced_id)] = row.line

    def warn(self, kind: str, row: Any, message: str) -> None:
        """A reference the tutor does not need resolves to nothing: the row is imported without it."""
        file = self.export.files.get(kind) or FILE_OF[kind]
        self.warnings.append(Problem(file, row.line, message))

    def run(self) -> RosterPlan:
        e = self.export
        schools = self._tree("schools", e.schools, "parent school")
        terms = self._tree("terms", e.terms, "parent term")
        valid_schools, valid_terms = {s.sourced_id for s in schools}, {t.sourced_id for t in terms}
        courses = []
        for c in e.courses:
            if c.school and not self.known("schools", c.school, valid_schools):
                self.warn("courses", c, f"{self.missing('schools', 'org', c.school)}; the course is imported "
                                        "without its org")
                c = replace(c, school=None)
            courses.append(c)
        valid_courses = {c.sourced_id: c for c in courses}
        sections = []
        for s in e.sections:
            why = [self.missing("schools", "school", s.school)] if not self.known("schools", s.school,
                                                                                  valid_schools) else []
            if not self.known("courses", s.course, set(valid_courses)):
                why.append(self.missing("courses", "course", s.course))
            why += [self.missing("terms", "term", t) for t in s.terms if not self.known("terms", t, valid_terms)]
            if why:
                self.skip("sections", s, "; ".join(why))
                continue
            course = valid_courses.get(s.course)
            subject, grade = (course.subject, course.grade_level) if course else self.stored.course_subjects.get(
                s.course, (None, None))
            sections.append(replace(s, subject=s.subject or subject, grade_level=s.grade_level or grade))
        students, teachers = self._people(valid_schools)
        sections = self._coded("sections", sections, lambda s: (s.class_code,))
        enrollments = self._enrollments({s.sourced_id for s in sections}, {p.sourced_id for p in students},
                                        {p.sourced_id for p in teachers})
        order = {f: i for i, f in enumerate(e.files.values())}

        def ordered(problems: list[Problem]) -> tuple[Problem, ...]:
            return tuple(sorted(problems, key=lambda p: (order.get(p.file, -1), p.file, p.line or 0)))

        return RosterPlan(e, tuple(schools), tuple(terms), tuple(courses), tuple(sections), tuple(students),
                          tuple(teachers), tuple(enrollments), ordered(self.problems), ordered(self.warnings))

    def _tree(self, kind: str, rows: tuple[Any, ...], what: str) -> list[Any]:
        """Every row; one whose parent resolves to nothing (a district or school year the export leaves out,
        or the row itself) is imported without a parent, with a warning: the tutor never uses parents."""
        valid = {r.sourced_id for r in rows}
        out = []
        for r in rows:
            if r.parent and (r.parent == r.sourced_id or not self.known(kind, r.parent, valid)):
                reason = (f"{what} {r.parent!r} is the row itself" if r.parent == r.sourced_id
                          else self.missing(kind, what, r.parent))
                self.warn(kind, r, f"{reason}; imported without a parent")
                r = replace(r, parent=None)
            out.append(r)
        return out

    def _people(self, valid_schools: set[str]) -> tuple[list[PersonRow], list[PersonRow]]:
        students, teachers = [], []
        for p in self.export.people:
            kind = p.kind or self.stored.kind_of_user.get(p.sourced_id)
            if kind is None:
                self.skip("people", p, f"user {p.sourced_id!r} has no role (users.csv role, or roles.csv)")
                continue
            unknown = [s for s in p.schools if not self.known("schools", s, valid_schools)]
            if unknown:
                self.warn("people", p, "; ".join(self.missing("schools", "org", s) for s in unknown)
                          + f"; the user is imported without {'it' if len(unknown) == 1 else 'them'}")
            schools = tuple(s for s in p.schools if s not in unknown)
            (students if kind == "student" else teachers).append(replace(p, kind=kind, schools=schools))
        coded_students = self._coded("students", students, lambda p: (p.username, p.identifier))
        coded_teachers = self._coded("teachers", teachers, lambda p: (p.username, p.identifier))
        return coded_students, coded_teachers

    def _coded(self, kind: str, rows: list[Any], candidates: Any) -> list[Any]:
        """Each row with its code: the one it has in the database; for a new row the first candidate without
        spaces that is free (or held by a row added by hand, which the roster row then takes over), else
        its sourcedId."""
        codes = self.stored.codes.get(kind, {})
        by_sourced = {sid: code for code, sid in codes.items() if sid is not None}
        taken: dict[str, int] = {}
        out = []
        for row in rows:
            code = by_sourced.get(row.sourced_id)
            if code is None:
                options = [c for c in candidates(row) if c and not any(ch.isspace() for ch in c)]
                options.append(row.sourced_id)
                code = next((c for c in options if c not in taken and codes.get(c, None) is None), None)
                if code is None:
                    file = "people" if kind in ("students", "teachers") else kind
                    self.skip(file, row, f"no free code for {row.sourced_id!r}: {', '.join(map(repr, options))} "
                                         f"already belong to other {kind}")
                    continue
            taken[code] = row.line
            out.append(replace(row, code=code))
        return out

    def _enrollments(self, sections: set[str], students: set[str], teachers: set[str]) -> list[EnrollmentRow]:
        out = []
        people = {"student": ("students", students), "teacher": ("teachers", teachers)}
        for en in self.export.enrollments:
            why = []
            if not self.known("sections", en.section, sections):
                why.append(self.missing("sections", "class", en.section))
            kind, valid = people[en.kind]
            if not self.known(kind, en.user, valid):
                line = self.skipped_at.get(("people", en.user))
                other = self.user_kinds.get(en.user)
                if line is not None:
                    why.append(f"user {en.user!r} is not imported (see {self.export.files['people']}:{line})")
                elif other and other != en.kind:
                    why.append(f"user {en.user!r} is a {other}, not a {en.kind} ({en.role})")
                else:
                    why.append(self.missing(kind, "user", en.user))
            if why:
                self.skip("enrollments", en, "; ".join(why))
            else:
                out.append(en)
        return out


FILE_OF = {"schools": "orgs.csv", "terms": "academicSessions.csv", "courses": "courses.csv",
           "sections": "classes.csv", "students": "users.csv", "teachers": "users.csv", "people": "users.csv",
           "enrollments": "enrollments.csv"}  # fmt: skip
