"""adaptive: competencies, Bayesian knowledge tracing and rules for blended classrooms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptive.lazy import lazy_exports

# Public names, imported on first use so `import adaptive.knowledge_tracing` stays light.
_EXPORTS = {
    "Tutor": "adaptive.tutor",
    "DEFAULT_PARAMS": "adaptive.tutor",
    **{
        name: "adaptive.domain"
        for name in (
            "BatchResult", "Competency", "ContentItem", "CourseOutline", "InvalidResponse", "Mastery", "RecordResult",
            "ResponseIn", "Section", "StoreError", "StoredParameters", "Student", "Teacher", "UnknownRecord",
        )
    },  # fmt: skip
}
__all__ = [
    "DEFAULT_PARAMS", "BatchResult", "Competency", "ContentItem", "CourseOutline", "InvalidResponse", "Mastery",
    "RecordResult", "ResponseIn", "Section", "StoreError", "StoredParameters", "Student", "Teacher", "Tutor",
    "UnknownRecord",
]  # fmt: skip

if TYPE_CHECKING:
    from adaptive.domain import (
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
    from adaptive.tutor import DEFAULT_PARAMS, Tutor


__getattr__ = lazy_exports(__name__, _EXPORTS)
