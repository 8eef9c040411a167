"""Plain frozen records the reports are drawn from (the facade gathers them; the renderers only read them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from adaptive.domain.chat import CheckIn
from adaptive.domain.decisions import FlagInfo, NextItem

Sort = Literal["name", "mastery"]  # heatmap rows: by name, or fewest competencies mastered first

# Each mastery level in the words a student or parent reads on a report card.
PLAIN_LEVELS = {
    "not started": "not started",
    "attempted": "just started",
    "familiar": "getting there",
    "proficient": "almost there",
    "mastered": "mastered",
}


@dataclass(frozen=True)
class CompetencyLabel:
    code: str
    name: str


@dataclass(frozen=True)
class MasteryCell:
    """One student on one competency. ``level`` is the tutor's level of ``p_mastered`` ("not started" without
    evidence); ``skipped``: marked mastered (e.g. by a pre-test), so reports show it as mastered; ``flagged``:
    an open small-group flag on it."""

    competency: str
    p_mastered: float
    level: str
    attempts: int
    flagged: bool = False
    skipped: bool = False

    @property
    def shown_level(self) -> str:
        """The level a report shows: "mastered" for a skipped competency, else ``level``."""
        return "mastered" if self.skipped else self.level


@dataclass(frozen=True)
class StudentRow:
    student: str
    name: str  # the student's name, or the code when there is none
    cells: tuple[MasteryCell, ...]  # in the order of ClassMastery.competencies

    @property
    def overall(self) -> float:
        """Share of the competencies mastered (skipped counts), 0..1."""
        return sum(c.shown_level == "mastered" for c in self.cells) / len(self.cells) if self.cells else 0.0


@dataclass(frozen=True)
class ClassMastery:
    """A section's students x competencies: competencies in scope-and-sequence order of ``courses``, students
    sorted by name (then code). ``of``: how many competencies the courses have (more than shown when only
    those with evidence, or a code prefix, were asked for); ``shown``: which ones, in words."""

    section: str
    section_name: str
    courses: tuple[str, ...]
    competencies: tuple[CompetencyLabel, ...]
    students: tuple[StudentRow, ...]
    made_at: datetime
    of: int | None = None
    shown: str = ""


@dataclass(frozen=True)
class ProgressPoint:
    """P(mastered) of one competency right after one of the student's responses."""

    competency: str
    at: datetime
    p_mastered: float


@dataclass(frozen=True)
class GoalInfo:
    id: int
    description: str
    competency: str | None
    deadline: datetime | None
    created_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True)
class RecentWork:
    """One response: what was answered and how it went (``correct`` for right/wrong, ``score`` if scored)."""

    at: datetime
    competency: str
    item: str | None
    item_title: str | None
    correct: bool | None
    score: float | None
    source: str


@dataclass(frozen=True)
class StudentReport:
    """Everything a report card shows: mastery per competency (scope-and-sequence order), progress over time
    (oldest first), goals, the latest responses (newest first) and next steps (playlist, open flags).
    ``mastered_at`` is the P(mastered) cut point of the "mastered" level."""

    student: str
    name: str
    sections: tuple[str, ...]  # names of the sections the student is enrolled in
    courses: tuple[str, ...]
    competencies: tuple[CompetencyLabel, ...]
    mastery: tuple[MasteryCell, ...]  # in the order of ``competencies``
    progress: tuple[ProgressPoint, ...]
    goals: tuple[GoalInfo, ...]
    recent: tuple[RecentWork, ...]
    next_items: tuple[NextItem, ...]
    flags: tuple[FlagInfo, ...]
    mastered_at: float
    made_at: datetime
    checkins: tuple[CheckIn, ...] = ()  # the student's check-in answers, oldest first (for their teachers)
