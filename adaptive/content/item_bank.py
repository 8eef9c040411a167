"""CSV item banks: one content item (or pre-test item) per row, format in docs/curriculum.md."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adaptive.content.problems import Problems, did_you_mean, label, validate
from adaptive.content.schema import ItemSpec, PretestSpec, normalize_kind
from adaptive.content.yaml_source import SourceError, decode
from adaptive.domain import ContentItem
from adaptive.domain.curriculum import PretestItem

COLUMNS = ("code", "title", "kind", "competencies", "url", "minutes", "difficulty", "grade_level", "scoring")
REQUIRED = ("code", "title", "competencies")
TAG_SEPARATORS = re.compile(r"[|;]")


@dataclass(frozen=True)
class BankRow:
    """A row's fields, ready for :class:`ItemSpec` or (``pretest``) :class:`PretestSpec`."""

    line: int
    data: dict[str, Any]
    pretest: bool


def bank_rows(raw: bytes, file: str, problems: Problems) -> list[BankRow]:
    """The non-empty rows of an item bank; problems (as ``file:LINE``) go to ``problems``."""
    try:
        text = decode(raw)
    except SourceError as exc:
        problems.add(file, exc.line, exc.message)
        return []
    if not text.strip():
        problems.add(file, 1, f"the item bank is empty; it needs a header row such as {','.join(COLUMNS[:8])}")
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    line, rows = 1, []
    try:
        header = [name.strip().lower() for name in next(reader)]
        if not _header_ok(header, file, problems):
            return []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                row = _row(header, cells, file, line, problems)
                if row is not None:
                    rows.append(row)
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.add(file, line, f"malformed CSV ({exc})")
    return rows


def _header_ok(header: list[str], file: str, problems: Problems) -> bool:
    before = len(problems.items)
    for position, name in enumerate(header, start=1):
        if name not in COLUMNS:
            hint = did_you_mean(name, COLUMNS) if name else ""
            label = f"unknown column '{name}'" if name else f"column {position} has no name"
            problems.add(file, 1, f"{label}{hint}; the columns are {','.join(COLUMNS)}")
        elif header.count(name) > 1 and header.index(name) == position - 1:
            problems.add(file, 1, f"column '{name}' appears more than once")
    for name in REQUIRED:
        if name not in header:
            problems.add(file, 1, f"missing required column '{name}' (the first row must be the header)")
    return len(problems.items) == before


def _row(header: list[str], cells: list[str], file: str, line: int, problems: Problems) -> BankRow | None:
    if len(cells) > len(header):
        problems.add(file, line, f"{len(cells)} fields but the header has {len(header)} (a comma inside a field?)")
        return None
    data: dict[str, Any] = {}
    for name, cell in zip(header, cells, strict=False):
        value = cell.strip()
        if not value:
            continue
        if name == "competencies":
            data[name] = [tag.strip() for tag in TAG_SEPARATORS.split(value) if tag.strip()]
        elif name in ("minutes", "difficulty"):
            try:
                data[name] = float(value)
            except ValueError:
                problems.add(file, line, f"{name} must be a number, got {value!r}")
        else:
            data[name] = value
    for name in REQUIRED:
        if not data.get(name):
            problems.add(file, line, f"missing required field '{name}'")
            return None
    if "scoring" not in data:
        return BankRow(line, data, pretest=False)
    return _pretest_row(data, file, line, problems)


def _pretest_row(data: dict[str, Any], file: str, line: int, problems: Problems) -> BankRow | None:
    if normalize_kind(data.pop("kind", "assessment")) != "assessment":
        problems.add(file, line, "a pre-test row (one with a scoring) must have kind assessment or no kind")
    tags = data.pop("competencies")
    if len(tags) != 1:
        problems.add(file, line, f"a pre-test row (one with a scoring) measures one competency, got {len(tags)}")
        return None
    prompt = data.pop("title")
    return BankRow(line, {**data, "prompt": prompt, "competency": tags[0]}, pretest=True)


def item_record(spec: ItemSpec, competencies: tuple[str, ...], grade: str | None) -> ContentItem:
    return ContentItem(
        code=spec.code,
        title=spec.title,
        kind=spec.kind,
        competencies=competencies,
        url=spec.url,
        grade_level=spec.grade_level or grade,
        minutes=spec.minutes,
        difficulty=spec.difficulty,
    )


def pretest_record(spec: Any, competency: str, grade: str | None) -> PretestItem:
    """``spec``: a :class:`PretestSpec` or one nested under its competency."""
    return PretestItem(
        code=spec.code,
        prompt=spec.prompt,
        competency=competency,
        scoring=spec.scoring,
        url=spec.url,
        grade_level=spec.grade_level or grade,
        minutes=spec.minutes,
        difficulty=spec.difficulty,
    )


def read_item_bank(path: Path | str) -> tuple[tuple[ContentItem, ...], tuple[PretestItem, ...]]:
    """A CSV item bank on its own: its content items and pre-test items, shape checked.

    Competency tags, duplicates against a course and default grade levels are checked by
    :func:`adaptive.content.load_curriculum`, which merges banks listed under ``item_banks``.
    Raises :class:`CurriculumError` with every problem.
    """
    path, problems = Path(path), Problems()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(str(path), None, f"cannot read the item bank ({exc.strerror or exc})")
        problems.raise_if_any(str(path))
    items, pretest, seen = [], [], {}
    for row in bank_rows(raw, str(path), problems):
        if row.data["code"] in seen:
            problems.add(
                str(path),
                row.line,
                f"duplicate item code '{row.data['code']}' (first on line {seen[row.data['code']]})",
            )
            continue
        seen[row.data["code"]] = row.line
        model, what = (PretestSpec, "pre-test item") if row.pretest else (ItemSpec, "item")
        where = lambda _, line=row.line: (str(path), line)  # noqa: E731
        spec = validate(model, row.data, where, problems, label(what, row.data, 0))
        if isinstance(spec, PretestSpec):
            pretest.append(pretest_record(spec, spec.competency, None))
        elif isinstance(spec, ItemSpec):
            items.append(item_record(spec, tuple(spec.competencies), None))
    problems.raise_if_any(str(path))
    return tuple(items), tuple(pretest)
