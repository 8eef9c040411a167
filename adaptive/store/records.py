"""Moved to :mod:`adaptive.domain` (kept while older branches merge; import from there)."""

from adaptive.domain import (  # noqa: F401
    BatchResult,
    Competency,
    ContentItem,
    CourseOutline,
    InvalidResponse,
    Mastery,
    RecordResult,
    ResponseIn,
    Section,
    StoredParameters,
    StoreError,
    Student,
    Teacher,
    UnknownRecord,
)
