"""Everything stored about one student, as plain JSON-ready values a parent can read: codes with names and
titles, ISO 8601 times (UTC), each list in time order. The tables read are those of
:data:`adaptive.store.privacy.STUDENT_TABLES`."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from adaptive.domain.chat import HELP_RULE
from adaptive.store import models as m
from adaptive.store.privacy import chat_keys
from adaptive.store.state import from_db_time


def when(value: datetime | date | None) -> str | None:
    """ISO 8601: a stored (naive UTC) time with its +00:00, a day as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return from_db_time(value).isoformat()  # type: ignore[union-attr]
    return value.isoformat()


class _Names:
    """Competency and content item codes with their names, read once per export."""

    def __init__(self, session: Session) -> None:
        self.competencies = {i: (c, n) for i, c, n in session.execute(select(m.Competency.id, m.Competency.code,
                                                                             m.Competency.name))}
        self.items = {i: (c, t) for i, c, t in session.execute(select(m.ContentItem.id, m.ContentItem.code,
                                                                      m.ContentItem.title))}

    def competency(self, cid: int | None) -> dict[str, str | None]:
        code, name = self.competencies.get(cid, (None, None)) if cid is not None else (None, None)
        return {"competency": code, "competency_name": name}

    def item(self, iid: int | None) -> dict[str, str | None]:
        code, title = self.items.get(iid, (None, None)) if iid is not None else (None, None)
        return {"item": code, "item_title": title}


def _sorted(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r[key] is None, r[key] or ""))


def export(session: Session, student_id: int) -> dict[str, Any]:
    """The student's data by kind (see :data:`adaptive.domain.privacy.KINDS`)."""
    s = session.get_one(m.Student, student_id)
    names = _Names(session)
    school = session.scalar(select(m.School.name).where(m.School.id == s.school_id)) if s.school_id else None
    out: dict[str, Any] = {"student": {
        "code": s.code, "name": s.name, "given_name": s.given_name, "family_name": s.family_name, "email": s.email,
        "username": s.username, "grade_level": s.grade_level, "school": school, "roster_id": s.sourced_id,
        "active": bool(s.active), "left_roster_at": when(s.left_roster_at)}}
    sec, e = m.Section, m.Enrollment
    out["sections"] = sorted(({"section": code, "name": name, "period": period} for code, name, period in
                              session.execute(select(sec.code, sec.name, sec.period).join(e, e.section_id == sec.id)
                                              .where(e.student_id == student_id))), key=lambda r: r["section"])
    re = m.RosterEnrollment
    out["roster_enrollments"] = sorted(({"roster_id": sid, "section": code, "role": role} for sid, code, role in
                                        session.execute(select(re.sourced_id, sec.code, re.role)
                                                        .join(sec, sec.id == re.section_id)
                                                        .where(re.student_id == student_id))),
                                       key=lambda r: r["roster_id"])
    r = m.Response
    out["responses"] = _sorted([
        {"answered_at": when(x.answered_at), **names.competency(x.competency_id), **names.item(x.item_id),
         "correct": x.correct, "score": x.score, "evidence": x.evidence, "attempt": x.attempt, "source": x.source,
         "recorded_at": when(x.recorded_at), "key": x.idempotency_key,
         "voided": None if x.voided_at is None else {"at": when(x.voided_at), "by": x.voided_by,
                                                     "reason": x.void_reason}}
        for x in session.scalars(select(r).where(r.student_id == student_id).order_by(r.answered_at, r.id))],
        "answered_at")
    ms = m.MasteryState
    out["mastery"] = _sorted([
        {"updated_at": when(x.updated_at), **names.competency(x.competency_id), "p_mastered": x.p_mastered,
         "attempts": x.attempts, "correct_answers": x.correct_count, "wrong_in_a_row": x.wrong_streak,
         "last_response_at": when(x.last_response_at), "last_right_answer_at": when(x.last_success_at)}
        for x in session.scalars(select(ms).where(ms.student_id == student_id))], "updated_at")
    d = m.Decision
    out["decisions"] = _sorted([
        {"made_at": when(x.made_at), **names.competency(x.competency_id), "rules_version": x.ruleset_version,
         "rules_fired": x.fired, "actions": x.actions, "evidence": x.evidence}
        for x in session.scalars(select(d).where(d.student_id == student_id))], "made_at")
    out["flags"], out["help_requests"] = _flags(session, student_id, names)
    sk = m.Skip
    out["skipped_competencies"] = _sorted([
        {"skipped_at": when(x.skipped_at), **names.competency(x.competency_id), "rule": x.rule_id}
        for x in session.scalars(select(sk).where(sk.student_id == student_id))], "skipped_at")
    pc = m.PlaylistChange
    out["playlist_changes"] = _sorted([
        {"made_at": when(x.made_at), "change": x.change, **names.item(x.item_id), "made_by": x.made_by,
         "note": x.note, "undone_at": when(x.undone_at)}
        for x in session.scalars(select(pc).where(pc.student_id == student_id))], "made_at")
    out["goals"], out["check_ins"] = _goals(session, student_id, names)
    out["small_groups"] = _small_groups(session, student_id, names)
    pu = m.ProgressUpdate
    out["progress_messages"] = _sorted([
        {"claimed_at": when(x.claimed_at), "platform": x.platform, "kind": x.kind, "about": x.key,
         "announced": x.announced}
        for x in session.scalars(select(pu).where(pu.student_id == student_id))], "claimed_at")
    out.update(_chat(session, student_id))
    xa = m.XapiActor
    out["xapi_identities"] = [{"identifier": ifi} for ifi in
                              session.scalars(select(xa.ifi).where(xa.student_id == student_id).order_by(xa.ifi))]
    ws = m.WebSignIn  # the link's token is not stored, only its digest: nothing here signs anyone in
    out["sign_in_links"] = [{"created_at": when(x.created_at), "expires_at": when(x.expires_at),
                             "used_at": when(x.used_at)}
                            for x in session.scalars(select(ws).where(ws.student_id == student_id).order_by(ws.id))]
    ae = m.AuditEntry  # FERPA: a family may see who was shown their child's records
    out["access_log"] = [{"at": when(x.at), "who": x.actor, "action": x.action, "what": x.what, "detail": x.detail}
                         for x in session.scalars(select(ae).where(ae.student == s.code).order_by(ae.at, ae.id))]
    return out


def _flags(session: Session, student_id: int, names: _Names) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    f = m.Flag
    flags, helps = [], []
    for x in session.scalars(select(f).where(f.student_id == student_id)):
        flags.append({"raised_at": when(x.raised_at), **names.competency(x.competency_id), "rule": x.rule_id,
                      "reason": x.reason, "reasons": x.reasons, "evidence": x.evidence,
                      "resolved_at": when(x.resolved_at), "resolved_by": x.resolved_by, "resolution": x.resolution})
        for entry in x.reasons or []:
            if entry.get("rule_id") == HELP_RULE:
                helps.append({"asked_at": entry.get("at"), **names.competency(x.competency_id),
                              "notes": list(entry.get("evidence", {}).get("notes", []))})
    return _sorted(flags, "raised_at"), _sorted(helps, "asked_at")


def _goals(session: Session, student_id: int, names: _Names) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    g, gr = m.Goal, m.GoalReflection
    goals = {x.id: x for x in session.scalars(select(g).where(g.student_id == student_id))}
    listed = [{"created_at": when(x.created_at), "goal": x.description, **names.competency(x.competency_id),
               "deadline": when(x.deadline), "closed_at": when(x.closed_at)} for x in goals.values()]
    checkins = [{"answered_at": when(x.answered_at), "goal": goals[x.goal_id].description, "prompt": x.prompt,
                 "answer": x.answer}
                for x in session.scalars(select(gr).where(gr.goal_id.in_(goals)))] if goals else []
    return _sorted(listed, "created_at"), _sorted(checkins, "answered_at")


def _small_groups(session: Session, student_id: int, names: _Names) -> list[dict[str, Any]]:
    sg, sgm, sec = m.SmallGroup, m.SmallGroupMember, m.Section
    q = (select(sg.day, sec.code, sg.competency_id, sg.position, sg.waiting, sg.issued_at, sgm.rule_id, sgm.reason,
                sgm.flag_id, sgm.flagged_on, sgm.evidence, sgm.also, sgm.seated)
         .join(sgm, sgm.group_id == sg.id).join(sec, sec.id == sg.section_id).where(sgm.student_id == student_id))
    return _sorted([{"day": when(day), "section": section, **names.competency(cid), "group": position,
                     "waiting": bool(waiting), "issued_at": when(issued), "rule": rule, "reason": reason,
                     "flag": flag_id, "flagged_on": when(flagged_on),
                     "evidence": json.loads(evidence) if evidence else None,
                     "other_gaps": json.loads(also) if also else [],
                     "seated_on_another_gap": bool(seated)}
                    for (day, section, cid, position, waiting, issued, rule, reason, flag_id, flagged_on, evidence,
                         also, seated) in session.execute(q)], "day")


def _chat(session: Session, student_id: int) -> dict[str, list[dict[str, Any]]]:
    """Chat accounts linked to the student, the conversations the bot keeps with them (or under the student's
    own e-mail) and the question it waits for them to answer: what an erasure removes."""
    ci, cc, cf = m.ChatIdentity, m.ChatConversation, m.ChatFollowup
    accounts = list(session.scalars(select(ci).where(ci.student_id == student_id)))
    keys, emails = chat_keys(session, [student_id])
    mine = [tuple_(cc.platform, cc.user_id).in_(keys)] if keys else []
    if emails:
        mine.append(cc.email.in_(emails))
    conversations = list(session.scalars(select(cc).where(or_(*mine)))) if mine else []
    questions = list(session.scalars(select(cf).where(tuple_(cf.platform, cf.user_id).in_(keys)))) if keys else []
    return {
        "chat_accounts": _sorted([{"linked_at": when(a.linked_at), "platform": a.platform, "user_id": a.user_id,
                                   "linked_by": a.linked_by} for a in accounts], "linked_at"),
        "chat_conversations": _sorted([{"updated_at": when(c.updated_at), "platform": c.platform,
                                        "user_id": c.user_id, "conversation_id": c.conversation_id,
                                        "service_url": c.service_url, "tenant_id": c.tenant_id, "email": c.email}
                                       for c in conversations], "updated_at"),
        "chat_questions": _sorted([{"asked_at": when(q.asked_at), "platform": q.platform, "user_id": q.user_id,
                                    "kind": q.kind, "state": q.state} for q in questions], "asked_at"),
    }
