"""The errors every layer raises and reports, and the one problem record of a file (``FILE:LINE: message``)."""

from __future__ import annotations

from dataclasses import dataclass


class StoreError(ValueError):
    """A request the store cannot carry out (the message says why)."""


class UnknownRecord(StoreError):
    """A code (student, competency, item, teacher, section) that is not in the database."""


class AmbiguousRecord(UnknownRecord):
    """A short name (e.g. a section's alias) that names more than one record; the message lists them."""


class InvalidResponse(StoreError):
    """Response ``index`` of a batch (0-based) cannot be recorded; nothing of the batch was written."""

    def __init__(self, index: int, problem: str) -> None:
        super().__init__(f"response {index}: {problem}")
        self.index = index
        self.problem = problem


class ConflictingResponse(InvalidResponse):
    """Response ``index`` reuses an idempotency key already stored (or used earlier in the same batch) for a
    different response: a retry must send the same answer; nothing of the batch was written."""

    def __init__(self, index: int, key: str, problem: str) -> None:
        super().__init__(index, problem)
        self.key = key


class NoCourseWarning(UserWarning):
    """Next items and playlists follow a course's scope and sequence: competencies no course holds are never
    offered (add a course with ``Tutor.add_course``)."""


@dataclass(frozen=True)
class Problem:
    """One thing to fix: where (``file``, 1-based ``line`` or None for the whole file) and what."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"
