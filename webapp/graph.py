"""A course's scope and sequence drawn as an inline SVG: its competencies top to bottom in teaching order, an
arrow from each prerequisite to the competency that needs it. Server-rendered (no script), built from plain
numbers and the competencies' text, which Jinja escapes when the template writes it."""

from __future__ import annotations

from dataclasses import dataclass

from adaptive.domain.curriculum import CourseView

BOX_X = 120  # left edge of the boxes: the arrows curve in the margin to their left
BOX_W = 520
BOX_H = 40
GAP = 16
TOP = 10
MAX_LABEL = 60  # characters of "code name" shown in a box; the full text is in the list beside the graph


@dataclass(frozen=True)
class Box:
    code: str
    label: str
    y: int


@dataclass(frozen=True)
class Arrow:
    """A prerequisite: a curve in the left margin from ``start``'s box to the box of the one needing it."""

    start: str
    end: str
    path: str


@dataclass(frozen=True)
class Graph:
    width: int
    height: int
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    outside: tuple[tuple[str, str], ...]  # (competency, prerequisite outside this course)
    box_x: int = BOX_X
    box_w: int = BOX_W
    box_h: int = BOX_H


def course_graph(course: CourseView) -> Graph:
    """The boxes and arrows of ``course`` (arrows for prerequisites within it; the others listed apart)."""
    rows = {c.code: TOP + i * (BOX_H + GAP) for i, c in enumerate(course.competencies)}
    boxes = tuple(Box(c.code, _label(f"{c.code}  {c.name}"), rows[c.code]) for c in course.competencies)
    arrows: list[Arrow] = []
    outside: list[tuple[str, str]] = []
    for c in course.competencies:
        for pre in c.prerequisites:
            if pre not in rows:
                outside.append((c.code, pre))
                continue
            y1, y2 = rows[pre] + BOX_H // 2, rows[c.code] + BOX_H // 2
            bend = min(BOX_X - 12, 24 + abs(y2 - y1) // 6)
            arrows.append(Arrow(pre, c.code, f"M {BOX_X} {y1 - 6} C {BOX_X - bend} {y1 - 6}, "
                                             f"{BOX_X - bend} {y2 + 6}, {BOX_X - 2} {y2 + 6}"))
    height = TOP * 2 + max(len(boxes), 1) * (BOX_H + GAP)
    return Graph(BOX_X + BOX_W + 10, height, boxes, tuple(arrows), tuple(outside))


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"
