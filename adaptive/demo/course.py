"""Reading the demo course file (YAML) into competencies and content items for the Tutor."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

from adaptive.store.records import Competency, ContentItem


@dataclass(frozen=True)
class Course:
    code: str
    name: str
    competencies: tuple[Competency, ...]  # in scope-and-sequence order
    items: tuple[ContentItem, ...]


def sample_course() -> Course:
    """The Grade 6 math course that ships with the package."""
    text = resources.files("adaptive.demo").joinpath("grade6_math.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = YAML(typ="safe").load(text)
    course = data["course"]
    competencies, items = [], []
    for entry in data["competencies"]:
        competencies.append(
            Competency(
                code=entry["code"],
                name=entry["name"],
                subject=course.get("subject"),
                grade_level=str(entry.get("grade_level", entry["code"].split(".")[0])),
                description=entry.get("description"),
                prerequisites=tuple(entry.get("prerequisites", ())),
            )
        )
        for item in entry["items"]:
            items.append(
                ContentItem(
                    code=item["code"],
                    title=item["title"],
                    kind=item["kind"].replace(" ", "_"),
                    competencies=(entry["code"], *item.get("also", ())),
                    grade_level=competencies[-1].grade_level,
                    minutes=item.get("minutes"),
                    difficulty=item.get("difficulty"),
                )
            )
    return Course(course["code"], course["name"], tuple(competencies), tuple(items))
