"""One student as deciding reads them: mastery, skips, teacher changes and goals (:class:`StudentView`), and
what a (student, competency) history says (:class:`Facts`).

The store loads views for a whole batch of students in a few queries (``adaptive.store.evidence``); the
engines read them and may mark a competency skipped for the rest of a view's life. ``mastered`` means level
"mastered" or skipped (e.g. by a pre-test).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from adaptive.domain.catalogue import Catalogue
from adaptive.domain.evidence import MasteryLevels


class State(NamedTuple):
    p: float
    attempts: int
    correct: int
    streak: int
    last_at: datetime | None = None  # loaded only with ``times``


NONE: frozenset[int] = frozenset()


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
