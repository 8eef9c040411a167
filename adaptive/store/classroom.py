"""What the classroom engines read and write: the needs of a section's students (open flags, at-risk
mastery), recent pulls, rosters and the issued small-group lists. District-wide reads are a few set-based
queries over every section at once (no query per section)."""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, DateTime, Float, Text, bindparam, cast, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from adaptive.domain import UnknownRecord
from adaptive.domain.catalogue import Catalogue
from adaptive.domain.classroom import AT_RISK_ATTEMPTS, AT_RISK_RULE, GAP_RULE, Item
from adaptive.domain.evidence import percent
from adaptive.store import driver, lookups
from adaptive.store import models as m
from adaptive.store.json_in import in_json

_sec, _en, _st = m.Section.__table__, m.Enrollment.__table__, m.Student.__table__
_flag, _ms, _sg, _sgm = m.Flag.__table__, m.MasteryState.__table__, m.SmallGroup.__table__, m.SmallGroupMember.__table__


def section_ids(session: Session, codes: Collection[str] | None = None) -> dict[str, int]:
    """Sections by code (every section when ``codes`` is None). ``codes`` may also name sections by sourcedId or
    alias (:func:`adaptive.store.lookups.find_section`): the keys are the sections' own codes. An unknown one
    raises UnknownRecord listing the known sections."""
    known = dict(session.execute(select(_sec.c.code, _sec.c.id).order_by(_sec.c.code)).tuples().all())
    if codes is None:
        return known
    found = {c: (known[c], c) if c in known else lookups.find_section(session, c) for c in codes}
    missing = sorted(c for c, hit in found.items() if hit is None)
    if missing:
        listed = ", ".join(known) if known else "none yet (add one with add_section)"
        raise UnknownRecord(f"unknown section {', '.join(repr(c) for c in missing)}; known sections: {listed}")
    return {hit[1]: hit[0] for hit in found.values() if hit is not None}


def end_of(day: date) -> datetime:
    """Midnight after ``day`` (naive UTC, as stored): flags "open as of the day" were raised before it
    and not resolved before it."""
    return datetime.combine(day + timedelta(days=1), time())


def _both(query: Any, column: Any) -> dict[bool, Any]:
    """The query for every section (False) and for the sections bound as ``sections`` (True)."""
    return {False: query, True: query.where(in_json(column, name="sections"))}


def _params(ids: Mapping[str, int] | None, **more: Any) -> dict[str, Any]:
    return {**({} if ids is None else {"sections": sorted(ids.values())}), **more}


_cutoff = bindparam("cutoff", type_=DateTime())
# Evidence as JSON text: the district reads hundreds of thousands of flags and shows one per student.
_FLAGS = _both(
    select(_sec.c.code, _st.c.code, _flag.c.id, _flag.c.competency_id, _flag.c.rule_id, _flag.c.reason,
           cast(_flag.c.evidence, Text), _flag.c.raised_at, _ms.c.p_mastered, _st.c.id, _st.c.name)
    .select_from(_flag.join(_en, _en.c.student_id == _flag.c.student_id)
                 .join(_sec, _sec.c.id == _en.c.section_id).join(_st, _st.c.id == _flag.c.student_id)
                 .outerjoin(_ms, (_ms.c.student_id == _flag.c.student_id)
                            & (_ms.c.competency_id == _flag.c.competency_id)))
    .where(_flag.c.raised_at < _cutoff, _flag.c.resolved_at.is_(None) | (_flag.c.resolved_at >= _cutoff)),
    _en.c.section_id)
_AT_RISK = _both(
    select(_sec.c.code, _st.c.code, _ms.c.competency_id, _ms.c.p_mastered, _ms.c.attempts, _ms.c.wrong_streak,
           _st.c.id, _st.c.name)
    .select_from(_ms.join(_en, _en.c.student_id == _ms.c.student_id)
                 .join(_sec, _sec.c.id == _en.c.section_id).join(_st, _st.c.id == _ms.c.student_id))
    .where(_ms.c.attempts >= bindparam("attempts"), _ms.c.p_mastered < bindparam("below", type_=Float())),
    _en.c.section_id)


def _latest_group_day(waiting: bool) -> dict[bool, Any]:
    """The latest day before ``day`` (since ``since``) each student was in an issued group of a section, or
    (``waiting``) in a group that did not fit the teacher's day."""
    return _both(
        select(_sec.c.code, _st.c.code, func.max(_sg.c.day))
        .select_from(_sgm.join(_sg, _sg.c.id == _sgm.c.group_id).join(_sec, _sec.c.id == _sg.c.section_id)
                     .join(_st, _st.c.id == _sgm.c.student_id))
        .where(_sg.c.day < bindparam("day", type_=Date()), _sg.c.day >= bindparam("since", type_=Date()),
               _sg.c.waiting.is_(waiting))
        .group_by(_sec.c.code, _st.c.code),
        _sg.c.section_id)


_PULLS, _WAITS = _latest_group_day(False), _latest_group_day(True)


class People:
    """The listed students' ids and names (the code for a student with none), read with their needs."""

    __slots__ = ("ids", "names")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: dict[str, str] = {}


STREAM_ROWS = 2000  # rows a chunk when a district's rows are streamed from PostgreSQL (driver.stream)


def rows(conn: Connection, stmt: Any, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``stmt``, streamed on PostgreSQL in chunks of :data:`STREAM_ROWS` (:func:`driver.stream`)."""
    return driver.stream(conn, stmt, params, size=STREAM_ROWS)


def needs(session: Session, ids: Mapping[str, int] | None, day: date, familiar: float,
          cat: Catalogue, mastered: float = 1.0, proficient: float | None = None,
          people: People | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every need of the sections' students (every section's when ``ids`` is None), by section: flags open
    as of the end of ``day`` on competencies not mastered since (P(mastered) below ``mastered``), at-risk
    states (P(mastered) below ``familiar`` after AT_RISK_ATTEMPTS or more attempts; mastery as stored now)
    and, given ``proficient``, the other gaps (GAP_RULE: any evidence, P(mastered) below ``proficient``),
    which the small-group engine weighs only for students a flag or at-risk evidence put on the list.
    ``people`` is filled with the students' ids and names.

    Each need is a plain tuple with :class:`Need`'s fields (:func:`adaptive.classroom.groups.needs_by_student`
    makes the needs it keeps into ``Need``): a district reads hundreds of thousands of rows, and plain tuples
    of plain values are dropped from the cycle collector's watch at its first pass, where named tuples stay
    and make every later full collection longer. So no need holds a dict, not even an empty one (a tuple
    holding any dict stays watched): evidence comes as JSON text (``evidence_json``)."""
    conn = session.connection()
    out: dict[str, list[tuple[Any, ...]]] = {}
    codes, priors = cat.codes, cat.priors
    known = people if people is not None else People()
    sids, called = known.ids, known.names
    for section, student, fid, cid, rule, reason, evidence, raised, p, sid, name in rows(
            conn, _FLAGS[ids is not None], _params(ids, cutoff=end_of(day))):
        if p is not None and p >= mastered:  # caught up since the flag: its flag waits for the teacher only
            continue
        found = out.get(section)
        if found is None:
            found = out[section] = []
        found.append((student, codes[cid], priors.get(cid, 0.0) if p is None else p, rule, reason,
                      None, fid, raised, evidence or "{}", 0))
        sids[student] = sid
        called[student] = name or student
    gaps = proficient is not None and proficient > familiar
    params = _params(ids, attempts=1 if gaps else AT_RISK_ATTEMPTS, below=proficient if gaps else familiar)
    for section, student, cid, p, attempts, streak, sid, name in rows(conn, _AT_RISK[ids is not None], params):
        code = codes[cid]
        if attempts >= AT_RISK_ATTEMPTS and p < familiar:
            need = (student, code, p, AT_RISK_RULE,
                    f"At risk: mastery {percent(p)} after {attempts} attempts (not flagged yet)", None, None,
                    None, _risk_evidence(p, attempts, streak), 0)
        else:  # many: the reason and evidence are written only for the gaps shown (groups.reason_of)
            need = (student, code, p, GAP_RULE, "", None, None, None, None, attempts)
        found = out.get(section)
        if found is None:
            found = out[section] = []
        found.append(need)
        sids[student] = sid
        called[student] = name or student
    return out


def _risk_evidence(p: float, attempts: int, streak: int) -> str:
    """``json.dumps({"p_mastered": round(p, 4), "attempts": attempts, "wrong_streak": streak})``, written
    directly (a district writes tens of thousands)."""
    p = round(p, 4)
    if not math.isfinite(p) or type(attempts) is not int or type(streak) is not int:
        return json.dumps({"p_mastered": p, "attempts": attempts, "wrong_streak": streak})
    return f'{{"p_mastered": {float.__repr__(p)}, "attempts": {attempts}, "wrong_streak": {streak}}}'


def prerequisites(cat: Catalogue) -> dict[str, tuple[str, ...]]:
    """Each competency's direct prerequisites, by code."""
    codes = cat.codes
    return {codes[c]: tuple(codes[p] for p in found) for c, found in cat.prerequisites.items() if found}


_NAMES = select(_st.c.code, _st.c.name).where(in_json(_st.c.code, name="codes"))


def names(session: Session, students: Collection[str]) -> dict[str, str]:
    """The students' names on the roster (the code for a student with none)."""
    found = {code: code for code in students}
    if found:
        for code, name in driver.fetch(session.connection(), _NAMES, {"codes": sorted(found)}):
            if name:
                found[code] = name
    return found


def last_pulls(session: Session, ids: Mapping[str, int] | None, day: date,
               days_back: int = 14) -> dict[str, dict[str, date]]:
    """The latest day before ``day`` (within ``days_back`` calendar days) each student of the sections was
    in an issued small group of that section: section -> student -> day."""
    out: dict[str, dict[str, date]] = {}
    params = _params(ids, day=day, since=day - timedelta(days=days_back))
    for section, student, at in rows(session.connection(), _PULLS[ids is not None], params):
        out.setdefault(section, {})[student] = at if isinstance(at, date) else date.fromisoformat(str(at))
    return out


def waited(session: Session, ids: Mapping[str, int] | None, day: date, pulls: Mapping[str, Mapping[str, date]],
           days_back: int = 14) -> dict[str, set[str]]:
    """Section -> the students who waited (were in a group that did not fit the teacher's day) on an issued
    list before ``day`` and have not been pulled since (``pulls``: :func:`last_pulls`)."""
    out: dict[str, set[str]] = {}
    params = _params(ids, day=day, since=day - timedelta(days=days_back))
    for section, student, at in driver.fetch(session.connection(), _WAITS[ids is not None], params):
        at = at if isinstance(at, date) else date.fromisoformat(str(at))
        pulled = pulls.get(section, {}).get(student)
        if pulled is None or pulled < at:
            out.setdefault(section, set()).add(student)
    return out


def sequence(cat: Catalogue) -> list[str]:
    """Competency codes in scope-and-sequence order: each course's (courses by code), then the others."""
    ordered = dict.fromkeys(c for course in cat.courses.values() for c in course)
    rest = sorted((c for c in cat.codes if c not in ordered), key=lambda c: cat.codes[c])
    return [cat.codes[c] for c in [*ordered, *rest]]


_VECTORS = (select(_st.c.code, _ms.c.competency_id, _ms.c.p_mastered)
            .select_from(_ms.join(_st, _st.c.id == _ms.c.student_id))
            .where(in_json(_st.c.code, name="students"), _ms.c.attempts > 0))


def vectors(session: Session, students: Collection[str], order: Sequence[str],
            cat: Catalogue) -> dict[str, list[float]]:
    """P(mastered) of each student on every competency of ``order`` (the prior where there is no evidence)."""
    if not students:
        return {}
    col = {code: i for i, code in enumerate(order)}
    base = [cat.priors.get(cat.competency_ids[c], 0.0) for c in order]
    out = {s: list(base) for s in students}
    for student, cid, p in driver.fetch(session.connection(), _VECTORS, {"students": sorted(students)}):
        out[student][col[cat.codes[cid]]] = p
    return out


def lessons(cat: Catalogue) -> dict[str, list[Item]]:
    """Each competency's content (not pre-test items), as the engines show it."""
    return {cat.codes[cid]: [Item(i.code, i.title, i.kind, cat.codes[cid]) for i in items]
            for cid, items in cat.items.items()}


def roster(session: Session, section_id: int) -> list[str]:
    q = (select(_st.c.code).select_from(_en.join(_st, _st.c.id == _en.c.student_id))
         .where(_en.c.section_id == section_id).order_by(_st.c.code))
    return list(session.scalars(q))


def mastered(session: Session, section_id: int, cat: Catalogue, at: float) -> dict[str, dict[str, float]]:
    """The section's students' mastered competencies (P(mastered) at least ``at``, or skipped after a
    pre-test): student -> competency -> P(mastered)."""
    q = (select(_st.c.code, _ms.c.competency_id, _ms.c.p_mastered)
         .select_from(_en.join(_ms, _ms.c.student_id == _en.c.student_id).join(_st, _st.c.id == _en.c.student_id))
         .where(_en.c.section_id == section_id, _ms.c.attempts > 0, _ms.c.p_mastered >= at))
    out: dict[str, dict[str, float]] = {}
    for student, cid, p in session.execute(q):
        out.setdefault(student, {})[cat.codes[cid]] = p
    sk = m.Skip.__table__
    q = (select(_st.c.code, sk.c.competency_id, _ms.c.p_mastered)
         .select_from(_en.join(sk, sk.c.student_id == _en.c.student_id).join(_st, _st.c.id == _en.c.student_id)
                      .outerjoin(_ms, (_ms.c.student_id == sk.c.student_id)
                                 & (_ms.c.competency_id == sk.c.competency_id)))
         .where(_en.c.section_id == section_id))
    for student, cid, p in session.execute(q):
        out.setdefault(student, {}).setdefault(cat.codes[cid], 1.0 if p is None else p)
    return out


def stuck(session: Session, student_id: int, cat: Catalogue) -> list[int]:
    """The competencies the student has open flags on, in the scope and sequence's order (a prerequisite
    before what builds on it when both are flagged)."""
    q = select(_flag.c.competency_id).where(_flag.c.student_id == student_id, _flag.c.resolved_at.is_(None))
    found = set(session.scalars(q))
    if len(found) < 2:
        return list(found)
    rank = {cid: i for i, cid in enumerate(cat.sequence(None, found))}
    ordered = sorted(found, key=lambda c: (rank.get(c, len(rank)), c))
    return sorted(ordered, key=lambda c: -sum(c in cat.prerequisites.get(o, ()) for o in ordered))


_tch = m.Teacher.__table__


def todays_groups(session: Session, student_id: int, day: date) -> list[tuple[int, str | None, bool]]:
    """The competency of each group the student is in on the lists issued for ``day`` (a group that did not fit
    the teacher's day last), with the name (or code) of that section's primary teacher and whether the group
    waits for the next school day."""
    q = (select(_sg.c.competency_id, _tch.c.name, _tch.c.code, _sg.c.waiting)
         .select_from(_sgm.join(_sg, _sg.c.id == _sgm.c.group_id).join(_sec, _sec.c.id == _sg.c.section_id)
                      .outerjoin(_tch, _tch.c.id == _sec.c.teacher_id))
         .where(_sgm.c.student_id == student_id, _sg.c.day == day).order_by(_sg.c.waiting, _sec.c.code))
    return [(cid, name or code, bool(waiting)) for cid, name, code, waiting in session.execute(q)]


def section_teacher(session: Session, section_id: int) -> str | None:
    """The name (or code) of the section's primary teacher (None: it has none)."""
    q = (select(_tch.c.name, _tch.c.code).select_from(_sec.join(_tch, _tch.c.id == _sec.c.teacher_id))
         .where(_sec.c.id == section_id))
    row = session.execute(q).first()
    return None if row is None else row[0] or row[1]


def teacher_of(session: Session, student_id: int) -> str | None:
    """The name (or code) of the primary teacher of the student's first section, by section code."""
    q = (select(_tch.c.name, _tch.c.code)
         .select_from(_en.join(_sec, _sec.c.id == _en.c.section_id).join(_tch, _tch.c.id == _sec.c.teacher_id))
         .where(_en.c.student_id == student_id).order_by(_sec.c.code).limit(1))
    row = session.execute(q).first()
    return None if row is None else row[0] or row[1]
