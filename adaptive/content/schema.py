"""The curriculum file's shape as pydantic models, and the JSON Schema published from them.

Regenerate the published copy with ``python -m adaptive.content.schema > docs/curriculum.schema.json``.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

KINDS = ("lesson", "video", "practice", "assessment", "project", "offline_activity")
SCORINGS = ("correct", "scale")
_BAD_CODE = re.compile(r"[\s|;]")


def _text(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"must be text, got {_shown(value)} (put it in quotes)")
    text = str(value).strip()
    if not text:
        raise ValueError("must not be empty")
    return text


def _code(value: Any) -> Any:
    code = _text(value)
    if _BAD_CODE.search(code):
        raise ValueError(f"code {code!r} must not contain spaces, '|' or ';'")
    return code


def normalize_kind(value: Any) -> Any:
    """``"Offline activity"`` and ``offline-activity`` → ``offline_activity``; other values unchanged."""
    return re.sub(r"[\s-]+", "_", value.strip().lower()) if isinstance(value, str) else value


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict | list):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    return repr(value) if isinstance(value, str) else str(value)


_TEXT_SCHEMA = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]}
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
Grade = Annotated[str, BeforeValidator(_text), WithJsonSchema(_TEXT_SCHEMA)]
_CODE_SCHEMA = {"anyOf": [{"type": "string", "pattern": r"^[^\s|;]+$"}, {"type": "integer"}]}
Code = Annotated[str, BeforeValidator(_code), WithJsonSchema(_CODE_SCHEMA)]
Kind = Annotated[
    Literal[KINDS],  # type: ignore[valid-type]
    BeforeValidator(normalize_kind),
    WithJsonSchema({"enum": [*KINDS, "offline activity"]}),
]
Minutes = Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)]
Difficulty = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False, strict=True)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CourseSpec(_Spec):
    """The course as a whole."""

    code: Code = Field(description="Short unique code of the course, e.g. MATH-6.")
    name: Text = Field(description="Full name shown to teachers.")
    subject: Text | None = Field(None, description="Subject, e.g. math; copied to every competency.")
    grade_level: Grade | None = Field(None, description='Grade level of the course ("6", "K"); the default below.')
    description: Text | None = None


class _ItemFields(_Spec):
    code: Code = Field(description="Unique code of the item (across the whole course and its item banks).")
    title: Text = Field(description="Title shown to students and teachers.")
    kind: Kind = Field("practice", description="lesson, video, practice, assessment, project or offline activity.")
    url: Text | None = Field(None, description="Where the item lives (web address or file path).")
    minutes: Minutes | None = Field(None, description="Expected time in minutes (0 or more).")
    difficulty: Difficulty | None = Field(None, description="0 (easiest) to 1 (hardest).")
    grade_level: Grade | None = Field(None, description="Defaults to the grade level of its first competency.")


class NestedItemSpec(_ItemFields):
    """A content item listed under its competency."""

    also: list[Code] = Field([], description="Further competencies the item is tagged to.")


class ItemSpec(_ItemFields):
    """A content item in the top-level ``items`` list."""

    competencies: list[Code] = Field(min_length=1, description="The competencies it is tagged to (one or more).")


class NestedPretestSpec(_Spec):
    """A pre-test item listed under its competency."""

    code: Code = Field(description="Unique code of the item (across the whole course and its item banks).")
    prompt: Text = Field(description="The question or task, as shown to the student.")
    scoring: Literal[SCORINGS] = Field(  # type: ignore[valid-type]
        "correct", description="correct: right/wrong (0 or 1); scale: a score on the mastery scale (1-5)."
    )
    url: Text | None = None
    minutes: Minutes | None = None
    difficulty: Difficulty | None = None
    grade_level: Grade | None = None


class PretestSpec(NestedPretestSpec):
    """A pre-test item in the top-level ``pretest`` list."""

    competency: Code = Field(description="The competency it measures.")


class CompetencySpec(_Spec):
    """One competency; the ``competencies`` list is the scope-and-sequence (teaching) order."""

    code: Code = Field(description="Unique code, e.g. a standard such as 6.RP.1.")
    name: Text
    description: Text | None = None
    grade_level: Grade | None = Field(None, description="Defaults to the course's grade level.")
    prerequisites: list[Code] = Field([], description="Competencies that must come earlier in the sequence.")
    items: list[NestedItemSpec] = Field([], description="Content items tagged to this competency.")
    pretest: list[NestedPretestSpec] = Field([], description="Pre-test items for this competency.")


class CurriculumSpec(_Spec):
    """A curriculum file: one course."""

    model_config = ConfigDict(title="Curriculum file")

    course: CourseSpec
    competencies: list[CompetencySpec] = Field(min_length=1, description="In scope-and-sequence order.")
    items: list[ItemSpec] = Field([], description="Content items tagged to one or more competencies.")
    pretest: list[PretestSpec] = Field([], description="Pre-test items, each for one competency.")
    item_banks: list[Text] = Field([], description="CSV item banks, paths relative to this file.")


def curriculum_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a curriculum file, as published in docs/curriculum.schema.json."""
    schema = CurriculumSpec.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(curriculum_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
