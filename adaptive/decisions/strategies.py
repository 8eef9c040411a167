"""Turning a next-item strategy (named by the rules) into concrete content items for one student.

The strategies themselves (which competencies come next, and why) are the modules of
:mod:`adaptive.strategies`; this module turns their competencies into items. Every strategy offers only
competencies that are not mastered or skipped and whose prerequisites are (spaced review, which revisits
mastered ones, is the exception). Within a competency, items are ordered
by how close their difficulty is to the student's target, ``0.2 + 0.6 * P(mastered)``: items within
``difficulty_window`` of it come first, then the nearest others. Items answered in the last
``avoid_recent_days`` days, items a teacher removed and pre-test items are never offered. Pinned items
come first. When a strategy runs out of items, the list is filled from the scope and sequence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from adaptive.domain.catalogue import Item
from adaptive.domain.decisions import NextItem
from adaptive.domain.student_view import StudentView
from adaptive.strategies import FALLBACK, SETTINGS, STRATEGIES, needs

# The settings of a next_item action that names nothing else (a student with no decision yet).
DEFAULT_STRATEGY = {"strategy": FALLBACK, **{name: default for name, (_, default) in SETTINGS.items()}}


def target_difficulty(p_mastered: float) -> float:
    return 0.2 + 0.6 * p_mastered


def fit(difficulty: float | None, target: float, window: float) -> str:
    """How an item's difficulty sits with where the student is, in words a parent reads (no numbers)."""
    if difficulty is None:
        return ""
    if abs(difficulty - target) <= window + 1e-9:
        return "at the right level for where you are now"
    return "a stretch: a little harder than where you are now" if difficulty > target \
        else "a little easier, to build confidence"


def _pinned(view: StudentView) -> list[NextItem]:
    cat = view.catalogue
    out = []
    for item_id, by, note in view.pins:
        item = cat.by_id[item_id]
        why = f"Pinned by {by or 'the teacher'}" + (f": {note}" if note else "")
        competency = cat.codes.get(item.competency_id, "") if item.competency_id is not None else ""
        out.append(NextItem(item.code, item.title, competency, item.kind, item.difficulty, why, pinned=True))
    return out


def _order_key(target: float, window: float) -> Callable[[Item], tuple[bool, float, str]]:
    """Items within ``window`` of the target first, then the nearest others; ties by code."""
    def key(item: Item) -> tuple[bool, float, str]:
        gap = abs((0.5 if item.difficulty is None else item.difficulty) - target)
        return gap > window + 1e-9, gap, item.code

    return key


def _best(items: list[Item], want: int, target: float, window: float) -> list[Item]:
    """The first ``want`` items in that order (one item, the usual ask, without sorting them all)."""
    key = _order_key(target, window)
    return [min(items, key=key)] if want == 1 else sorted(items, key=key)[:want]


def avoid_days(settings: Mapping) -> float:
    return float(settings.get("avoid_recent_days", DEFAULT_STRATEGY["avoid_recent_days"]))


def need_times(strategies: Iterable[str]) -> bool:
    """Whether a view for these strategies must load when each competency was last answered."""
    return needs(strategies, "last_answered")


def resolve(view: StudentView, settings: Mapping, *, anchor: int | None, n: int, now: datetime,
            recent: Mapping[int, datetime], pins: bool = True) -> list[NextItem]:
    """Up to ``n`` items for the student: pinned ones first, then the strategy's, then the scope and sequence.

    ``recent`` maps the items the student answered lately to when (at least ``avoid_recent_days`` back)."""
    cat = view.catalogue
    strategy = settings.get("strategy", FALLBACK)
    window = float(settings.get("difficulty_window", DEFAULT_STRATEGY["difficulty_window"]))
    since = now - timedelta(days=avoid_days(settings))
    out = _pinned(view) if pins and view.pins else []
    seen = {i.item for i in out}
    excluded = {item for item, at in recent.items() if at >= since}
    excluded.update(view.removed)
    sources = [STRATEGIES.get(strategy, STRATEGIES[FALLBACK]).pick(view, anchor, settings)]
    if strategy != FALLBACK:
        sources.append(STRATEGIES[FALLBACK].pick(view, anchor, settings))
    for source in sources:
        for cid, reason in source:
            if len(out) >= n:
                return out[:n]
            candidates = [i for i in cat.items.get(cid, ()) if i.id not in excluded and i.code not in seen]
            if not candidates:
                continue
            target = target_difficulty(view.p(cid))
            for item in _best(candidates, n - len(out), target, window):
                seen.add(item.code)
                level = fit(item.difficulty, target, window)
                out.append(NextItem(item.code, item.title, cat.codes[cid], item.kind, item.difficulty,
                                    f"{reason}; {level}" if level else reason))
            if len(out) >= n:
                return out[:n]
    return out[:n]
