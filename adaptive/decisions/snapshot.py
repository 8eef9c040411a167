"""What deciding reads, loaded in bulk: the curriculum's shape and, for a set of students, their evidence.

A :class:`Catalogue` holds competency codes, prerequisites, the scope and sequence of every course, BKT
parameters and content items; a Tutor keeps one in memory between transactions (:class:`CatalogueCache`)
and reloads it when the catalogue revision (migration 0004) changes. A :class:`StudentView` holds one
student's mastery, skips, teacher changes and goals; views for every student of a batch come from a few
queries. ``mastered`` means level "mastered" or skipped (e.g. by a pre-test).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import DateTime, String, Text, bindparam, case, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from adaptive.domain.evidence import MasteryLevels
from adaptive.domain.tracing import BKTParams
from adaptive.knowledge_tracing.online import initial_mastery
from adaptive.rules import Evidence
from adaptive.store import driver
from adaptive.store import models as m
from adaptive.store.json_in import in_json
from adaptive.store.repository import Repository, chunks

DAY = 86400.0


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


@dataclass(frozen=True)
class Item:
    id: int
    code: str
    title: str
    kind: str
    difficulty: float | None
    competency_id: int | None
    pretest_scoring: str | None = None  # pre-test items: "correct" (0/1) or "scale"


@dataclass(frozen=True)
class Catalogue:
    """The curriculum's shape as decisions need it; never changed once loaded (it is shared between threads)."""

    codes: dict[int, str]
    names: dict[int, str]
    prerequisites: dict[int, tuple[int, ...]]
    courses: dict[int, tuple[int, ...]]  # course id -> competency ids in position order
    params: dict[int, BKTParams]
    items: dict[int, tuple[Item, ...]]  # competency id -> its practice items (not pre-test items), by code
    by_id: dict[int, Item]  # every item, pre-test items too, with its first competency (by code)
    pretest_items: dict[int, frozenset[int]]  # competency id -> ids of its pre-test items
    token: str | None = None
    _single: list[int] | None = field(default=None, compare=False, repr=False)
    competency_ids: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    item_tags: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict, compare=False, repr=False)
    priors: dict[int, float] = field(default_factory=dict, compare=False, repr=False)  # P(mastered) before evidence

    def __post_init__(self) -> None:
        self.priors.update({cid: initial_mastery(p) for cid, p in self.params.items()})
        if len(self.courses) <= 1:  # the usual case: one course, one order
            object.__setattr__(self, "_single", [c for course in self.courses.values() for c in course])
        self.competency_ids.update({code: cid for cid, code in self.codes.items()})

    @classmethod
    def load(cls, session: Session, default: BKTParams, token: str | None = None) -> Catalogue:
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
        return cls(codes, names, {c: tuple(sorted(p)) for c, p in prereqs.items()},
                   {c: tuple(v) for c, v in courses.items()}, Repository(session).params(set(codes), default),
                   {c: tuple(v) for c, v in items.items()}, by_id, {c: frozenset(v) for c, v in pretest.items()},
                   token, item_tags={code: (i, tuple(t)) for code, (i, t) in tags.items()})

    def sequence(self, first: int | None, started: Collection[int]) -> list[int]:
        """Competencies in scope-and-sequence order: the course(s) holding ``first``, then courses the student
        has started, then the rest; each competency once."""
        if self._single is not None:
            return self._single

        def rank(course: tuple[int, ...]) -> int:
            return 0 if first in course else 1 if any(c in started for c in course) else 2

        order = sorted(self.courses.values(), key=rank)
        return list(dict.fromkeys(c for course in order for c in course))


_TOKEN = select(m.CatalogueRevision.__table__.c.token).where(m.CatalogueRevision.__table__.c.id == 1)


@dataclass
class CatalogueCache:
    """The last catalogue loaded, reused while the database's catalogue revision token is unchanged."""

    default: BKTParams
    current: Catalogue | None = None

    def get(self, session: Session) -> Catalogue:
        token = driver.scalar(session.connection(), _TOKEN)
        cached = self.current
        if cached is not None and token is not None and cached.token == token:
            return cached
        loaded = Catalogue.load(session, self.default, token)
        if token is not None:
            self.current = loaded
        return loaded


class State(NamedTuple):
    p: float
    attempts: int
    correct: int
    streak: int
    last_at: datetime | None = None  # loaded only with ``times``


_NONE: frozenset[int] = frozenset()


@dataclass(slots=True)
class StudentView:
    """One student's mastery of every competency they have evidence on, skips, teacher changes and goals
    (immutable collections: most students have none, and a batch loads hundreds of views)."""

    student_id: int
    code: str
    states: dict[int, State]
    skips: frozenset[int]
    pins: tuple[tuple[int, str | None, str | None], ...]  # item id, made_by, note (oldest first)
    removed: frozenset[int]
    goals: tuple[tuple[int | None, datetime], ...]  # open goals with a deadline: competency id or None, deadline
    catalogue: Catalogue
    levels: MasteryLevels
    _ready: dict[int, bool] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, session: Session, student_id: int, catalogue: Catalogue, levels: MasteryLevels, *,
             times: bool = True) -> StudentView:
        return cls.load_many(session, [student_id], catalogue, levels, times=times)[student_id]

    @classmethod
    def load_many(cls, session: Session, student_ids: Iterable[int], catalogue: Catalogue,
                  levels: MasteryLevels, *, times: bool = True) -> dict[int, StudentView]:
        """Views of these students; ``times=False`` leaves out when each state was last answered."""
        ids = sorted(set(student_ids))
        views: dict[int, StudentView] = {}
        conn = session.connection()
        for part in chunks(ids):
            for row in driver.fetch(conn, _STATES[times], {"ids": part}):  # (student id, code, competency id, ...)
                view = views.get(row[0])
                if view is None:
                    view = views[row[0]] = cls(row[0], row[1], {}, _NONE, (), _NONE, (), catalogue, levels)
                if row[2] is not None:
                    view.states[row[2]] = State(*row[3:])
            pins = []
            for kind, sid, ref, deadline, by, note in driver.fetch(conn, _EXTRAS, {"ids": part}):
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

    def p(self, cid: int) -> float:
        state = self.states.get(cid)
        return state.p if state and state.attempts else self.catalogue.priors[cid]

    def level(self, cid: int) -> str:
        state = self.states.get(cid)
        return self.levels.level(state.p, state.attempts) if state else "not started"

    def mastered(self, cid: int) -> bool:
        return cid in self.skips or self.level(cid) == "mastered"

    def ready(self, cid: int) -> bool:
        """Not yet mastered, and every prerequisite mastered (or skipped)."""
        if cid not in self._ready:
            self._ready[cid] = not self.mastered(cid) and all(
                self.mastered(p) for p in self.catalogue.prerequisites.get(cid, ()))
        return self._ready[cid]

    def skip(self, cid: int) -> None:
        """Mark the competency skipped (mastered) for the rest of this view's life."""
        self.skips |= {cid}
        self._ready.clear()

    def goal_days(self, cid: int, now: datetime) -> float | None:
        """Calendar days from today to the nearest open goal deadline on this competency or a general goal
        (0: due today; negative: overdue)."""
        deadlines = [d for c, d in self.goals if c in (None, cid)]
        return float((min(deadlines).date() - now.date()).days) if deadlines else None


_ANSWERED = (select(m.Response.student_id, m.Response.item_id, func.max(m.Response.recorded_at))
             .where(in_json(m.Response.student_id, m.Response.item_id, name="pairs"))
             .group_by(m.Response.student_id, m.Response.item_id))


def _answered_since(session: Session, pins: list[tuple[int, int]]) -> dict[tuple[int, int], datetime]:
    out: dict[tuple[int, int], datetime] = {}
    for part in chunks(sorted(set(pins))):
        out.update({(s, i): at for s, i, at in driver.fetch(session.connection(), _ANSWERED, {"pairs": list(part)})})
    return out


class Facts(NamedTuple):
    """From a (student, competency) history: when the last right answer was given, the pre-test score, and
    how many of the competency's pre-test items were answered."""

    last_success: datetime | None
    pretest: float | None
    pretest_answered: int = 0


def pretest_score(answers: Iterable[tuple[int | None, float]], pretest_items: frozenset[int]) -> float | None:
    """The pre-test score from (item id, evidence) answers in answered order: the mean of the latest answer to
    each item (answers without an item each count). Unknown (None) until every pre-test item of the competency
    is answered, so a pre-test taken one question at a time is scored when it is finished."""
    latest: dict[int, float] = {}
    loose: list[float] = []
    for item, evidence in answers:
        if item is None:
            loose.append(evidence)
        else:
            latest[item] = evidence
    if not pretest_items <= latest.keys():
        return None
    values = [*latest.values(), *loose]
    return min(1.0, max(0.0, sum(values) / len(values))) if values else None


_r = m.Response.__table__
# The mastery state keeps the latest right answer and how many pre-test answers the pair has.
_FACTS = select(_st.c.student_id, _st.c.competency_id, _st.c.last_success_at, _st.c.pretest_answers).where(
    in_json(_st.c.student_id, _st.c.competency_id, name="pairs"))


_PRETEST_ANSWERS = (select(_r.c.student_id, _r.c.competency_id, _r.c.item_id, _r.c.evidence)
                    .where(in_json(_r.c.student_id, _r.c.competency_id, name="pairs"), _r.c.source == "pretest")
                    .order_by(_r.c.answered_at, _r.c.idempotency_key))


def history_facts(session: Session, pairs: Iterable[tuple[int, int]],
                  catalogue: Catalogue) -> dict[tuple[int, int], Facts]:
    """:class:`Facts` of each (student id, competency id) pair, from its mastery state (and, for pairs with
    pre-test answers, those answers), on the states as this transaction has them."""
    out: dict[tuple[int, int], Facts] = {}
    conn = session.connection()
    for part in chunks(sorted(set(pairs))):
        last, took = {}, []
        for s, c, at, pretests in driver.fetch(conn, _FACTS, {"pairs": list(part)}):
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
                  _r.c.answered_at >= bindparam("since"))
           .group_by(_r.c.student_id, _r.c.item_id))
_f = m.Flag.__table__
_OPEN_FLAGS = (select(_f.c.student_id, _f.c.competency_id, _f.c.rule_id, _f.c.id)
               .where(in_json(_f.c.student_id, _f.c.competency_id, name="pairs"),
                      _f.c.resolved_at.is_(None)).order_by(_f.c.id))


def recent_items(session: Session, student_ids: Iterable[int], since: datetime) -> dict[int, dict[int, datetime]]:
    """Student id -> {item id: when last answered} for the items answered at or after ``since``."""
    out: dict[int, dict[int, datetime]] = {}
    for part in chunks(sorted(set(student_ids))):
        for s, item, at in driver.fetch(session.connection(), _RECENT, {"ids": list(part), "since": since}):
            out.setdefault(s, {})[item] = at
    return out


def open_flags(session: Session, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int, str], int]:
    """(student id, competency id, rule id) -> id of the oldest open flag, for the given pairs."""
    out: dict[tuple[int, int, str], int] = {}
    for part in chunks(sorted(set(pairs))):
        for s, c, rule, flag_id in driver.fetch(session.connection(), _OPEN_FLAGS, {"pairs": list(part)}):
            out.setdefault((s, c, rule), flag_id)
    return out


def evidence(view: StudentView, cid: int, *, source: str, now: datetime, facts: Facts | None,
             state: tuple[float, int, int, int] | None = None) -> Evidence:
    """The snapshot for ``view``'s student on competency ``cid`` (``state`` overrides the stored one)."""
    cat = view.catalogue
    if state is None:
        stored = view.states.get(cid)
        state = stored[:4] if stored else (view.p(cid), 0, 0, 0)
    p, attempts, correct, streak = state
    last_success, pretest = facts[:2] if facts else (None, None)
    prereqs = cat.prerequisites.get(cid, ())
    open_prereqs = [view.p(q) for q in prereqs if q not in view.skips]
    days = None if last_success is None else max(0.0, (now - last_success).total_seconds() / DAY)
    return Evidence.from_store(
        student=view.code, competency=cat.codes[cid], event="pretest" if source == "pretest" else "response",
        source=source, p_mastered=min(1.0, max(0.0, p)), level=view.levels.level(p, attempts), attempts=attempts,
        correct_count=correct, wrong_streak=streak, days_since_last_success=days, pretest_score=pretest,
        prerequisites_mastered=all(view.mastered(q) for q in prereqs),
        weakest_prerequisite_p=min(open_prereqs) if open_prereqs else None,
        goal_deadline_days=view.goal_days(cid, now), on=now.date(),
    )
