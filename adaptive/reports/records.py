"""Moved to :mod:`adaptive.domain.reports` (kept while older branches merge; import from there)."""

from adaptive.domain.reports import (  # noqa: F401
    PLAIN_LEVELS,
    ClassMastery,
    CompetencyLabel,
    GoalInfo,
    MasteryCell,
    ProgressPoint,
    RecentWork,
    StudentReport,
    StudentRow,
)
