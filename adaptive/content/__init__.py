"""Curriculum files: a course's competencies, content and pre-test items, read and checked (no database).

Format: docs/curriculum.md; JSON Schema: docs/curriculum.schema.json (:func:`curriculum_json_schema`).
"""

from adaptive.content.curriculum import load_curriculum, parse_curriculum
from adaptive.content.item_bank import read_item_bank
from adaptive.content.problems import CurriculumError, Problem
from adaptive.content.schema import KINDS, SCORINGS, curriculum_json_schema
from adaptive.domain.curriculum import Course, Curriculum, CurriculumRecords, PretestItem

__all__ = [
    "KINDS",
    "SCORINGS",
    "Course",
    "Curriculum",
    "CurriculumError",
    "CurriculumRecords",
    "PretestItem",
    "Problem",
    "curriculum_json_schema",
    "load_curriculum",
    "parse_curriculum",
    "read_item_bank",
]
