"""Playlists as teachers and students read them: pins first, then the strategy of the student's latest
decision anchored on that decision's competency (the scope and sequence when there is none).

Pure: the store loads the latest decision, the view and the recent items, and writes teachers' changes
(pins, removals, flags, goals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from adaptive.decisions import strategies
from adaptive.domain import StoreError
from adaptive.domain.decisions import NextItem
from adaptive.domain.student_view import StudentView


def check_length(n: int) -> None:
    """Refuse a playlist of fewer than one item."""
    if n < 1:
        raise StoreError("a playlist needs n of 1 or more")


def settings_of(next_items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The strategy settings of a decision's first next_item action (the default strategy without one)."""
    if not next_items:
        return dict(strategies.DEFAULT_STRATEGY)
    return {k: next_items[0][k] for k in strategies.DEFAULT_STRATEGY if k in next_items[0]}


def recent_since(settings: Mapping[str, Any], now: datetime) -> datetime:
    """From when the items a student answered count as recent (and are not offered again)."""
    return now - timedelta(days=strategies.avoid_days(settings))


def playlist(view: StudentView, anchor: int | None, settings: Mapping[str, Any], n: int, now: datetime,
             recent: Mapping[int, datetime]) -> list[NextItem]:
    """The student's next ``n`` items under ``settings`` anchored on competency ``anchor``."""
    return strategies.resolve(view, settings, anchor=anchor, n=n, now=now, recent=recent)
