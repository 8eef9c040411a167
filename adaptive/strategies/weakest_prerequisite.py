"""Back to the prerequisite with the lowest mastery before going on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adaptive.strategies._strategy import Competencies, Strategy, StudentView, named
from adaptive.strategies.same_competency import more_practice


def shore_up(view: StudentView, anchor: int | None, settings: Mapping[str, Any]) -> Competencies:
    """The anchor's prerequisites, weakest first, then more practice on the anchor itself."""
    cat = view.catalogue
    if anchor is not None:
        for cid in sorted(cat.prerequisites.get(anchor, ()), key=view.p):
            if view.ready(cid):
                yield cid, (f"Shore up the prerequisite {named(cat, cid)} before {named(cat, anchor)}, which "
                            "builds on it")
    yield from more_practice(view, anchor, settings)


STRATEGY = Strategy(
    name="weakest_prerequisite",
    description="items on the prerequisite with the lowest mastery, to shore it up",
    pick=shore_up,
    order=30,
)
