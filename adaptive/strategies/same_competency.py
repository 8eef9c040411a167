"""More practice on the competency just answered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adaptive.strategies._strategy import Competencies, Strategy, StudentView, named


def more_practice(view: StudentView, anchor: int | None, settings: Mapping[str, Any]) -> Competencies:
    """The anchor competency, while it is not mastered and its prerequisites are."""
    cat = view.catalogue
    if anchor is not None and view.ready(anchor):
        yield anchor, f"More practice on {named(cat, anchor)}, not mastered yet"


STRATEGY = Strategy(
    name="same_competency",
    description="more items on this competency, difficulty near the student's level, not seen recently",
    pick=more_practice,
    order=20,
)
