"""Moved to :mod:`adaptive.domain.roster` (kept while older branches merge; import from there)."""

from adaptive.domain.roster import (  # noqa: F401
    KindCounts,
    RosterImportReport,
    RosterSummary,
    SchoolCounts,
)
