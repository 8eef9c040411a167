"""Turning a next-item strategy (named by the rules) into concrete content items for one student.

Every strategy offers only competencies that are not mastered or skipped and whose prerequisites are
(spaced review, which revisits mastered ones, is the exception). Within a competency, items are ordered
by how close their difficulty is to the student's target, ``0.2 + 0.6 * P(mastered)``: items within
``difficulty_window`` of it come first, then the nearest others. Items answered in the last
``avoid_recent_days`` days, items a teacher removed and pre-test items are never offered. Pinned items
come first. When a strategy runs out of items, the list is filled from the scope and sequence.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptive.decisions.records import NextItem
from adaptive.decisions.snapshot import Catalogue, Item, StudentView
from adaptive.store import models as m

DEFAULT_STRATEGY = {"strategy": "scope_and_sequence", "difficulty_window": 0.15, "avoid_recent_days": 3}


def target_difficulty(p_mastered: float) -> float:
    return 0.2 + 0.6 * p_mastered


def _recent(session: Session, student_id: int, days: float, now: datetime) -> set[int]:
    if days <= 0:
        return set()
    r = m.Response
    q = select(r.item_id).where(r.student_id == student_id, r.item_id.is_not(None),
                                r.answered_at >= now - timedelta(days=days))
    return set(session.scalars(q))


def _pinned(session: Session, view: StudentView, catalogue: Catalogue) -> list[NextItem]:
    if not view.pins:
        return []
    ids = [p[0] for p in view.pins]
    ci = m.ContentItem
    q = (select(ci.id, ci.code, ci.title, ci.kind, ci.difficulty, m.ItemCompetency.competency_id)
         .outerjoin(m.ItemCompetency, m.ItemCompetency.item_id == ci.id).where(ci.id.in_(ids)))
    rows = {row[0]: row for row in session.execute(q)}
    out = []
    for item_id, by, note in view.pins:
        _, code, title, kind, difficulty, cid = rows[item_id]
        why = f"Pinned by {by or 'the teacher'}" + (f": {note}" if note else "")
        out.append(NextItem(code, title, catalogue.codes.get(cid, ""), kind, difficulty, why, pinned=True))
    return out


def _scope_and_sequence(view: StudentView, cat: Catalogue, anchor: int | None) -> Iterator[tuple[int, str]]:
    for cid in cat.sequence(anchor, set(view.states)):
        if view.ready(cid, cat):
            yield cid, f"Next in the scope and sequence: {cat.codes[cid]} {cat.names[cid]}"


def _same(view: StudentView, cat: Catalogue, anchor: int | None) -> Iterator[tuple[int, str]]:
    if anchor is not None and view.ready(anchor, cat):
        yield anchor, f"More practice on {cat.codes[anchor]} {cat.names[anchor]} (mastery {view.p(anchor):.0%})"


def _weakest(view: StudentView, cat: Catalogue, anchor: int | None) -> Iterator[tuple[int, str]]:
    prereqs = sorted(cat.prerequisites.get(anchor, ()) if anchor is not None else (), key=view.p)
    for cid in prereqs:
        if view.ready(cid, cat):
            yield cid, (f"Shore up the prerequisite {cat.codes[cid]} {cat.names[cid]} (mastery {view.p(cid):.0%}) "
                        f"before {cat.codes[anchor]}")  # type: ignore[index]
    yield from _same(view, cat, anchor)


def _review(view: StudentView, cat: Catalogue, anchor: int | None) -> Iterator[tuple[int, str]]:
    done = [c for c in view.states if view.level(c) == "mastered" and c not in view.skips]
    done.sort(key=lambda c: (view.states[c][4] or datetime.min, cat.codes[c]))
    for cid in done:
        yield cid, f"Review of {cat.codes[cid]} {cat.names[cid]}, mastered earlier"


STRATEGIES = {"scope_and_sequence": _scope_and_sequence, "same_competency": _same,
              "weakest_prerequisite": _weakest, "spaced_review": _review}


def _ordered(items: list[Item], target: float, window: float) -> list[Item]:
    def key(item: Item) -> tuple[bool, float, str]:
        gap = abs((0.5 if item.difficulty is None else item.difficulty) - target)
        return gap > window + 1e-9, gap, item.code

    return sorted(items, key=key)


def resolve(session: Session, cat: Catalogue, view: StudentView, settings: dict, *, anchor: int | None,
            n: int, now: datetime, pins: bool = True) -> list[NextItem]:
    """Up to ``n`` items for the student: pinned ones first, then the strategy's, then the scope and sequence."""
    strategy = settings.get("strategy", "scope_and_sequence")
    window = float(settings.get("difficulty_window", DEFAULT_STRATEGY["difficulty_window"]))
    avoid = float(settings.get("avoid_recent_days", DEFAULT_STRATEGY["avoid_recent_days"]))
    out = _pinned(session, view, cat) if pins else []
    seen = {i.item for i in out}
    excluded = view.removed | _recent(session, view.student_id, avoid, now)
    sources = [STRATEGIES.get(strategy, _scope_and_sequence)(view, cat, anchor)]
    if strategy != "scope_and_sequence":
        sources.append(_scope_and_sequence(view, cat, anchor))
    for source in sources:
        for cid, reason in source:
            if len(out) >= n:
                return out[:n]
            target = target_difficulty(view.p(cid))
            for item in _ordered(cat.items(session, cid), target, window):
                if item.id in excluded or item.code in seen or len(out) >= n:
                    continue
                seen.add(item.code)
                level = f"difficulty {item.difficulty:.2f} for a target of {target:.2f}" \
                    if item.difficulty is not None else "no difficulty given"
                out.append(NextItem(item.code, item.title, cat.codes[cid], item.kind, item.difficulty,
                                    f"{reason}; {level}"))
    return out[:n]
