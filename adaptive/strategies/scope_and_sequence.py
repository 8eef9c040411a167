"""The scope and sequence: the default strategy, and the one every playlist is filled from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adaptive.strategies._strategy import Competencies, Strategy, StudentView, named


def next_in_sequence(view: StudentView, anchor: int | None, settings: Mapping[str, Any]) -> Competencies:
    """Competencies in scope-and-sequence order (from the anchor's course) whose prerequisites are mastered."""
    cat = view.catalogue
    for cid in cat.sequence(anchor, view.states):
        if view.ready(cid):
            yield cid, f"Next in the course: {named(cat, cid)}"


STRATEGY = Strategy(
    name="scope_and_sequence",
    description="the first competency in scope-and-sequence order that is not mastered and whose prerequisites "
    "are; among its items, difficulty near the student's level, not seen recently",
    pick=next_in_sequence,
    order=10,
)
