"""Moved to :mod:`adaptive.domain.curriculum` (kept while older branches merge; import from there)."""

from adaptive.domain.curriculum import (  # noqa: F401
    BankImport,
    CompetencyView,
    CourseView,
)
