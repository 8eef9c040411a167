"""Erasing students: every row that references one of them, in every table, in the caller's transaction.

:data:`STUDENT_TABLES` is the list of those tables (tests/store/test_privacy.py holds it to the schema: a new
table that references a student, directly or through another table, must be added here and to the export in
:mod:`adaptive.store.student_export`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, exists, func, or_, select, true, tuple_
from sqlalchemy.orm import Session

from adaptive.store import models as m
from adaptive.store.repository import chunks

# Table -> the kind of data its rows are, as the export and an erasure receipt name it.
STUDENT_TABLES: dict[str, str] = {
    "student": "student",
    "enrollment": "sections",
    "roster_enrollment": "roster_enrollments",
    "response": "responses",
    "mastery_state": "mastery",
    "decision": "decisions",
    "flag": "flags",  # help requests are flags too (rule student-asked-for-help)
    "competency_skip": "skipped_competencies",
    "playlist_change": "playlist_changes",
    "goal": "goals",
    "goal_reflection": "check_ins",  # through goal
    "small_group_member": "small_groups",
    "progress_update": "progress_messages",
    "chat_identity": "chat_accounts",
    "chat_conversation": "chat_conversations",  # through chat_identity, or the student's e-mail
    "chat_followup": "chat_questions",  # through chat_identity
    "xapi_actor": "xapi_identities",
    "web_sign_in": "sign_in_links",  # the web app's one-time links (digests only)
    "audit_entry": "access_log",  # by student code (no foreign key): who read or changed their data
}
# Deleted in this order: what references a row goes before it (no SET NULL or cascade does the work unseen).
_ORDER = ("goal_reflection", "goal", "chat_followup", "chat_conversation", "chat_identity", "progress_update",
          "small_group_member", "playlist_change", "competency_skip", "flag", "decision", "mastery_state",
          "response", "xapi_actor", "web_sign_in", "roster_enrollment", "enrollment", "audit_entry",
          "student")  # fmt: skip
_table: dict[str, Table] = {t.name: t for t in m.Base.metadata.sorted_tables}


def erase(session: Session, ids: Collection[int] | None) -> tuple[dict[str, int], int]:
    """Delete the students with these ids (None: every student) and everything that references them; returns
    (rows per kind, small groups left empty and removed with them)."""
    conn = session.connection()
    session.flush()
    id_list = None if ids is None else sorted(ids)
    if id_list == []:
        return dict.fromkeys(STUDENT_TABLES.values(), 0), 0
    counts = dict.fromkeys(STUDENT_TABLES.values(), 0)
    for where in _by_student(m.Student.id, id_list):  # no answer of theirs is recorded meanwhile (PostgreSQL)
        if where is not None:
            session.execute(select(m.Student.id).where(where).with_for_update())
    accounts, emails = chat_keys(session, id_list)
    groups = _groups_of(session, id_list)

    def run(name: str, where: Iterable[ColumnElement[bool] | None]) -> None:
        t = _table[name]
        for condition in where:
            statement = delete(t) if condition is None else delete(t).where(condition)
            counts[STUDENT_TABLES[name]] += conn.execute(statement).rowcount or 0

    for name in _ORDER:
        t = _table[name]
        if name == "goal_reflection":
            goal = _table["goal"]
            run(name, (t.c.goal_id.in_(select(goal.c.id).where(c)) if c is not None else None
                       for c in _by_student(goal.c.student_id, id_list)))
        elif name in ("chat_followup", "chat_conversation"):
            keys = tuple_(t.c.platform, t.c.user_id)
            run(name, (keys.in_(part) for part in chunks(accounts)))
            if name == "chat_conversation":
                run(name, (t.c.email.in_(part) for part in chunks(emails)))
        elif name == "student":
            run(name, _by_student(t.c.id, id_list))
        elif name == "audit_entry":  # entries name the student by code, and stay for nobody once they are gone
            codes = (session.scalars(select(m.Student.code).where(c)).all() if c is not None else None
                     for c in _by_student(m.Student.id, id_list))
            run(name, (t.c.student.is_not(None) if part is None else t.c.student.in_(part) for part in codes))
        elif name in ("chat_identity", "roster_enrollment", "web_sign_in"):
            run(name, (and_(c, t.c.student_id.is_not(None)) if c is not None else t.c.student_id.is_not(None)
                       for c in _by_student(t.c.student_id, id_list)))
        else:
            run(name, _by_student(t.c.student_id, id_list))
    return counts, _remove_empty_groups(session, groups)


def _by_student(column: Any, ids: list[int] | None) -> Iterable[ColumnElement[bool] | None]:
    """The conditions (one per chunk of ids) that pick these students' rows; None: every row."""
    if ids is None:
        yield None
        return
    for part in chunks(ids):
        yield column.in_(part)


def chat_keys(session: Session, ids: list[int] | None) -> tuple[list[tuple[str, str]], list[str]]:
    """The students' chat accounts (linked to them, or known to the platform by their address), and their
    e-mail addresses (lower case) that no one else keeps: conversations under those addresses are theirs."""
    ci, s, t = m.ChatIdentity, m.Student, m.Teacher
    accounts: set[tuple[str, str]] = set()
    mine: set[str] = set()
    for where in _by_student(s.id, ids):
        q = select(ci.platform, ci.user_id).join(s, s.id == ci.student_id)
        accounts |= set(session.execute(q if where is None else q.where(where)).tuples())
        q2 = select(s.email).where(s.email.is_not(None))
        mine |= {e.strip().lower() for e in session.scalars(q2 if where is None else q2.where(where))}
    others: set[str] = set()
    wanted = set(ids) if ids is not None else None
    for part in chunks(sorted(mine)):  # the same address kept by a teacher or by a student who stays
        others |= {e.strip().lower() for e in session.scalars(select(t.email).where(func.lower(t.email).in_(part)))}
        if wanted is not None:
            others |= {e.strip().lower() for i, e in session.execute(select(s.id, s.email)
                                                                     .where(func.lower(s.email).in_(part)))
                       if i not in wanted}
    emails = sorted(mine - others)
    cc = m.ChatConversation
    for part in chunks(emails):  # a chat user the platform knows by the student's address is theirs too
        accounts |= set(session.execute(select(cc.platform, cc.user_id).where(cc.email.in_(part))).tuples())
    return sorted(accounts), emails


def _groups_of(session: Session, ids: list[int] | None) -> set[int]:
    sgm = m.SmallGroupMember
    found: set[int] = set()
    for where in _by_student(sgm.student_id, ids):
        q = select(sgm.group_id).distinct()
        found |= set(session.scalars(q if where is None else q.where(where)))
    return found


def _remove_empty_groups(session: Session, groups: set[int]) -> int:
    """Remove the issued small groups the erasure left without a member (the rest of their list stays)."""
    sg, sgm = m.SmallGroup, m.SmallGroupMember
    removed = 0
    for part in chunks(sorted(groups)):
        removed += session.execute(delete(sg).where(sg.id.in_(part), ~exists().where(sgm.group_id == sg.id))
                                   ).rowcount or 0  # type: ignore[attr-defined]
    return removed


def section_students(session: Session, section_id: int) -> tuple[set[int], set[int]]:
    """(students enrolled only in this section, students also enrolled in another one): an enrollment is the
    tutor's or the roster's."""
    e, re = m.Enrollment, m.RosterEnrollment
    here = set(session.scalars(select(e.student_id).where(e.section_id == section_id)))
    here |= set(session.scalars(select(re.student_id).where(re.section_id == section_id, re.student_id.is_not(None))))
    elsewhere: set[int] = set()
    for part in chunks(sorted(here)):
        elsewhere |= set(session.scalars(select(e.student_id).where(e.student_id.in_(part),
                                                                    e.section_id != section_id)))
        elsewhere |= set(session.scalars(select(re.student_id).where(re.student_id.in_(part),
                                                                     re.section_id != section_id)))
    return here - elsewhere, here & elsewhere


def leave_section(session: Session, section_id: int, ids: Collection[int]) -> dict[str, int]:
    """Remove these students' enrollments (the tutor's and the roster's) in one section: rows per kind."""
    conn = session.connection()
    counts = {"sections": 0, "roster_enrollments": 0}
    for part in chunks(sorted(ids)):
        for name, kind in (("roster_enrollment", "roster_enrollments"), ("enrollment", "sections")):
            t = _table[name]
            counts[kind] += conn.execute(delete(t).where(t.c.section_id == section_id, t.c.student_id.in_(part))
                                         ).rowcount or 0
    return counts


def inactive(session: Session, left_before: datetime, silent_since: datetime
             ) -> list[tuple[int, str, datetime, datetime | None]]:
    """(id, code, left the roster at, last answer at) of the inactive students the roster removed before
    ``left_before`` who have answered nothing since ``silent_since`` (naive UTC; when they answered, not when
    the answer was imported), by code."""
    s, r = m.Student, m.Response
    last = select(r.student_id, func.max(r.answered_at).label("answered")).group_by(r.student_id).subquery()
    q = (select(s.id, s.code, s.left_roster_at, last.c.answered)
         .outerjoin(last, last.c.student_id == s.id)
         .where(s.active != true(), s.left_roster_at.is_not(None), s.left_roster_at <= left_before,
                or_(last.c.answered.is_(None), last.c.answered < silent_since))
         .order_by(s.code))
    return [(i, code, left, answered) for i, code, left, answered in session.execute(q)]
