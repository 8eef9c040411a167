"""What deciding reads, loaded in bulk: the :class:`Catalogue` and, for a set of students, their evidence.

A Tutor keeps one catalogue in memory between transactions (:class:`CatalogueCache`) and reloads it when the
catalogue revision (migration 0004) changes. Views for every student of a batch, history facts, recent items
and open flags each come from a query or two per chunk of students, never one per student.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, Text, bindparam, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from adaptive.domain.catalogue import Catalogue, Item
from adaptive.domain.deciding import FlagDraft
from adaptive.domain.evidence import MasteryLevels
from adaptive.domain.student_view import NONE, Facts, State, StudentView, pretest_score
from adaptive.domain.tracing import BKTParams
from adaptive.store import driver, prefetch
from adaptive.store import models as m
from adaptive.store.json_in import in_json
from adaptive.store.repository import IN_CHUNK, Repository, chunks

_s, _st = m.Student.__table__, m.MasteryState.__table__
# A student's row with every mastery state (none: one row of NULLs), in one query; times only when asked
# (parsing them is most of the cost of a batch's views on SQLite).
_STATE_COLUMNS = (_s.c.id, _s.c.code, _st.c.competency_id, _st.c.p_mastered, _st.c.attempts, _st.c.correct_count,
                  _st.c.wrong_streak)
_STATES = {times: select(*_STATE_COLUMNS, *((_st.c.last_response_at,) if times else ()))
           .outerjoin(_st, _st.c.student_id == _s.c.id).where(in_json(_s.c.id, name="ids"))
           for times in (False, True)}
_SKIP, _GOAL, _PIN, _REMOVE = 1, 2, 3, 4
_k, _g, _pc = m.Skip.__table__, m.Goal.__table__, m.PlaylistChange.__table__


def _no(kind: Any) -> Any:
    return cast(null(), kind)


_extras = union_all(
    select(literal(_SKIP).label("kind"), _k.c.student_id.label("student_id"), _k.c.competency_id.label("ref"),
           _no(DateTime).label("at"), _no(String).label("made_by"), _no(Text).label("note"), literal(0).label("seq"))
    .where(in_json(_k.c.student_id, name="ids")),
    select(literal(_GOAL), _g.c.student_id, _g.c.competency_id, _g.c.deadline, _no(String), _no(Text), literal(0))
    .where(in_json(_g.c.student_id, name="ids"), _g.c.closed_at.is_(None),
           _g.c.deadline.is_not(None)),
    select(case((_pc.c.change == "pin", _PIN), else_=_REMOVE), _pc.c.student_id, _pc.c.item_id, _pc.c.made_at,
           _pc.c.made_by, _pc.c.note, _pc.c.id)
    .where(in_json(_pc.c.student_id, name="ids"), _pc.c.undone_at.is_(None)),
).subquery()
# Skips, open goals with a deadline and live teacher changes (pins oldest first) of some students, in one
# query: (kind, student id, competency or item id, deadline or when made, made by, note).
_EXTRAS = select(_extras.c.kind, _extras.c.student_id, _extras.c.ref, _extras.c.at, _extras.c.made_by,
                 _extras.c.note).order_by(_extras.c.at, _extras.c.seq)


def load_catalogue(session: Session, default: BKTParams, token: str | None = None) -> Catalogue:
    """The catalogue as this transaction sees it (``default`` parameters for competencies without their own)."""
    codes, names = {}, {}
    for cid, code, name in session.execute(select(m.Competency.id, m.Competency.code, m.Competency.name)):
        codes[cid], names[cid] = code, name
    prereqs: dict[int, list[int]] = {}
    for cid, pid in session.execute(select(m.Prerequisite.competency_id, m.Prerequisite.prerequisite_id)):
        prereqs.setdefault(cid, []).append(pid)
    courses: dict[int, list[int]] = {}
    q = (select(m.CourseCompetency.course_id, m.CourseCompetency.competency_id)
         .join(m.Course, m.Course.id == m.CourseCompetency.course_id)
         .order_by(m.Course.code, m.CourseCompetency.position))
    for course_id, cid in session.execute(q):
        courses.setdefault(course_id, []).append(cid)
    ci, tag = m.ContentItem, m.ItemCompetency
    items: dict[int, list[Item]] = {}
    by_id: dict[int, Item] = {}
    pretest: dict[int, set[int]] = {}
    q = (select(ci.id, ci.code, ci.title, ci.kind, ci.difficulty, ci.pretest_scoring, tag.competency_id)
         .outerjoin(tag, tag.item_id == ci.id))
    tags: dict[str, tuple[int, list[str]]] = {}
    for item_id, code, title, kind, difficulty, scoring, cid in sorted(
            session.execute(q).all(), key=lambda r: (r[1], codes.get(r[6], ""))):  # by item, then tag code
        item = Item(item_id, code, title, kind, difficulty, cid, scoring)
        by_id.setdefault(item_id, item)
        tag_codes = tags.setdefault(code, (item_id, []))[1]
        if cid is None:
            continue
        tag_codes.append(codes[cid])
        if scoring is None:
            items.setdefault(cid, []).append(item)
        else:
            pretest.setdefault(cid, set()).add(item_id)
    return Catalogue(codes, names, {c: tuple(sorted(p)) for c, p in prereqs.items()},
                     {c: tuple(v) for c, v in courses.items()}, Repository(session).params(set(codes), default),
                     {c: tuple(v) for c, v in items.items()}, by_id, {c: frozenset(v) for c, v in pretest.items()},
                     token, item_tags={code: (i, tuple(t)) for code, (i, t) in tags.items()})


CATALOGUE_TOKEN = select(m.CatalogueRevision.__table__.c.token).where(m.CatalogueRevision.__table__.c.id == 1)


@dataclass
class CatalogueCache:
    """The last catalogue loaded, reused while the database's catalogue revision token is unchanged."""

    default: BKTParams
    current: Catalogue | None = None

    def get(self, session: Session) -> Catalogue:
        token = driver.scalar(session.connection(), CATALOGUE_TOKEN)
        cached = self.current
        if cached is not None and token is not None and cached.token == token:
            return cached
        loaded = load_catalogue(session, self.default, token)
        if token is not None:
            self.current = loaded
        return loaded


def student_view(session: Session, student_id: int, catalogue: Catalogue, levels: MasteryLevels, *,
                 times: bool = True) -> StudentView:
    """One student's view (see :func:`student_views`)."""
    return student_views(session, [student_id], catalogue, levels, times=times)[student_id]


def student_views(session: Session, student_ids: Iterable[int], catalogue: Catalogue, levels: MasteryLevels, *,
                  times: bool = True) -> dict[int, StudentView]:
    """Views of these students; ``times=False`` leaves out when each state was last answered."""
    ids = sorted(set(student_ids))
    views: dict[int, StudentView] = {}
    conn = session.connection()
    for part in chunks(ids):
        for row in driver.fetch(conn, *_states_read(part, times)):  # (student id, code, competency id, ...)
            view = views.get(row[0])
            if view is None:
                view = views[row[0]] = StudentView(row[0], row[1], {}, NONE, (), NONE, (), catalogue, levels)
            if row[2] is not None:
                view.states[row[2]] = State(*row[3:])
        pins = []
        for kind, sid, ref, deadline, by, note in driver.fetch(conn, *_extras_read(part)):
            view = views[sid]
            if kind == _SKIP:
                view.skips |= {ref}
            elif kind == _GOAL:
                view.goals += ((ref, deadline),)
            elif kind == _REMOVE:
                view.removed |= {ref}
            else:
                pins.append((sid, ref, deadline, by, note))
        answered = _answered_since(session, [(sid, item) for sid, item, *_ in pins])
        for sid, item_id, made_at, by, note in pins:
            if answered.get((sid, item_id)) is None or answered[(sid, item_id)] < made_at:
                views[sid].pins += ((item_id, by, note),)
    return views


_ANSWERED = (select(m.Response.student_id, m.Response.item_id, func.max(m.Response.recorded_at))
             .where(in_json(m.Response.student_id, m.Response.item_id, name="pairs"), m.Response.voided_at.is_(None))
             .group_by(m.Response.student_id, m.Response.item_id))


def _answered_since(session: Session, pins: list[tuple[int, int]]) -> dict[tuple[int, int], datetime]:
    out: dict[tuple[int, int], datetime] = {}
    for part in chunks(sorted(set(pins))):
        out.update({(s, i): at for s, i, at in driver.fetch(session.connection(), _ANSWERED, {"pairs": list(part)})})
    return out


_r = m.Response.__table__
# The mastery state keeps the latest right answer and how many pre-test answers the pair has.
_FACTS = select(_st.c.student_id, _st.c.competency_id, _st.c.last_success_at, _st.c.pretest_answers).where(
    in_json(_st.c.student_id, _st.c.competency_id, name="pairs"))


_PRETEST_ANSWERS = (select(_r.c.student_id, _r.c.competency_id, _r.c.item_id, _r.c.evidence)
                    .where(in_json(_r.c.student_id, _r.c.competency_id, name="pairs"), _r.c.source == "pretest",
                           _r.c.voided_at.is_(None))
                    .order_by(_r.c.answered_at, _r.c.idempotency_key))


def history_facts(session: Session, pairs: Iterable[tuple[int, int]],
                  catalogue: Catalogue) -> dict[tuple[int, int], Facts]:
    """:class:`Facts` of each (student id, competency id) pair, from its mastery state (and, for pairs with
    pre-test answers, those answers), on the states as this transaction has them."""
    out: dict[tuple[int, int], Facts] = {}
    conn = session.connection()
    for part in chunks(sorted(set(pairs))):
        last, took = {}, []
        for s, c, at, pretests in driver.fetch(conn, *_facts_read(part)):
            last[(s, c)] = at
            if pretests:
                took.append((s, c))
        answers: dict[tuple[int, int], list[tuple[int | None, float]]] = {}
        if took:
            for s, c, item, evidence in driver.fetch(conn, _PRETEST_ANSWERS, {"pairs": took}):
                answers.setdefault((s, c), []).append((item, evidence))
        for pair in part:
            score, answered = None, 0
            if pair in answers:
                items = catalogue.pretest_items.get(pair[1], frozenset())
                score = pretest_score(answers[pair], items)
                answered = len({item for item, _ in answers[pair]} & items)
            out[pair] = Facts(last.get(pair), score, answered)
    return out


_RECENT = (select(_r.c.student_id, _r.c.item_id, func.max(_r.c.answered_at))
           .where(in_json(_r.c.student_id, name="ids"), _r.c.item_id.is_not(None),
                  _r.c.answered_at >= bindparam("since"), _r.c.voided_at.is_(None))
           .group_by(_r.c.student_id, _r.c.item_id))
_f = m.Flag.__table__
_OPEN_FLAGS = (select(_f.c.student_id, _f.c.competency_id, _f.c.rule_id, _f.c.id, _f.c.reasons, _f.c.raised_at)
               .where(in_json(_f.c.student_id, _f.c.competency_id, name="pairs"),
                      _f.c.resolved_at.is_(None)).order_by(_f.c.raised_at, _f.c.id))


_PREFETCH_STUDENTS = 8


# Each read's statement and parameters, in one place: prefetch_decision_reads must name them exactly as the
# reads do, or its rows are never taken (a round trip more, never a wrong row).
def _states_read(ids: Sequence[int], times: bool) -> tuple[Any, dict[str, Any]]:
    return _STATES[times], {"ids": list(ids)}


def _extras_read(ids: Sequence[int]) -> tuple[Any, dict[str, Any]]:
    return _EXTRAS, {"ids": list(ids)}


def _recent_read(ids: Sequence[int], since: datetime) -> tuple[Any, dict[str, Any]]:
    return _RECENT, {"ids": list(ids), "since": since}


def _facts_read(pairs: Sequence[tuple[int, int]]) -> tuple[Any, dict[str, Any]]:
    return _FACTS, {"pairs": list(pairs)}


def _open_flags_read(pairs: Sequence[tuple[int, int]]) -> tuple[Any, dict[str, Any]]:
    return _OPEN_FLAGS, {"pairs": list(pairs)}


def prefetch_decision_reads(session: Session, student_ids: Iterable[int], pairs: Iterable[tuple[int, int]],
                            since: datetime, times: bool) -> None:
    """Fetch what :func:`student_views`, :func:`history_facts`, :func:`recent_items` and :func:`open_flags`
    will read for these students and pairs in one statement (on PostgreSQL; see
    :func:`adaptive.store.prefetch.run`): call it right before them, after the states are written. Only
    for a few students (a live response, a pre-test): a batch's reads are a few round trips per thousand
    responses, and their rows come faster from the driver than through JSON."""
    ids, pair_list = sorted(set(student_ids)), sorted(set(pairs))
    if len(ids) > _PREFETCH_STUDENTS or len(pair_list) > IN_CHUNK:
        return
    prefetch.run(session.connection(), [_states_read(ids, times), _extras_read(ids), _recent_read(ids, since),
                                        _facts_read(pair_list), _open_flags_read(pair_list)])


def recent_items(session: Session, student_ids: Iterable[int], since: datetime) -> dict[int, dict[int, datetime]]:
    """Student id -> {item id: when last answered} for the items answered at or after ``since``."""
    out: dict[int, dict[int, datetime]] = {}
    for part in chunks(sorted(set(student_ids))):
        for s, item, at in driver.fetch(session.connection(), *_recent_read(part, since)):
            out.setdefault(s, {})[item] = at
    return out


def open_flags(session: Session, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], FlagDraft]:
    """(student id, competency id) -> its open flag (the oldest, should an old database hold two), for the
    given pairs; without its evidence, which a merge replaces and a close keeps."""
    out: dict[tuple[int, int], FlagDraft] = {}
    for part in chunks(sorted(set(pairs))):
        for s, c, rule, flag_id, reasons, raised in driver.fetch(session.connection(), *_open_flags_read(part)):
            if (s, c) not in out:
                out[(s, c)] = FlagDraft(s, c, rule, list(reasons or []), {}, raised, raised, id=flag_id)
    return out


# One response of a replayed history: when answered, its key, evidence, source and item id.
Replayed = tuple[datetime, str, float, str, int | None]


def histories(session: Session, since: datetime | None) -> dict[tuple[int, int], list[Replayed]]:
    """Every response (not voided) of each (student id, competency id) pair answered at or after ``since``
    (all pairs when None), earlier ones of those pairs too, unsorted: what a simulation replays."""
    r = m.Response
    touched = select(r.student_id, r.competency_id).where(r.voided_at.is_(None)).distinct()
    if since is not None:
        touched = touched.where(r.answered_at >= since)
    pairs = set(session.execute(touched).tuples())
    out: dict[tuple[int, int], list[Replayed]] = defaultdict(list)
    q = select(r.student_id, r.competency_id, r.answered_at, r.idempotency_key, r.evidence, r.source, r.item_id)
    for row in session.execute(q.where(r.student_id.in_(sorted({s for s, _ in pairs})), r.voided_at.is_(None))):
        if (row[0], row[1]) in pairs:
            out[(row[0], row[1])].append(row[2:])  # type: ignore[arg-type]
    return out
