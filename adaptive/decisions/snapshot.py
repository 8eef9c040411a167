"""What the store knows about one student, loaded once per decision: the evidence snapshot rules read.

A :class:`Catalogue` holds the curriculum's shape (codes, prerequisites, scope and sequence); a
:class:`StudentView` one student's mastery, skips, teacher changes and goals. Both live for one
transaction. ``mastered`` means level "mastered" or skipped (e.g. by a pre-test).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.orm import Session

from adaptive.knowledge_tracing.evidence import MasteryLevels
from adaptive.knowledge_tracing.online import initial_mastery
from adaptive.knowledge_tracing.params import BKTParams
from adaptive.rules import Evidence
from adaptive.store import models as m
from adaptive.store.repository import Repository, chunks
from adaptive.store.state import CORRECT_AT

DAY = 86400.0


@dataclass(frozen=True)
class Item:
    id: int
    code: str
    title: str
    kind: str
    difficulty: float | None
    competency_id: int


@dataclass
class Catalogue:
    """Competency codes, names, prerequisites and the scope-and-sequence order of every course."""

    codes: dict[int, str]
    names: dict[int, str]
    prerequisites: dict[int, tuple[int, ...]]
    courses: dict[int, tuple[int, ...]]  # course id -> competency ids in position order
    params: dict[int, BKTParams]
    _items: dict[int, list[Item]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, default: BKTParams) -> Catalogue:
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
        return cls(codes, names, {c: tuple(sorted(p)) for c, p in prereqs.items()},
                   {c: tuple(v) for c, v in courses.items()}, Repository(session).params(set(codes), default))

    def items(self, session: Session, competency_id: int) -> list[Item]:
        """Content items tagged to the competency, pre-test items left out (they are not practice)."""
        if competency_id not in self._items:
            ci = m.ContentItem
            q = (select(ci.id, ci.code, ci.title, ci.kind, ci.difficulty)
                 .join(m.ItemCompetency, m.ItemCompetency.item_id == ci.id)
                 .where(m.ItemCompetency.competency_id == competency_id, ci.pretest_scoring.is_(None))
                 .order_by(ci.code))
            self._items[competency_id] = [Item(*row, competency_id) for row in session.execute(q)]
        return self._items[competency_id]

    def sequence(self, first: int | None, started: set[int]) -> list[int]:
        """Competencies in scope-and-sequence order: the course(s) holding ``first``, then courses the student
        has started, then the rest; each competency once."""
        def rank(course: tuple[int, ...]) -> int:
            return 0 if first in course else 1 if started & set(course) else 2

        order = sorted(self.courses.values(), key=rank)
        return list(dict.fromkeys(c for course in order for c in course))


@dataclass
class StudentView:
    """One student's mastery of every competency they have evidence on, skips, teacher changes and goals."""

    student_id: int
    code: str
    states: dict[int, tuple[float, int, int, int, datetime | None]]  # p, attempts, correct, streak, last at
    skips: set[int]
    pins: list[tuple[int, str | None, str | None]]  # item id, made_by, note (oldest first)
    removed: set[int]
    goals: list[tuple[int | None, datetime]]  # open goals with a deadline: competency id or None, deadline
    params: dict[int, BKTParams]
    levels: MasteryLevels

    @classmethod
    def load(cls, session: Session, student_id: int, catalogue: Catalogue, levels: MasteryLevels) -> StudentView:
        s = m.MasteryState
        states = {row[0]: tuple(row[1:]) for row in session.execute(
            select(s.competency_id, s.p_mastered, s.attempts, s.correct_count, s.wrong_streak, s.last_response_at)
            .where(s.student_id == student_id))}
        skips = set(session.scalars(select(m.Skip.competency_id).where(m.Skip.student_id == student_id)))
        pc = m.PlaylistChange
        pins, removed = [], set()
        q = (select(pc.item_id, pc.change, pc.made_by, pc.note, pc.made_at)
             .where(pc.student_id == student_id, pc.undone_at.is_(None)).order_by(pc.made_at, pc.id))
        changes = list(session.execute(q))
        answered = _answered_since(session, student_id, [c[0] for c in changes if c[1] == "pin"])
        for item_id, change, by, note, made_at in changes:
            if change == "remove":
                removed.add(item_id)
            elif answered.get(item_id) is None or answered[item_id] < made_at:
                pins.append((item_id, by, note))
        g = m.Goal
        goals = list(session.execute(select(g.competency_id, g.deadline).where(
            g.student_id == student_id, g.closed_at.is_(None), g.deadline.is_not(None))).tuples())
        code = session.scalar(select(m.Student.code).where(m.Student.id == student_id))
        return cls(student_id, code or "", states, skips, pins, removed, goals, catalogue.params, levels)  # type: ignore[arg-type]

    def p(self, cid: int) -> float:
        state = self.states.get(cid)
        return state[0] if state and state[1] else initial_mastery(self.params[cid])

    def level(self, cid: int) -> str:
        state = self.states.get(cid)
        return self.levels.level(state[0], state[1]) if state else "not started"

    def mastered(self, cid: int) -> bool:
        return cid in self.skips or self.level(cid) == "mastered"

    def ready(self, cid: int, catalogue: Catalogue) -> bool:
        """Not yet mastered, and every prerequisite mastered (or skipped)."""
        return not self.mastered(cid) and all(self.mastered(p) for p in catalogue.prerequisites.get(cid, ()))

    def goal_days(self, cid: int, now: datetime) -> float | None:
        """Days to the nearest open goal deadline on this competency or a general goal (negative: overdue)."""
        deadlines = [d for c, d in self.goals if c in (None, cid)]
        return (min(deadlines) - now).total_seconds() / DAY if deadlines else None


def _answered_since(session: Session, student_id: int, item_ids: list[int]) -> dict[int, datetime]:
    if not item_ids:
        return {}
    r = m.Response
    q = (select(r.item_id, func.max(r.recorded_at))
         .where(r.student_id == student_id, r.item_id.in_(item_ids)).group_by(r.item_id))
    return dict(session.execute(q).tuples().all())


def history_facts(session: Session, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], tuple]:
    """(student id, competency id) -> (when the last right answer was given, the pre-test score as the mean
    evidence of its pre-test responses, or None)."""
    r = m.Response
    out: dict[tuple[int, int], tuple] = {}
    for part in chunks(sorted(set(pairs))):
        q = (select(r.student_id, r.competency_id, func.max(case((r.evidence >= CORRECT_AT, r.answered_at))),
                    func.avg(case((r.source == "pretest", r.evidence))))
             .where(tuple_(r.student_id, r.competency_id).in_(list(part)))
             .group_by(r.student_id, r.competency_id))
        for s, c, last_success, pretest in session.execute(q):
            out[(s, c)] = (last_success, None if pretest is None else min(1.0, max(0.0, float(pretest))))
    return out


def evidence(view: StudentView, catalogue: Catalogue, cid: int, *, source: str, now: datetime,
             last_success: datetime | None, pretest: float | None,
             state: tuple[float, int, int, int] | None = None) -> Evidence:
    """The snapshot for ``view``'s student on competency ``cid`` (``state`` overrides the stored one)."""
    p, attempts, correct, streak = state or (view.states.get(cid) or (view.p(cid), 0, 0, 0))[:4]
    prereqs = catalogue.prerequisites.get(cid, ())
    open_prereqs = [view.p(q) for q in prereqs if q not in view.skips]
    days = None if last_success is None else max(0.0, (now - last_success).total_seconds() / DAY)
    return Evidence(
        student=view.code, competency=catalogue.codes[cid], event="pretest" if source == "pretest" else "response",
        source=source, p_mastered=min(1.0, max(0.0, p)), level=view.levels.level(p, attempts), attempts=attempts,
        correct_count=correct, wrong_streak=streak, days_since_last_success=days, pretest_score=pretest,
        prerequisites_mastered=all(view.mastered(q) for q in prereqs),
        weakest_prerequisite_p=min(open_prereqs) if open_prereqs else None,
        goal_deadline_days=view.goal_days(cid, now), on=now.date(),
    )
