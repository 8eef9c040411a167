"""Problems found in a curriculum file or item bank, each reported as ``FILE:LINE: message``."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from adaptive.content.schema import KINDS, _shown
from adaptive.domain.errors import Problem

M = TypeVar("M", bound=BaseModel)


class CurriculumError(ValueError):
    """A curriculum that cannot be loaded; ``problems`` lists every problem found, in file and line order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when ``word`` is close to one of ``choices``, else ``""``."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Problems:
    """Collects problems while reading; ``raise_if_any`` raises them all at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: str, line: int | None, message: str) -> None:
        self.items.append(Problem(file, line, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, main_file: str) -> None:
        if self.items:
            order = {name: i for i, name in enumerate(dict.fromkeys([main_file, *(p.file for p in self.items)]))}
            raise CurriculumError(sorted(self.items, key=lambda p: (order[p.file], p.line or 0)))


Locate = Callable[[tuple[Any, ...]], tuple[str, int | None]]


def validate(model: type[M], data: Any, locate: Locate, problems: Problems, label: str = "") -> M | None:
    """``model`` validated from ``data``; on failure each error goes to ``problems`` at ``locate(loc)``.

    ``label`` (e.g. ``item 'x'``) starts each message.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(part for part in error["loc"] if isinstance(part, str | int))
            message = _message(model, loc, error)
            problems.add(*locate(loc), f"{label}: {message}" if label else message)
        return None


def label(what: str, data: Any, position: int) -> str:
    """``item 'ns1-lesson'``, or ``item 3`` when the entry has no usable code."""
    code = data.get("code") if isinstance(data, dict) else None
    return f"{what} '{code}'" if isinstance(code, str | int) and not isinstance(code, bool) else f"{what} {position}"


def _message(model: type[BaseModel], loc: tuple[Any, ...], error: Any) -> str:
    kind, value, field = error["type"], error.get("input"), _field(loc)
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "extra_forbidden":
        return f"unknown field '{loc[-1]}'" + (did_you_mean(loc[-1], model.model_fields) if len(loc) == 1 else "")
    if kind == "literal_error" and loc[-1] == "kind":
        return f"unknown kind {value!r}{did_you_mean(value, KINDS)}; use one of: {', '.join(KINDS)}"
    if kind == "literal_error":
        return f"{field} must be one of {error['ctx']['expected']}, got {_shown(value)}"
    if kind == "value_error":
        return f"{field} {error['msg'].removeprefix('Value error, ')}"
    if kind in ("float_type", "finite_number"):
        return f"{field} must be a number, got {_shown(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        limits = "between 0 and 1" if loc[-1] == "difficulty" else "0 or more"
        return f"{field} must be {limits}, got {_shown(value)}"
    if kind == "list_type":
        return f"{field} must be a list ([a, b] or one '- entry' per line), got {_shown(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{field or 'each entry'} must be a mapping of fields (name: value), got {_shown(value)}"
    if kind == "too_short":
        return f"{field} needs at least one entry"
    if kind == "invalid_key":
        return f"field names must be text, got {_shown(value)}"
    return f"{field}: {error['msg']}" if field else error["msg"]


def _field(loc: tuple[Any, ...]) -> str:
    """``prerequisites (entry 2)`` for ``('prerequisites', 1)``."""
    if not loc:
        return ""
    if isinstance(loc[-1], int):
        return f"{_field(loc[:-1]) or 'list'} (entry {loc[-1] + 1})"
    return str(loc[-1])
