"""Reading a OneRoster 1.1 or 1.2 CSV export (a folder with ``manifest.csv``) into plain roster records.

Nothing here touches a database. :func:`read_export` reads the folder: ``manifest.csv`` says which files are
``bulk``, ``delta`` or ``absent``; every row is shape-checked and each problem is kept as ``FILE:LINE:
message``. A problem with the folder itself (a missing file or column, an unknown version) raises
:class:`RosterError` at once, listing every such problem. :func:`plan` (``roster_plan.py``) then resolves
the references between rows (a class's school, course and terms; a user's schools; an enrollment's class
and user) against the
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adaptive.domain.errors import Problem, StoreError
from adaptive.domain.roster import (
    CourseRow,
    Deleted,
    EnrollmentRow,
    PersonRow,
    RosterExport,
    SchoolRow,
    SectionRow,
    TermRow,
)
from adaptive.interop.roster_plan import plan as plan  # re-exported: read_export, then plan

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
