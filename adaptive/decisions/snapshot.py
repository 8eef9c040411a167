"""The evidence a rule reads: one student on one competency, built from their :class:`StudentView`.

The values deciding reads (:class:`StudentView`, :class:`Facts`) are the domain's
(``adaptive.domain.student_view``); the store loads them in bulk (its evidence loaders).
"""

from __future__ import annotations

from datetime import datetime

from adaptive.domain.student_view import Facts, StudentView
from adaptive.rules import Evidence

DAY = 86400.0


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
        student=view.code, competency=cat.codes[cid], competency_name=cat.names[cid],
        event="pretest" if source == "pretest" else "response",
        source=source, p_mastered=min(1.0, max(0.0, p)), level=view.levels.level(p, attempts), attempts=attempts,
        correct_count=correct, wrong_streak=streak, days_since_last_success=days, pretest_score=pretest,
        prerequisites_mastered=all(view.mastered(q) for q in prereqs),
        weakest_prerequisite_p=min(open_prereqs) if open_prereqs else None,
        goal_deadline_days=view.goal_days(cid, now), on=now.date(),
    )
