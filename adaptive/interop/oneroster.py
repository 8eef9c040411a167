"""Reading a OneRoster 1.1 or 1.2 CSV export (a folder with ``manifest.csv``) into plain roster records.

Nothing here touches a database. :func:`read_export` reads the folder: ``manifest.csv`` says which files are
``bulk``, ``delta`` or ``absent``; every row is shape-checked and each problem is kept as ``FILE:LINE:
message``. A problem with the folder itself (a missing file or column, an unknown version) raises
:class:`RosterError` at once, listing every such problem. :func:`plan` then resolves the references between
rows (a class's school, course and terms; a user's schools; an enrollment's class and user) against the
export and what the database already holds, gives new people and sections their code, and sets aside, with
the reason, every row that cannot be imported (and the rows that refer to it).

A reference the tutor needs (a class's course, school and terms; an enrollment's class and user) that
resolves to nothing sets its row aside. One it never uses to teach (an org's or a term's parent, such as a
district or school year the export leaves out; a course's org; a user's orgs) is only a warning: the row is
imported without it, so a partial export from an LMS is not rejected whole.

Messy real exports are read as they are: CRLF or LF, no final newline, a BOM, short rows (missing trailing
fields are blank), an empty extra trailing field, blank ``status`` (active), column names in any case.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from adaptive.domain.errors import Problem, StoreError
from adaptive.domain.roster import (
    CourseRow,
    Deleted,
    EnrollmentRow,
    PersonRow,
    RosterExport,
    RosterPlan,
    SchoolRow,
    SectionRow,
    StoredRoster,
    TermRow,
)

VERSIONS = ("1.1", "1.2")
MODES = ("bulk", "delta", "absent")
STUDENT_ROLES = frozenset({"student"})
TEACHER_ROLES = frozenset({"teacher", "aide", "proctor"})
# Known roles of people the tutor does not roster (counted, not imported).
OTHER_ROLES = frozenset({"administrator", "districtadministrator", "siteadministrator", "systemadministrator",
                         "principal", "counselor", "guardian", "parent", "relative", "student-parent"})  # fmt: skip

# Manifest file name -> (kind, columns that must be in its header besides sourcedId).
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "orgs": ("schools", ("name", "type")),
    "academicSessions": ("terms", ("title", "type")),
    "courses": ("courses", ("title",)),
    "classes": ("sections", ("title", "courseSourcedId", "schoolSourcedId")),
    "users": ("people", ("username", "givenName", "familyName")),
    "enrollments": ("enrollments", ("classSourcedId", "userSourcedId", "role")),
    "roles": ("roles", ("userSourcedId", "roleType", "role", "orgSourcedId")),
}


class RosterError(StoreError):
    """An export that cannot be imported; ``problems`` lists every problem found (``FILE:LINE: message``).

    ``structural`` is True when the folder itself is wrong (a missing file or column): nothing can be read.
    ``warnings``: what the import would also have warned about (see :func:`plan`)."""

    def __init__(self, problems: Iterable[Problem], structural: bool = False,
                 warnings: Iterable[Problem] = ()) -> None:  # fmt: skip
        self.problems = tuple(problems)
        self.structural = structural
        self.warnings = tuple(warnings)
        super().__init__("\n".join(str(p) for p in self.problems))


# -- reading ------------------------------------------------------------------------------------------------
@dataclass
class _Table:
    path: str
    header: dict[str, int]  # canonical lower-case name -> position
    rows: list[tuple[int, list[str]]]  # (line, fields)


def read_export(folder: Path | str) -> RosterExport:
    """Read and shape-check every roster file the manifest lists (see the module docstring).

    Raises :class:`RosterError` (``structural``) when the folder is not a readable OneRoster export."""
    root = Path(folder)
    structural: list[Problem] = []
    if not root.is_dir():
        raise RosterError([Problem(str(root), None, "no such folder")], structural=True)
    version, modes = _manifest(root, structural)
    tables: dict[str, _Table] = {}
    for name, mode in modes.items():
        if mode == "absent":
            continue
        path = root / f"{name}.csv"
        table = _table(path, structural)
        if table is None:
            continue
        _check_columns(table, FILES[name][1], structural)
        tables[name] = table
    # A delta may update or delete users whose role the database knows; a bulk users.csv must give roles.
    users = tables.get("users")
    if users and modes["users"] == "bulk" and "role" not in users.header and "roles" not in tables:
        structural.append(Problem(users.path, 1, "no 'role' column, and the export has no roles.csv "
                                                           "(OneRoster 1.2 gives users' roles there)"))
    if structural:
        raise RosterError(structural, structural=True)
    return _Reader(str(root), version, modes, tables).read()


def _manifest(root: Path, problems: list[Problem]) -> tuple[str, dict[str, str]]:
    path = root / "manifest.csv"
    table = _table(path, problems, required=True)
    if table is None:
        return "", {}
    _check_columns(table, ("propertyName", "value"), problems, sourced_id=False)
    if problems:
        return "", {}
    name_at, value_at = table.header["propertyname"], table.header["value"]
    version, modes = "", {}
    canonical = {n.lower(): n for n in FILES}
    for line, values in table.rows:
        key, value = values[name_at], values[value_at]
        if key == "oneroster.version":
            version = value
            if value not in VERSIONS:
                problems.append(Problem(table.path, line, f"OneRoster version {value!r} is not supported "
                                                          f"(use {' or '.join(VERSIONS)})"))
        elif key.startswith("file.") and key[5:].lower() in canonical:
            mode = value.lower()
            if mode not in MODES:
                problems.append(Problem(table.path, line, f"{key} must be bulk, delta or absent, not {value!r}"))
                continue
            name = canonical[key[5:].lower()]
            modes[name] = mode
            if mode != "absent" and not (root / f"{name}.csv").is_file():
                problems.append(Problem(str(root / f"{name}.csv"), None,
                                        f"missing (manifest.csv line {line} says {key} is {mode})"))
    if not version:
        problems.append(Problem(table.path, None, "no oneroster.version line"))
    for name in FILES:
        if name not in modes and (root / f"{name}.csv").is_file():
            problems.append(Problem(table.path, None, f"{name}.csv is in the folder but the manifest has no "
                                                      f"file.{name} line (bulk, delta or absent)"))
    return version, modes


def _table(path: Path, problems: list[Problem], required: bool = False) -> _Table | None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        if required:
            problems.append(Problem(str(path), None, "missing (every OneRoster CSV export has one; it says which "
                                                     "files are bulk, delta or absent)"))
        return None
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        line = 1
        for values in reader:
            if header is None:
                header = [v.strip() for v in values]
            elif values and any(v.strip() for v in values):
                rows.append((line, values))
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(str(path), line, f"malformed CSV ({exc})"))
        return None
    if not header or not any(header):
        problems.append(Problem(str(path), 1, "empty file (no header line)"))
        return None
    return _Table(str(path), {name.lower(): i for i, name in enumerate(header) if name}, rows)


def _check_columns(table: _Table, required: Iterable[str], problems: list[Problem], sourced_id: bool = True) -> None:
    needed = (["sourcedId"] if sourced_id else []) + list(required)
    missing = [name for name in needed if name.lower() not in table.header]
    if missing:
        problems.append(Problem(table.path, 1, f"missing column{'s' if len(missing) > 1 else ''} "
                                               f"{', '.join(missing)}"))


class _Reader:
    """Turns the checked tables into records, collecting row problems."""

    def __init__(self, folder: str, version: str, modes: dict[str, str], tables: dict[str, _Table]) -> None:
        self.folder, self.version, self.modes, self.tables = folder, version, modes, tables
        self.problems: list[Problem] = []
        self.deleted: dict[str, list[Deleted]] = defaultdict(list)
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.ignored: Counter[str] = Counter()

    def read(self) -> RosterExport:
        roles = self._roles()
        people = tuple(self._each("users", "people", lambda g, line: self._person(g, line, roles)))
        files = {FILES[name][0]: t.path for name, t in self.tables.items()}
        files.update(students=files.get("people", ""), teachers=files.get("people", ""))
        kind_modes = {FILES[name][0]: mode for name, mode in self.modes.items() if name != "roles"}
        kind_modes.update(students=kind_modes.get("people", "absent"), teachers=kind_modes.get("people", "absent"))
        return RosterExport(
            self.folder, self.version, kind_modes, files,
            schools=tuple(self._each("orgs", "schools", self._school)),
            terms=tuple(self._each("academicSessions", "terms", self._term)),
            courses=tuple(self._each("courses", "courses", self._course)),
            sections=tuple(self._each("classes", "sections", self._section)),
            people=people,
            enrollments=tuple(self._each("enrollments", "enrollments", self._enrollment)),
            deleted={k: tuple(v) for k, v in self.deleted.items()},
            seen={k: frozenset(v) for k, v in self.seen.items()},
            ignored=dict(self.ignored),
            problems=tuple(sorted(self.problems, key=lambda p: (p.file, p.line or 0))),
        )  # fmt: skip

    def _rows(self, name: str) -> Iterator[tuple[int, _Get]]:
        table = self.tables.get(name)
        if table is None:
            return
        width = max(table.header.values()) + 1
        for line, values in table.rows:
            if len(values) > width and any(v.strip() for v in values[width:]):
                self._problem(table.path, line, f"{len(values)} fields, but the header has {width}")
                continue
            yield line, _Get(table.header, values)

    def _each(self, name: str, kind: str, make: Any) -> Iterator[Any]:
        path = self.tables[name].path if name in self.tables else ""
        first: dict[str, int] = {}
        for line, get in self._rows(name):
            sourced_id = get("sourcedid")
            if not sourced_id:
                self._problem(path, line, "blank sourcedId")
                continue
            self.seen[kind].add(sourced_id)
            if sourced_id in first:
                self._problem(path, line, f"sourcedId {sourced_id!r} is already on line {first[sourced_id]}")
                continue
            first[sourced_id] = line
            status = get("status").lower()
            if status in ("tobedeleted", "inactive"):
                self.deleted[kind].append(Deleted(sourced_id, line))
                continue
            if status not in ("", "active"):
                self._problem(path, line, f"status must be active or tobedeleted (or blank), not {get('status')!r}")
                continue
            try:
                record = make(get, line)
            except _RowProblem as exc:
                self._problem(path, line, str(exc))
                continue
            if record is not None:
                yield record

    def _problem(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def _school(self, get: _Get, line: int) -> SchoolRow:
        return SchoolRow(get("sourcedid"), get.required("name"), get.required("type"), get("parentsourcedid") or None,
                         line)

    def _term(self, get: _Get, line: int) -> TermRow:
        return TermRow(get("sourcedid"), get.required("title"), get.required("type"), get.date("startdate"),
                       get.date("enddate"), get("schoolyear") or None, get("parentsourcedid") or None, line)

    def _course(self, get: _Get, line: int) -> CourseRow:
        return CourseRow(get("sourcedid"), get.required("title"), get("coursecode") or None,
                         _joined(get("subjects")), _joined(get("grades")), get("orgsourcedid") or None, line)

    def _section(self, get: _Get, line: int) -> SectionRow:
        return SectionRow(get("sourcedid"), get.required("title"), get("classcode") or None,
                          get.required("courseSourcedId"), get.required("schoolSourcedId"),
                          _list(get("termsourcedids")), _joined(get("subjects")), _joined(get("grades")), line,
                          period=_joined(get("periods")))

    def _roles(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """users' role and schools from roles.csv (OneRoster 1.2): the primary role first."""
        found: dict[str, list[tuple[bool, str, str]]] = defaultdict(list)
        table = self.tables.get("roles")
        for line, get in self._rows("roles"):
            if get("status").lower() in ("tobedeleted", "inactive"):
                continue
            user, role = get("usersourcedid"), get("role")
            if not user or not role:
                self._problem(table.path if table else "", line, "blank userSourcedId or role")
                continue
            found[user].append((get("roletype").lower() != "primary", role, get("orgsourcedid")))
        out = {}
        for user, roles in found.items():
            roles.sort(key=lambda r: r[0])
            out[user] = (roles[0][1], tuple(dict.fromkeys(org for _, _, org in roles if org)))
        return out

    def _person(self, get: _Get, line: int, roles: Mapping[str, tuple[str, tuple[str, ...]]]) -> PersonRow | None:
        sourced_id = get("sourcedid")
        role = get("role")
        schools = _list(get("orgsourcedids"))
        if not role and sourced_id in roles:
            role, schools = roles[sourced_id][0], schools or roles[sourced_id][1]
        primary = get("primaryorgsourcedid")
        if primary:
            schools = (primary, *(s for s in schools if s != primary))
        kind = _kind(role)
        if kind is None and role:
            if role.lower() not in OTHER_ROLES:
                raise _RowProblem(_unknown_role(role))
            self.ignored[f"{self.tables['users'].path}: {role}"] += 1
            return None
        given = get("preferredgivenname") or get("givenname")
        family = get("preferredfamilyname") or get("familyname")
        return PersonRow(sourced_id, kind, role.lower() or None, get("username") or None, get("identifier") or None,
                         get("email") or None, get("givenname") or None, get("familyname") or None,
                         f"{given} {family}".strip() or None, _joined(get("grades")), schools, line)

    def _enrollment(self, get: _Get, line: int) -> EnrollmentRow | None:
        role = get.required("role")
        kind = _kind(role)
        if kind is None:
            if role.lower() not in OTHER_ROLES:
                raise _RowProblem(_unknown_role(role))
            self.ignored[f"{self.tables['enrollments'].path}: {role}"] += 1
            return None
        return EnrollmentRow(get("sourcedid"), get.required("classSourcedId"), get.required("userSourcedId"), kind,
                             role.lower(), get("primary").lower() == "true", line)


class _RowProblem(ValueError):
    pass


class _Get:
    """A row's fields by (lower-case) column name: stripped, blank when the row is short."""

    __slots__ = ("header", "values")

    def __init__(self, header: dict[str, int], values: list[str]) -> None:
        self.header, self.values = header, values

    def __call__(self, name: str) -> str:
        at = self.header.get(name)
        return self.values[at].strip() if at is not None and at < len(self.values) else ""

    def required(self, name: str) -> str:
        value = self(name.lower())
        if not value:
            raise _RowProblem(f"blank {name}")
        return value

    def date(self, name: str) -> dt.date | None:
        value = self(name)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _RowProblem(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def _unknown_role(role: str) -> str:
    return f"unknown role {role!r} (students: student; teachers: {', '.join(sorted(TEACHER_ROLES))})"


def _kind(role: str | None) -> str | None:
    role = (role or "").lower()
    return "student" if role in STUDENT_ROLES else "teacher" if role in TEACHER_ROLES else None


def _list(value: str) -> tuple[str, ...]:
    return tuple(v for v in (part.strip() for part in value.split(",")) if v)


def _joined(value: str) -> str | None:
    return ",".join(_list(value)) or None


# -- planning -------------------------------------------------------------------------------------------
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
