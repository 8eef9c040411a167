"""What the content library shows: a course's scope and sequence with its content, and item-bank imports."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from adaptive.store.records import ContentItem


@dataclass(frozen=True)
class CompetencyView:
    """A competency in a course: its place (1, 2, ...), prerequisites, content items and pre-test items."""

    position: int
    code: str
    name: str
    grade_level: str | None
    description: str | None
    prerequisites: tuple[str, ...]
    items: tuple[ContentItem, ...]
    pretest_items: tuple[ContentItem, ...]


@dataclass(frozen=True)
class CourseView:
    """A course and its competencies in scope-and-sequence order."""

    code: str
    name: str
    subject: str | None
    grade_level: str | None
    description: str | None
    competencies: tuple[CompetencyView, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BankImport:
    """What ``tutor.import_item_bank`` upserted."""

    file: str
    items: int
    pretest_items: int
