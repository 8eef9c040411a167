"""Revisiting competencies mastered a while ago, the oldest first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from adaptive.strategies._strategy import Competencies, Strategy, StudentView, named


def review(view: StudentView, anchor: int | None, settings: Mapping[str, Any]) -> Competencies:
    """Mastered (not skipped) competencies, the one answered longest ago first."""
    cat = view.catalogue
    done = [c for c in view.states if view.level(c) == "mastered" and c not in view.skips]
    done.sort(key=lambda c: (view.states[c].last_at or datetime.min, cat.codes[c]))
    for cid in done:
        yield cid, f"Review of {named(cat, cid)}, mastered earlier"


STRATEGY = Strategy(
    name="spaced_review",
    description="a short review item on a competency mastered a while ago",
    pick=review,
    order=40,
    needs=frozenset({"last_answered"}),
)
