"""Goals, their check-in reflections, students asking for help, and chat identities, as the facade reads and
writes them (plain records out, no ORM rows)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from adaptive.domain import StoreError, UnknownRecord
from adaptive.domain.chat import HELP_RULE, ChatLink, CheckIn, Person, Reflection, ascii_lower
from adaptive.domain.decisions import FlagInfo
from adaptive.domain.reports import GoalInfo
from adaptive.store import lookups, teacher
from adaptive.store import models as m
from adaptive.store.lookups import require
from adaptive.store.state import from_db_time, to_db_time, utcnow


def goal_info(session: Session, row: m.Goal) -> GoalInfo:
    comp = session.get(m.Competency, row.competency_id).code if row.competency_id else None  # type: ignore[union-attr]
    return GoalInfo(row.id, row.description, comp, from_db_time(row.deadline), from_db_time(row.created_at),  # type: ignore[arg-type]
                    from_db_time(row.closed_at))


def goals(session: Session, student: str, open_only: bool) -> list[GoalInfo]:
    student_id = require(session, m.Student, student, "student")
    g = m.Goal
    q = select(g).where(g.student_id == student_id).order_by(g.created_at, g.id)
    if open_only:
        q = q.where(g.closed_at.is_(None))
    return [goal_info(session, row) for row in session.scalars(q)]


def _goal(session: Session, goal_id: int) -> m.Goal:
    row = session.get(m.Goal, goal_id)
    if row is None:
        raise UnknownRecord(f"unknown goal {goal_id}")
    return row


def close_goal(session: Session, goal_id: int) -> GoalInfo:
    row = _goal(session, goal_id)
    if row.closed_at is None:
        row.closed_at = utcnow()
        session.flush()
    return goal_info(session, row)


def add_reflection(session: Session, goal_id: int, prompt: str, answer: str) -> Reflection:
    _goal(session, goal_id)
    if not answer.strip():
        raise StoreError("a reflection needs an answer")
    row = m.GoalReflection(goal_id=goal_id, prompt=prompt, answer=answer.strip(), answered_at=utcnow())
    session.add(row)
    session.flush()
    return Reflection(goal_id, row.prompt, row.answer, from_db_time(row.answered_at))  # type: ignore[arg-type]


def reflections(session: Session, goal_id: int) -> list[Reflection]:
    _goal(session, goal_id)
    r = m.GoalReflection
    rows = session.scalars(select(r).where(r.goal_id == goal_id).order_by(r.answered_at, r.id))
    return [Reflection(goal_id, x.prompt, x.answer, from_db_time(x.answered_at)) for x in rows]  # type: ignore[arg-type]


def checkins(session: Session, section: str | None, student: str | None, since: datetime | None,
             teacher_code: str | None) -> list[CheckIn]:
    """Check-in answers of one section's students (or one student's), oldest first, answered at or after
    ``since``. With ``teacher_code``, only that teacher's students: a section or student of someone else's is
    refused (StoreError), not silently empty."""
    g, r, s = m.Goal, m.GoalReflection, m.Student
    q = (select(s.code, s.name, g.id, g.description, m.Competency.code, r.prompt, r.answer, r.answered_at)
         .join(g, g.id == r.goal_id).join(s, s.id == g.student_id)
         .outerjoin(m.Competency, m.Competency.id == g.competency_id).order_by(r.answered_at, r.id))
    if section is not None:
        section_id, section = lookups.section(session, section)  # a code, sourcedId or alias: the real code
        q = q.where(g.student_id.in_(select(m.Enrollment.student_id).where(m.Enrollment.section_id == section_id)))
    student_id = require(session, m.Student, student, "student") if student is not None else None
    if student_id is not None:
        q = q.where(g.student_id == student_id)
    if teacher_code is not None:
        mine = teacher_sections(session, teacher_code)
        if section is not None and section not in mine:
            raise StoreError(f"{teacher_code} does not teach section {section!r}: only a student's teachers may "
                             "read their check-ins")
        e = m.Enrollment
        enrolled = select(e.student_id).where(e.section_id.in_(select(m.Section.id).where(m.Section.code.in_(mine))))
        if student_id is not None and session.scalar(enrolled.where(e.student_id == student_id).limit(1)) is None:
            raise StoreError(f"{student!r} is not a student of {teacher_code}: only a student's teachers may read "
                             "their check-ins")
        q = q.where(g.student_id.in_(enrolled))
    if since is not None:
        q = q.where(r.answered_at >= to_db_time(since))
    return [CheckIn(code, name, goal_id, goal, comp, prompt, answer, from_db_time(at))  # type: ignore[arg-type]
            for code, name, goal_id, goal, comp, prompt, answer, at in session.execute(q)]


def ask_for_help(session: Session, student: str, note: str, competency: str | None) -> FlagInfo:
    """Raise (or add to) the student's open help flag on ``competency``; without one, on the competency of
    their latest decision (what they are working on), else the first competency of the first course."""
    student_id = require(session, m.Student, student, "student")
    if competency is not None:
        cid = require(session, m.Competency, competency, "competency")
    else:
        d, cc = m.Decision, m.CourseCompetency
        cid = session.scalar(select(d.competency_id).where(d.student_id == student_id)
                             .order_by(d.made_at.desc(), d.id.desc()).limit(1))
        cid = cid or session.scalar(select(cc.competency_id).order_by(cc.course_id, cc.position).limit(1))
        if cid is None:
            raise StoreError("there is no competency to ask for help on: import a course first")
    words = " ".join(note.split()) or "(no words)"
    f, now = m.Flag, utcnow()
    row = session.scalar(select(f).where(f.student_id == student_id, f.competency_id == cid, f.resolved_at.is_(None)))
    if row is None:  # one open flag per (student, competency): the words join a flag the rules raised
        row = m.Flag(student_id=student_id, competency_id=cid, rule_id=HELP_RULE, reason="", reasons=[],
                     evidence={"notes": []}, raised_at=now)
        session.add(row)
    reasons = [dict(r) for r in row.reasons or []]
    help_entry = next((r for r in reasons if r["rule_id"] == HELP_RULE), None)
    if help_entry is None:
        help_entry = {"rule_id": HELP_RULE, "reason": f"asked for help: \u201c{words}\u201d",
                      "evidence": {"notes": [words]}, "at": now.isoformat()}
        reasons.append(help_entry)
    else:
        help_entry["reason"] = f"{help_entry['reason']}; \u201c{words}\u201d"
        help_entry["evidence"] = {"notes": [*help_entry.get("evidence", {}).get("notes", []), words]}
    row.reasons, row.updated_at = reasons, now
    row.reason = "; ".join(r["reason"] for r in reasons)
    if row.rule_id == HELP_RULE:
        row.evidence = help_entry["evidence"]
    session.flush()
    return next(x for x in teacher.flags(session, None, True) if x.id == row.id)


def chat_person(session: Session, platform: str, user_id: str) -> Person | None:
    c = m.ChatIdentity
    row = session.get(c, (platform, user_id))
    if row is None:
        return None
    if row.student_id is not None:
        s = session.get(m.Student, row.student_id)
        return Person("student", s.code, s.name)  # type: ignore[union-attr]
    t = session.get(m.Teacher, row.teacher_id)
    return Person("teacher", t.code, t.name)  # type: ignore[union-attr]


def chat_links(session: Session) -> list[ChatLink]:
    """Every chat user's link, by platform and user id, with the person it names."""
    c, st, t = m.ChatIdentity, m.Student, m.Teacher
    rows = session.execute(
        select(c.platform, c.user_id, c.linked_by, c.linked_at, st.code, st.name, t.code, t.name)
        .outerjoin(st, st.id == c.student_id).outerjoin(t, t.id == c.teacher_id).order_by(c.platform, c.user_id))
    return [ChatLink(platform, user_id, Person("student", scode, sname) if scode is not None
                     else Person("teacher", tcode, tname), by, from_db_time(at))
            for platform, user_id, by, at, scode, sname, tcode, tname in rows]


def person_by_code(session: Session, code: str) -> Person | None:
    for model, role in ((m.Student, "student"), (m.Teacher, "teacher")):
        found = session.execute(select(model.code, model.name).where(model.code == code)).first()
        if found is not None:
            return Person(role, found[0], found[1])  # type: ignore[arg-type]
    return None


def people_by_email(session: Session, email: str) -> list[Person]:
    """The active students and teachers whose roster e-mail is ``email``, compared with A-Z lower-cased and
    nothing else folded (the database's lower() only narrows the search: it may fold look-alikes)."""
    wanted = ascii_lower(email.strip())
    if not wanted:
        return []
    found: list[Person] = []
    for model, role in ((m.Student, "student"), (m.Teacher, "teacher")):
        rows = session.execute(select(model.code, model.name, model.email).where(
            func.lower(model.email) == func.lower(email.strip()), model.active.is_(True)).order_by(model.code)).all()
        found += [Person(role, code, name) for code, name, address in rows  # type: ignore[arg-type]
                  if ascii_lower((address or "").strip()) == wanted]
    return found


def person_by_email(session: Session, email: str) -> Person | None:
    """The one active student or teacher whose roster e-mail is ``email`` (A-Z in any case); None when nobody
    has it, or more than one person does (two students, or a student and a teacher: it names nobody)."""
    found = people_by_email(session, email)
    return found[0] if len(found) == 1 else None


def link(session: Session, platform: str, user_id: str, student: str | None, teacher_code: str | None,
         by: str | None) -> Person:
    """Link a chat user; linking them again to the same person changes nothing. A link never replaces another:
    a chat user linked to someone else must be unlinked first (:func:`unlink`)."""
    if (student is None) == (teacher_code is None):
        raise StoreError("link a chat user to exactly one of a student or a teacher")
    if not platform or not user_id:
        raise StoreError("a chat user needs a platform and a user id")
    sid = require(session, m.Student, student, "student") if student else None
    tid = require(session, m.Teacher, teacher_code, "teacher") if teacher_code else None
    row = session.get(m.ChatIdentity, (platform, user_id))
    if row is not None and (row.student_id, row.teacher_id) != (sid, tid):
        raise StoreError(f"{platform} user {user_id} is already linked to someone else: unlink it first")
    if row is None:
        session.add(m.ChatIdentity(platform=platform, user_id=user_id, student_id=sid, teacher_id=tid, linked_by=by,
                                   linked_at=utcnow()))  # fmt: skip
        session.flush()
    return chat_person(session, platform, user_id)  # type: ignore[return-value]


def unlink(session: Session, platform: str, user_id: str) -> Person | None:
    """Remove a chat user's link; the person it named, or None when there was none."""
    person = chat_person(session, platform, user_id)
    if person is not None:
        session.execute(delete(m.ChatIdentity).where(m.ChatIdentity.platform == platform,
                                                     m.ChatIdentity.user_id == user_id))  # fmt: skip
    return person


def teacher_sections(session: Session, teacher_code: str) -> list[str]:
    """Codes of the active sections the teacher teaches (as primary teacher or listed in section_teacher)."""
    tid = require(session, m.Teacher, teacher_code, "teacher")
    s, st = m.Section, m.SectionTeacher
    listed = select(st.section_id).where(st.teacher_id == tid)
    q = (select(s.code).where(or_(s.teacher_id == tid, s.id.in_(listed)), s.active.is_(True)).order_by(s.code))
    return list(session.scalars(q))


def set_followup(session: Session, platform: str, user_id: str, kind: str, state: dict[str, Any],
                 now: datetime | None) -> None:
    if not platform or not user_id or not kind:
        raise StoreError("a chat follow-up needs a platform, a user id and a kind")
    row = session.get(m.ChatFollowup, (platform, user_id))
    if row is None:
        row = m.ChatFollowup(platform=platform, user_id=user_id)
        session.add(row)
    row.kind, row.state, row.asked_at = kind, dict(state), to_db_time(now) if now else utcnow()
    session.flush()


def take_followup(session: Session, platform: str, user_id: str, max_age: timedelta,
                  now: datetime | None) -> tuple[str, dict[str, Any]] | None:
    """Delete the chat user's follow-up and return (kind, state) when it was asked within ``max_age`` of
    ``now``; None when there is none, it is older, or another transaction took it first (the delete of the
    row as read is what claims it)."""
    f = m.ChatFollowup
    found = session.execute(select(f.kind, f.state, f.asked_at).where(
        f.platform == platform, f.user_id == user_id)).first()
    if found is None:
        return None
    kind, state, asked_at = found
    taken = session.execute(delete(f).where(f.platform == platform, f.user_id == user_id,
                                            f.asked_at == asked_at, f.kind == kind))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    fresh = asked_at >= (to_db_time(now) if now else utcnow()) - max_age
    return (kind, dict(state)) if fresh else None
