"""Moved to :mod:`adaptive.domain.tracing` (kept while older branches merge; import from there)."""

from adaptive.domain.tracing import (  # noqa: F401
    PARAM_KEYS,
    BKTParams,
    FitProvenance,
    ParamsError,
)
