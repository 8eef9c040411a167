"""The curriculum as every layer speaks of it: a loaded curriculum file (the course, its records in
scope-and-sequence order), what the content library shows (a course view, item-bank imports, search hits)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from adaptive.domain.records import Competency, ContentItem, CourseOutline


@dataclass(frozen=True)
class Course:
    code: str
    name: str
    subject: str | None = None
    grade_level: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class PretestItem:
    """A pre-test item for one competency; ``scoring`` is ``correct`` (0/1) or ``scale`` (the 1-5 mastery scale)."""

    code: str
    prompt: str
    competency: str
    scoring: str = "correct"
    url: str | None = None
    grade_level: str | None = None
    minutes: float | None = None
    difficulty: float | None = None

    def to_content_item(self) -> ContentItem:
        """The store's record: an ``assessment`` item tagged to the competency, titled by the prompt."""
        return ContentItem(
            code=self.code,
            title=self.prompt,
            kind="assessment",
            competencies=(self.competency,),
            url=self.url,
            grade_level=self.grade_level,
            minutes=self.minutes,
            difficulty=self.difficulty,
            pretest_scoring=self.scoring,
        )


@dataclass(frozen=True)
class CurriculumRecords:
    """Records for ``tutor.add_competencies`` / ``tutor.add_content_items``.

    ``items`` holds the content items, then the pre-test items (kind ``assessment``); ``pretest`` maps each
    pre-test item's code to its scoring (``correct`` or ``scale``), which :class:`ContentItem` cannot carry.
    """

    competencies: tuple[Competency, ...]
    items: tuple[ContentItem, ...]
    pretest: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Curriculum:
    """A loaded, checked course: competencies in scope-and-sequence order, content and pre-test items."""

    course: Course
    competencies: tuple[Competency, ...]
    items: tuple[ContentItem, ...]
    pretest: tuple[PretestItem, ...] = ()
    source: Path | None = None

    def competency(self, code: str) -> Competency:
        for competency in self.competencies:
            if competency.code == code:
                return competency
        raise KeyError(code)

    def items_for(self, code: str) -> tuple[ContentItem, ...]:
        """Content items tagged to competency ``code`` (pre-test items not included)."""
        return tuple(item for item in self.items if code in item.competencies)

    def pretest_for(self, code: str) -> tuple[PretestItem, ...]:
        return tuple(item for item in self.pretest if item.competency == code)

    def outline(self) -> CourseOutline:
        """The course with its scope and sequence, for the store."""
        c = self.course
        order = tuple(x.code for x in self.competencies)
        return CourseOutline(c.code, c.name, order, c.subject, c.grade_level, c.description)

    def to_records(self) -> CurriculumRecords:
        pretest = tuple(item.to_content_item() for item in self.pretest)
        return CurriculumRecords(self.competencies, self.items + pretest, {p.code: p.scoring for p in self.pretest})


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


@dataclass(frozen=True)
class ContentHit:
    """One search result; ``score`` is the relevance (higher is better, 0 when listing without a query)."""

    code: str
    title: str
    kind: str
    competencies: tuple[str, ...]
    grade_level: str | None
    minutes: float | None
    difficulty: float | None
    url: str | None
    score: float
