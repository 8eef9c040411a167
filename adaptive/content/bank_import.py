"""Importing an item bank on its own: its rows checked against the competencies already stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from adaptive.content.item_bank import bank_rows, read_item_bank
from adaptive.content.problems import Problems, did_you_mean
from adaptive.store.records import ContentItem


def read_bank(path: Path | str) -> tuple[list[ContentItem], dict[str, int]]:
    """The bank's content and pre-test items as store records, and each code's CSV line.

    Raises :class:`CurriculumError` with every problem of the file itself.
    """
    items, pretest = read_item_bank(path)
    lines = {row.data["code"]: row.line for row in bank_rows(Path(path).read_bytes(), str(path), Problems())}
    return [*items, *(p.to_content_item() for p in pretest)], lines


def check_tags(
    file: str, items: list[ContentItem], lines: Mapping[str, int], grades: Mapping[str, str | None]
) -> list[ContentItem]:
    """``items`` with the grade level of their first competency when they give none.

    ``grades``: every stored competency's code and grade level. Raises :class:`CurriculumError` listing
    every tag that names no stored competency, as ``FILE:LINE: message``.
    """
    problems, out = Problems(), []
    for item in items:
        for tag in item.competencies:
            if tag not in grades:
                hint = did_you_mean(tag, grades)
                problems.add(
                    file,
                    lines.get(item.code),
                    f"item '{item.code}' is tagged to '{tag}', which is not a competency in the database{hint}",
                )
        if item.grade_level is None and item.competencies and item.competencies[0] in grades:
            item = replace(item, grade_level=grades[item.competencies[0]])
        out.append(item)
    problems.raise_if_any(file)
    return out
