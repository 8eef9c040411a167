"""Importing an item bank on its own: its rows checked against the competencies already stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from adaptive.content.item_bank import BankRow, bank_rows, read_item_bank
from adaptive.content.problems import CurriculumError, Problem, Problems, did_you_mean
from adaptive.domain import ContentItem


@dataclass(frozen=True)
class BankFile:
    """A read item bank: its records (content items, then pre-test items), rows and problems so far."""

    file: str
    items: tuple[ContentItem, ...]
    rows: tuple[BankRow, ...]
    problems: tuple[Problem, ...]


def read_bank(path: Path | str) -> BankFile:
    """Read and shape-check a CSV item bank; its problems are kept, to be reported with the tag checks."""
    file, items, problems = str(path), (), ()
    try:
        content, pretest = read_item_bank(path)
        items = (*content, *(p.to_content_item() for p in pretest))
    except CurriculumError as exc:
        problems = exc.problems
    try:
        rows = tuple(bank_rows(Path(path).read_bytes(), file, Problems()))
    except OSError:
        rows = ()
    return BankFile(file, items, rows, problems)


def checked_items(bank: BankFile, grades: Mapping[str, str | None]) -> list[ContentItem]:
    """The bank's items, those without a grade level given their first competency's.

    ``grades``: every stored competency's code and grade level. Raises :class:`CurriculumError` listing
    every problem of the file and every tag that names no stored competency, as ``FILE:LINE: message``.
    """
    problems = Problems()
    problems.items.extend(bank.problems)
    for row in bank.rows:
        tags = [row.data["competency"]] if row.pretest else row.data.get("competencies", [])
        for tag in tags:
            if tag not in grades:
                problems.add(
                    bank.file,
                    row.line,
                    f"item '{row.data['code']}' is tagged to '{tag}', which is not a competency in the database"
                    + did_you_mean(tag, grades),
                )
    problems.raise_if_any(bank.file)
    return [
        replace(item, grade_level=grades[item.competencies[0]])
        if item.grade_level is None and item.competencies
        else item
        for item in bank.items
    ]
