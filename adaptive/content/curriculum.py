"""Loading a curriculum file (format in docs/curriculum.md): every problem found is reported at once."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from adaptive.content.checks import Node, check_prerequisites
from adaptive.content.item_bank import bank_rows, item_record, pretest_record
from adaptive.content.problems import Locate, Problems, did_you_mean, label, validate
from adaptive.content.schema import (
    CompetencySpec,
    CourseSpec,
    CurriculumSpec,
    ItemSpec,
    NestedItemSpec,
    NestedPretestSpec,
    PretestSpec,
    _code,
)
from adaptive.content.yaml_source import LineMap, SourceError, decode, load_yaml
from adaptive.domain import Competency, ContentItem
from adaptive.domain.curriculum import Course, Curriculum, PretestItem
from adaptive.input_limits import IncludeError, read_included

TOP_LEVEL = tuple(CurriculumSpec.model_fields)


def load_curriculum(path: Path | str) -> Curriculum:
    """The curriculum in the YAML file ``path``; raises :class:`CurriculumError` listing every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems = Problems()
        problems.add(str(path), None, f"cannot read the file ({exc.strerror or exc})")
        problems.raise_if_any(str(path))
    return parse_curriculum(raw, name=str(path), base_dir=path.parent, source=path)


def parse_curriculum(
    text: str | bytes, name: str = "<curriculum>", base_dir: Path | None = None, source: Path | None = None
) -> Curriculum:
    """The curriculum in ``text``; ``name`` is the file name in problems, ``base_dir`` resolves item banks."""
    return _Reader(name, base_dir).read(text.encode("utf-8") if isinstance(text, str) else text, source)


@dataclass
class _Comp:
    spec: CompetencySpec
    path: tuple[Any, ...]
    line: int


@dataclass
class _Entry:
    """A content or pre-test item read from the file or a bank, with the file and lines of its tags."""

    record: ContentItem | PretestItem
    file: str
    line: int
    tag_lines: tuple[int, ...]
    grade_from: str | None = None  # competency whose grade level is its default


class _Reader:
    def __init__(self, name: str, base_dir: Path | None) -> None:
        self.name, self.base_dir = name, base_dir
        self.problems = Problems()
        self.lines = LineMap()
        self.known: dict[str, int] = {}  # competency code → line, also for entries with other problems
        self.comps: list[_Comp] = []
        self.entries: list[_Entry] = []

    def read(self, raw: bytes, source: Path | None) -> Curriculum:
        try:
            data, self.lines = load_yaml(decode(raw))
        except SourceError as exc:
            self.problems.add(self.name, exc.line, exc.message)
            self.problems.raise_if_any(self.name)
        course = self._top(data)
        self._check()
        self.problems.raise_if_any(self.name)
        assert course is not None  # a missing or bad course is a problem
        return self._build(course, source)

    def _where(self, path: tuple[Any, ...]) -> Locate:
        return lambda loc: (self.name, self.lines.line((*path, *loc)))

    def _add(self, path: tuple[Any, ...], message: str) -> None:
        self.problems.add(self.name, self.lines.line(path), message)

    def _top(self, data: Any) -> CourseSpec | None:
        if data is None:
            self._add((), "the file is empty; a curriculum needs course: and competencies:")
            return None
        if not isinstance(data, dict):
            self._add((), "a curriculum file is a mapping with course: and competencies: at the top")
            return None
        for key in data:
            if key not in TOP_LEVEL:
                self._add((key,), f"unknown field '{key}'{did_you_mean(key, TOP_LEVEL)}")
        for key in ("course", "competencies"):
            if key not in data:
                self._add((), f"missing required field '{key}'")
        course = (
            validate(CourseSpec, data["course"], self._where(("course",)), self.problems, "course")
            if "course" in data
            else None
        )
        for key, read in (("competencies", self._competency), ("items", self._item), ("pretest", self._pretest)):
            for index, entry in enumerate(self._list(data, key)):
                read(entry, (key, index))
        if "competencies" in data and data["competencies"] == []:
            self._add(("competencies",), "a course needs at least one competency")
        for index, entry in enumerate(self._list(data, "item_banks")):
            self._bank(entry, ("item_banks", index))
        return course

    def _list(self, data: dict, key: str) -> list:
        value = data.get(key)
        if value is None and key in data:
            return []
        if value is not None and not isinstance(value, list):
            self._add((key,), f"{key} must be a list (one '- entry' per line)")
            return []
        return value or []

    def _competency(self, entry: Any, path: tuple[Any, ...]) -> None:
        if isinstance(entry, dict):
            with contextlib.suppress(ValueError):
                self.known.setdefault(_code(entry.get("code")), self.lines.line(path))
        nested = ("items", "pretest")
        shallow = (
            {k: [] if k in nested and isinstance(v, list) else v for k, v in entry.items()}
            if isinstance(entry, dict)
            else entry
        )
        spec = validate(
            CompetencySpec, shallow, self._where(path), self.problems, label("competency", entry, path[-1] + 1)
        )
        if spec is None:
            return
        self.comps.append(_Comp(spec, path, self.lines.line(path)))
        for index, item in enumerate(entry.get("items") or []):
            item_path = (*path, "items", index)
            nested_item = validate(
                NestedItemSpec, item, self._where(item_path), self.problems, label("item", item, index + 1)
            )
            if nested_item:
                tags = (spec.code, *nested_item.also)
                lines = (
                    self.lines.line(item_path),
                    *(self.lines.line((*item_path, "also", i)) for i in range(len(tags) - 1)),
                )
                self._entry(item_record(nested_item, tags, None), item_path, lines, tags[0])
        for index, item in enumerate(entry.get("pretest") or []):
            item_path = (*path, "pretest", index)
            question = validate(
                NestedPretestSpec, item, self._where(item_path), self.problems, label("pre-test item", item, index + 1)
            )
            if question:
                self._entry(
                    pretest_record(question, spec.code, None), item_path, (self.lines.line(item_path),), spec.code
                )

    def _item(self, entry: Any, path: tuple[Any, ...]) -> None:
        spec = validate(ItemSpec, entry, self._where(path), self.problems, label("item", entry, path[-1] + 1))
        if spec:
            lines = tuple(self.lines.line((*path, "competencies", i)) for i in range(len(spec.competencies)))
            self._entry(item_record(spec, tuple(spec.competencies), None), path, lines, spec.competencies[0])

    def _pretest(self, entry: Any, path: tuple[Any, ...]) -> None:
        spec = validate(
            PretestSpec, entry, self._where(path), self.problems, label("pre-test item", entry, path[-1] + 1)
        )
        if spec:
            line = self.lines.line((*path, "competency"))
            self._entry(pretest_record(spec, spec.competency, None), path, (line,), spec.competency)

    def _entry(
        self, record: ContentItem | PretestItem, path: tuple[Any, ...], tag_lines: tuple[int, ...], grade_from: str
    ) -> None:
        self.entries.append(_Entry(record, self.name, self.lines.line(path), tag_lines, grade_from))

    def _bank(self, entry: Any, path: tuple[Any, ...]) -> None:
        if not isinstance(entry, str) or not entry.strip():
            self._add(path, "an item bank is a file name such as items.csv")
            return
        file = Path(self.base_dir or ".") / entry.strip()
        shown = str(file) if self.base_dir else entry.strip()
        try:
            _, raw = read_included(Path(self.base_dir or "."), entry.strip())
        except IncludeError as exc:
            self._add(path, f"cannot read item bank {shown} ({exc.reason}); paths are relative to this file")
            return
        for row in bank_rows(raw, shown, self.problems):
            model = PretestSpec if row.pretest else ItemSpec
            what = "pre-test item" if row.pretest else "item"
            spec = validate(
                model, row.data, lambda _, line=row.line: (shown, line), self.problems, label(what, row.data, 0)
            )
            if isinstance(spec, PretestSpec):
                self.entries.append(
                    _Entry(pretest_record(spec, spec.competency, None), shown, row.line, (row.line,), spec.competency)
                )
            elif isinstance(spec, ItemSpec):
                tags = tuple(spec.competencies)
                self.entries.append(
                    _Entry(item_record(spec, tags, None), shown, row.line, (row.line,) * len(tags), tags[0])
                )

    def _check(self) -> None:
        first: dict[str, int] = {}
        for comp in self.comps:
            code = comp.spec.code
            if code in first:
                self._add((*comp.path, "code"), f"duplicate competency code '{code}' (first on line {first[code]})")
            first.setdefault(code, comp.line)
        nodes = [
            Node(
                c.spec.code,
                c.line,
                tuple((p, self.lines.line((*c.path, "prerequisites", i))) for i, p in enumerate(c.spec.prerequisites)),
            )
            for c in self.comps
        ]
        check_prerequisites(nodes, self.known, lambda line, message: self.problems.add(self.name, line, message))
        seen: dict[str, _Entry] = {}
        for entry in self.entries:
            self._check_entry(entry, seen)

    def _check_entry(self, entry: _Entry, seen: dict[str, _Entry]) -> None:
        record, add = entry.record, self.problems.add
        what, verb = ("pre-test item", "is for") if isinstance(record, PretestItem) else ("item", "is tagged to")
        earlier = seen.setdefault(record.code, entry)
        if earlier is not entry:
            at = f"line {earlier.line}" if earlier.file == entry.file else f"{earlier.file}:{earlier.line}"
            add(entry.file, entry.line, f"duplicate item code '{record.code}' (first at {at})")
        tags = (record.competency,) if isinstance(record, PretestItem) else record.competencies
        for position, (tag, line) in enumerate(zip(tags, entry.tag_lines, strict=False)):
            if tag in tags[:position]:
                add(entry.file, line, f"{what} '{record.code}' is tagged to '{tag}' twice")
            elif tag not in self.known:
                hint = did_you_mean(tag, self.known)
                add(
                    entry.file,
                    line,
                    f"{what} '{record.code}' {verb} '{tag}', which is not a competency of this course{hint}",
                )

    def _build(self, spec: CourseSpec, source: Path | None) -> Curriculum:
        course = Course(**spec.model_dump())
        grades: dict[str, str | None] = {}
        competencies = []
        for comp in self.comps:
            grade = grades[comp.spec.code] = comp.spec.grade_level or course.grade_level
            competencies.append(
                Competency(
                    code=comp.spec.code,
                    name=comp.spec.name,
                    subject=course.subject,
                    grade_level=grade,
                    description=comp.spec.description,
                    prerequisites=tuple(comp.spec.prerequisites),
                )
            )
        items: list[ContentItem] = []
        pretest: list[PretestItem] = []
        for entry in self.entries:
            record = replace(entry.record, grade_level=entry.record.grade_level or grades.get(entry.grade_from or ""))
            (pretest if isinstance(record, PretestItem) else items).append(record)  # type: ignore[arg-type]
        return Curriculum(course, tuple(competencies), tuple(items), tuple(pretest), source)
