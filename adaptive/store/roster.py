"""Writing a planned roster import (:mod:`adaptive.interop.oneroster`) in bulk, and counting the roster.

Each kind is read once (every row the roster owns, one query), compared in Python, and written with
executemany inserts and updates: no query per row. A roster section's enrollments and teachers are then
derived from its OneRoster enrollments with a few set-based statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, exists, func, insert, select, true, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from adaptive.domain.roster import (
    KINDS,
    KindCounts,
    RosterImportReport,
    RosterPlan,
    RosterSummary,
    SchoolCounts,
    StoredRoster,
    section_alias,
)
from adaptive.store import models as m
from adaptive.store.state import utcnow

_school, _term, _course = m.School.__table__, m.Term.__table__, m.RosterCourse.__table__
_section, _student, _teacher = m.Section.__table__, m.Student.__table__, m.Teacher.__table__
_enrolled, _roster_enrolled = m.Enrollment.__table__, m.RosterEnrollment.__table__
_section_teacher, _section_term = m.SectionTeacher.__table__, m.SectionTerm.__table__
TABLES: dict[str, Table] = {"schools": _school, "terms": _term, "courses": _course, "sections": _section,
                            "students": _student, "teachers": _teacher, "enrollments": _roster_enrolled}  # fmt: skip
DEACTIVATED = ("sections", "students", "teachers")  # kept (with their history) as inactive; the rest deleted


def stored_roster(session: Session) -> StoredRoster:
    """What :func:`adaptive.interop.oneroster.plan` needs to know of the database."""
    conn = session.connection()
    ids = {kind: frozenset(conn.execute(select(t.c.sourced_id).where(t.c.sourced_id.is_not(None))).scalars())
           for kind, t in TABLES.items() if kind != "enrollments"}  # fmt: skip
    codes = {kind: dict(conn.execute(select(TABLES[kind].c.code, TABLES[kind].c.sourced_id)).all())
             for kind in DEACTIVATED}  # fmt: skip
    kinds = {sid: "teacher" for sid in ids["teachers"]} | {sid: "student" for sid in ids["students"]}
    subjects = {sid: (subject, grade) for sid, subject, grade in
                conn.execute(select(_course.c.sourced_id, _course.c.subject, _course.c.grade_level))}  # fmt: skip
    return StoredRoster(ids, codes, kinds, subjects)


class _Writer:
    def __init__(self, session: Session, plan: RosterPlan) -> None:
        self.conn: Connection = session.connection()
        self.plan = plan
        self.counts: dict[str, dict[str, int]] = {k: dict.fromkeys(("created", "updated", "unchanged", "removed"), 0)
                                                  for k in KINDS}  # fmt: skip
        self.touched: dict[str, set[str]] = {}  # kind -> sourcedIds created or updated

    def ids(self, table: Table) -> dict[str, int]:
        rows = self.conn.execute(select(table.c.sourced_id, table.c.id).where(table.c.sourced_id.is_not(None)))
        return dict(rows.all())

    def sync(self, kind: str, rows: list[dict[str, Any]], adopt: bool = False) -> set[str]:
        """Insert new rows, update changed ones (by sourced_id; ``adopt``: a row added by hand with the same code
        is taken over); returns the sourcedIds created."""
        table = TABLES[kind]
        if not rows:
            return set()
        names = [n for n in rows[0] if n != "sourced_id"]
        stored = select(table.c.sourced_id, table.c.id, *(table.c[n] for n in names))
        existing = {r[0]: r[1:] for r in self.conn.execute(stored.where(table.c.sourced_id.is_not(None)))}
        by_code = dict(self.conn.execute(select(table.c.code, table.c.id).where(table.c.sourced_id.is_(None)))
                       .all()) if adopt else {}  # fmt: skip
        inserts, updates, adopted = [], [], []
        for row in rows:
            old = existing.get(row["sourced_id"])
            if old is None and row.get("code") in by_code:
                adopted.append({"b_id": by_code[row["code"]], **{f"v_{n}": v for n, v in row.items()}})
            elif old is None:
                inserts.append(row)
            elif any(old[i + 1] != row[n] for i, n in enumerate(names)):
                updates.append({"b_id": old[0], **{f"v_{n}": row[n] for n in names}})
        if inserts:
            self.conn.execute(insert(table), inserts)
        for changes in (updates, adopted):
            if changes:
                values = {n[2:]: bindparam(n) for n in changes[0] if n != "b_id"}
                self.conn.execute(update(table).where(table.c.id == bindparam("b_id")).values(values), changes)
        self.counts[kind]["created"] += len(inserts)
        self.counts[kind]["updated"] += len(updates) + len(adopted)
        self.counts[kind]["unchanged"] += len(rows) - len(inserts) - len(updates) - len(adopted)
        updated = {u["b_id"] for u in updates}
        self.touched[kind] = {r["sourced_id"] for r in inserts} | {a["v_sourced_id"] for a in adopted} | {
            sid for sid, old in existing.items() if old[0] in updated}
        return {r["sourced_id"] for r in inserts}

    def also_changed(self, kind: str, sourced_ids: Iterable[str]) -> None:
        """Rows found unchanged by :meth:`sync` that changed afterwards (a parent, a section's terms)."""
        more = set(sourced_ids) - self.touched.setdefault(kind, set())
        self.touched[kind] |= more
        self.counts[kind]["unchanged"] -= len(more)
        self.counts[kind]["updated"] += len(more)

    def set_parents(self, kind: str, rows: Sequence[Any]) -> None:
        """Point each row at its parent (known only once new parents are inserted)."""
        table = TABLES[kind]
        ids = self.ids(table)
        current = dict(self.conn.execute(select(table.c.id, table.c.parent_id)).all())
        changes = [({"b_id": ids[r.sourced_id], "v_parent": ids.get(r.parent) if r.parent else None}, r.sourced_id)
                   for r in rows]
        changes = [(c, sid) for c, sid in changes if current.get(c["b_id"]) != c["v_parent"]]
        if changes:
            self.conn.execute(update(table).where(table.c.id == bindparam("b_id"))
                              .values(parent_id=bindparam("v_parent")), [c for c, _ in changes])
            self.also_changed(kind, (sid for _, sid in changes))

    def remove(self, kind: str, sourced_ids: Iterable[str]) -> None:
        """Delete (or for people and sections, make inactive) the roster rows with these sourcedIds."""
        table = TABLES[kind]
        wanted = set(sourced_ids)
        if not wanted:
            return
        if kind in DEACTIVATED:
            rows = self.conn.execute(select(table.c.id, table.c.sourced_id).where(table.c.active == true())).all()
            ids = [{"b_id": i} for i, sid in rows if sid in wanted]
            if ids:
                # A student's leaving starts the retention clock (cleared when a roster brings them back).
                gone = {"active": False, **({"left_roster_at": utcnow()} if kind == "students" else {})}
                self.conn.execute(update(table).where(table.c.id == bindparam("b_id")).values(gone), ids)
        else:
            found = self.ids(table)
            ids = [{"b_id": found[sid]} for sid in wanted if sid in found]
            if ids and kind in ("schools", "courses"):
                column = "school_id" if kind == "schools" else "course_id"
                users = (_student, _teacher, _section, _course) if kind == "schools" else (_section,)
                for t in users:
                    self.conn.execute(update(t).where(t.c[column] == bindparam("b_id")).values({column: None}), ids)
            if ids:
                self.conn.execute(delete(table).where(table.c.id == bindparam("b_id")), ids)
        self.counts[kind]["removed"] += len(ids)


def write(session: Session, plan: RosterPlan) -> RosterImportReport:
    """Upsert the plan's rows, remove what the export deletes (or a bulk file leaves out) and derive the roster
    sections' enrollments and teachers, in the session's transaction."""
    w = _Writer(session, plan)
    export = plan.export
    schools = w.ids(_school)
    w.sync("schools", [{"sourced_id": s.sourced_id, "name": s.name, "kind": s.kind,
                                  "parent_id": schools.get(s.parent) if s.parent else None} for s in plan.schools])
    w.set_parents("schools", plan.schools)
    terms = w.ids(_term)
    w.sync("terms", [{"sourced_id": t.sourced_id, "title": t.title, "kind": t.kind,
                                "start_date": t.start_date, "end_date": t.end_date, "school_year": t.school_year,
                                "parent_id": terms.get(t.parent) if t.parent else None} for t in plan.terms])
    w.set_parents("terms", plan.terms)
    schools = w.ids(_school)
    w.sync("courses", [{"sourced_id": c.sourced_id, "title": c.title, "course_code": c.course_code,
                        "subject": c.subject, "grade_level": c.grade_level,
                        "school_id": schools.get(c.school) if c.school else None} for c in plan.courses])
    courses = w.ids(_course)
    course_codes = dict(w.conn.execute(select(_course.c.sourced_id, _course.c.course_code)).tuples().all())
    w.sync("sections", [{"sourced_id": s.sourced_id, "code": s.code, "name": s.name, "subject": s.subject,
                         "grade_level": s.grade_level, "school_id": schools[s.school], "course_id": courses[s.course],
                         "active": True, "period": s.period,
                         "alias": section_alias(course_codes.get(s.course), s.period)}
                        for s in plan.sections], adopt=True)  # fmt: skip
    _set_terms(w, plan)
    for kind, rows in (("students", plan.students), ("teachers", plan.teachers)):
        extra = (lambda p: {"email": p.email}) if kind == "students" else (lambda p: {"email": p.email, "role": p.role})
        w.sync(kind, [{"sourced_id": p.sourced_id, "code": p.code, "name": p.name, "username": p.username,
                       "given_name": p.given_name, "family_name": p.family_name, **extra(p),
                       **({"grade_level": p.grade_level, "left_roster_at": None} if kind == "students" else {}),
                       "school_id": schools.get(p.schools[0]) if p.schools else None, "active": True}
                      for p in rows], adopt=True)  # fmt: skip
    sections, students, teachers = w.ids(_section), w.ids(_student), w.ids(_teacher)
    w.sync("enrollments", [{"sourced_id": e.sourced_id, "section_id": sections[e.section],
                            "student_id": students[e.user] if e.kind == "student" else None,
                            "teacher_id": teachers[e.user] if e.kind == "teacher" else None,
                            "role": e.role, "is_primary": e.primary} for e in plan.enrollments])  # fmt: skip
    for kind in reversed(KINDS):
        gone = {d.sourced_id for d in export.deleted.get("people" if kind in ("students", "teachers") else kind, ())}
        if export.modes.get(kind) == "bulk":
            gone |= _left_out(w, plan, kind)
        w.remove(kind, gone)
    _derive(w.conn)
    skipped = plan.skipped
    counts = tuple(KindCounts(k, **w.counts[k]) for k in KINDS)
    return RosterImportReport(export.folder, export.version, counts, skipped, tuple(sorted(export.ignored.items())),
                              plan.warnings)


def _left_out(w: _Writer, plan: RosterPlan, kind: str) -> set[str]:
    """A bulk file's roster rows of the export's schools that the file does not list at all: a bulk export is
    the whole roster of its schools. Schools, terms and courses it leaves out are kept."""
    if kind in ("schools", "terms", "courses"):
        return set()
    export = plan.export
    seen = export.seen.get("people" if kind in ("students", "teachers") else kind, frozenset())
    school_ids = w.ids(_school)
    scope = {school_ids[s] for s in export.seen.get("schools", frozenset()) if s in school_ids}
    scope |= {school_ids[s.school] for s in plan.sections if s.school in school_ids}
    scope |= {school_ids[p.schools[0]] for p in (*plan.students, *plan.teachers)
              if p.schools and p.schools[0] in school_ids}
    if kind == "enrollments":
        rows = w.conn.execute(select(_roster_enrolled.c.sourced_id, _section.c.school_id)
                              .join(_section, _section.c.id == _roster_enrolled.c.section_id)).all()
    else:
        table = TABLES[kind]
        rows = w.conn.execute(select(table.c.sourced_id, table.c.school_id)
                              .where(table.c.sourced_id.is_not(None), table.c.active == true())).all()
    return {sid for sid, school in rows if school in scope and sid not in seen}


def _set_terms(w: _Writer, plan: RosterPlan) -> None:
    sections, terms = w.ids(_section), w.ids(_term)
    wanted = {(sections[s.sourced_id], terms[t]) for s in plan.sections for t in s.terms}
    touched = {sections[s.sourced_id] for s in plan.sections}
    current = {(s, t) for s, t in w.conn.execute(select(_section_term.c.section_id, _section_term.c.term_id))
               if s in touched}  # fmt: skip
    if wanted - current:
        w.conn.execute(insert(_section_term), [{"section_id": s, "term_id": t} for s, t in sorted(wanted - current)])
    if current - wanted:
        w.conn.execute(delete(_section_term).where(_section_term.c.section_id == bindparam("b_s"),
                                                   _section_term.c.term_id == bindparam("b_t")),
                       [{"b_s": s, "b_t": t} for s, t in sorted(current - wanted)])
    changed = {s for s, _ in wanted ^ current}
    w.also_changed("sections", (s.sourced_id for s in plan.sections if sections[s.sourced_id] in changed))


def _derive(conn: Connection) -> None:
    """Roster sections' enrollments and teachers from their OneRoster enrollments (of active people)."""
    if conn.dialect.name == "postgresql":
        # Rows just written in this transaction have no statistics yet: without them the planner takes the
        # anti-joins below for tiny tables and runs them as nested loops (minutes on a district's roster).
        conn.exec_driver_sql("ANALYZE roster_enrollment, enrollment, section, student, teacher, section_teacher")
    re, s, st = _roster_enrolled, _section, _student
    live = (select(re.c.section_id, re.c.student_id).distinct()
            .join(s, and_(s.c.id == re.c.section_id, s.c.active == true()))
            .join(st, and_(st.c.id == re.c.student_id, st.c.active == true())))
    missing = live.where(~exists().where(_enrolled.c.section_id == re.c.section_id,
                                         _enrolled.c.student_id == re.c.student_id))
    conn.execute(insert(_enrolled).from_select(["section_id", "student_id"], missing))
    roster_sections = select(s.c.id).where(s.c.sourced_id.is_not(None))
    kept = (select(re.c.id).join(s, and_(s.c.id == re.c.section_id, s.c.active == true()))
            .join(st, and_(st.c.id == re.c.student_id, st.c.active == true()))
            .where(re.c.section_id == _enrolled.c.section_id, re.c.student_id == _enrolled.c.student_id))
    conn.execute(delete(_enrolled).where(_enrolled.c.section_id.in_(roster_sections), ~exists(kept)))
    _derive_teachers(conn)


def _derive_teachers(conn: Connection) -> None:
    re, s, t = _roster_enrolled, _section, _teacher
    wanted: dict[tuple[int, int], tuple[str, bool]] = {}
    rows = conn.execute(select(re.c.section_id, re.c.teacher_id, re.c.role, re.c.is_primary)
                        .join(s, and_(s.c.id == re.c.section_id, s.c.active == true()))
                        .join(t, and_(t.c.id == re.c.teacher_id, t.c.active == true()))
                        .order_by(re.c.section_id, re.c.teacher_id, re.c.is_primary.desc(), re.c.role))
    for section_id, teacher_id, role, primary in rows:
        pair = (section_id, teacher_id)
        if pair not in wanted:
            wanted[pair] = (role, bool(primary))
    roster = set(conn.execute(select(s.c.id).where(s.c.sourced_id.is_not(None))).scalars())
    current = {(a, b): (role, bool(p)) for a, b, role, p in conn.execute(select(_section_teacher)) if a in roster}
    st = _section_teacher
    new = [{"section_id": a, "teacher_id": b, "role": r, "is_primary": p}
           for (a, b), (r, p) in wanted.items() if (a, b) not in current]
    changed = [{"b_s": a, "b_t": b, "v_role": r, "v_primary": p}
               for (a, b), (r, p) in wanted.items() if (a, b) in current and current[(a, b)] != (r, p)]
    gone = [{"b_s": a, "b_t": b} for a, b in current if (a, b) not in wanted]
    pair = and_(st.c.section_id == bindparam("b_s"), st.c.teacher_id == bindparam("b_t"))
    if new:
        conn.execute(insert(st), new)
    if changed:
        conn.execute(update(st).where(pair).values(role=bindparam("v_role"), is_primary=bindparam("v_primary")),
                     changed)
    if gone:
        conn.execute(delete(st).where(pair), gone)
    # The section's teacher_id: its primary teacher (a "teacher" before an aide or proctor), else none.
    best: dict[int, tuple[tuple[bool, bool, int], int]] = {}
    for (a, b), (role, primary) in wanted.items():
        rank = (not primary, role != "teacher", b)
        if a not in best or rank < best[a][0]:
            best[a] = (rank, b)
    now = dict(conn.execute(select(s.c.id, s.c.teacher_id).where(s.c.sourced_id.is_not(None))).all())
    moves = [{"b_id": a, "v_teacher": best[a][1] if a in best else None} for a in roster
             if now.get(a) != (best[a][1] if a in best else None)]
    if moves:
        conn.execute(update(s).where(s.c.id == bindparam("b_id")).values(teacher_id=bindparam("v_teacher")), moves)


def summary(session: Session) -> RosterSummary:
    """Active students, teachers and sections, enrollments, and the same per school."""
    conn = session.connection()

    def per_school(table: Table) -> dict[int | None, int]:
        return dict(conn.execute(select(table.c.school_id, func.count()).where(table.c.active == true())
                                 .group_by(table.c.school_id)).all())

    students, teachers, sections = per_school(_student), per_school(_teacher), per_school(_section)
    enrolled = dict(conn.execute(
        select(_section.c.school_id, func.count()).join(_enrolled, _enrolled.c.section_id == _section.c.id)
        .where(_section.c.active == true()).group_by(_section.c.school_id)).all())
    names = {i: (sid, name) for i, sid, name in conn.execute(select(_school.c.id, _school.c.sourced_id,
                                                                      _school.c.name))}
    schools = sorted(set(students) | set(teachers) | set(sections) | set(enrolled),
                     key=lambda i: (i is None, names[i][1] if i in names else ""))
    rows = tuple(SchoolCounts(*(names.get(i) or (None, None)), students.get(i, 0), teachers.get(i, 0),
                              sections.get(i, 0), enrolled.get(i, 0)) for i in schools)
    inactive = conn.execute(select(func.count()).select_from(_student).where(_student.c.active != true())).scalar_one()
    n_teachers = conn.execute(select(func.count()).select_from(_section_teacher)).scalar_one()
    return RosterSummary(sum(students.values()), sum(teachers.values()), sum(sections.values()), sum(enrolled.values()),
                         n_teachers, inactive, rows)

