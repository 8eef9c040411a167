"""The evidence snapshot rules read: one student, one competency, at the moment a response or pre-test lands."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, fields
from typing import Any

EVENTS = ("response", "pretest")
SOURCES = ("pretest", "practice", "assessment", "teacher_observation")
LEVELS = ("not started", "attempted", "familiar", "proficient", "mastered")


@dataclass(frozen=True)
class FieldKind:
    """What a rule may ask of an evidence field: its kind and, for choices, the allowed values."""

    kind: str  # "fraction" (0..1), "number", "count" (whole number >= 0), "yes/no", "choice", "text", "date"
    optional: bool = False
    choices: tuple[str, ...] = ()


FIELDS: dict[str, FieldKind] = {
    "student": FieldKind("text"),
    "competency": FieldKind("text"),
    "competency_name": FieldKind("text"),  # for reasons and messages only: rules test the code
    "event": FieldKind("choice", choices=EVENTS),
    "source": FieldKind("choice", choices=SOURCES),
    "p_mastered": FieldKind("fraction"),
    "level": FieldKind("choice", choices=LEVELS),
    "attempts": FieldKind("count"),
    "correct_count": FieldKind("count"),
    "wrong_streak": FieldKind("count"),
    "days_since_last_success": FieldKind("number", optional=True),
    "pretest_score": FieldKind("fraction", optional=True),
    "prerequisites_mastered": FieldKind("yes/no"),
    "weakest_prerequisite_p": FieldKind("fraction", optional=True),
    "goal_deadline_days": FieldKind("number", optional=True),
    "on": FieldKind("date"),
}
# Fields a reason or message may quote but no rule tests (names change; rules test the code). They stay out of
# durable_rules' facts and out of the evidence stored with a decision, which the code stands for.
QUOTED_ONLY = frozenset({"competency_name"})


def check_value(kind: FieldKind, value: Any) -> str | None:
    """Why ``value`` does not fit ``kind`` (a short phrase), or None when it fits."""
    if value is None:
        return None if kind.optional else "is required (it cannot be empty)"
    k = kind.kind
    if k == "yes/no":
        return None if isinstance(value, bool) else f"must be true or false, not {value!r}"
    if k in ("fraction", "number", "count"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number, not {value!r}"
        if not math.isfinite(value):
            return f"must be a finite number, not {value!r}"
        if k == "fraction" and not 0.0 <= value <= 1.0:
            return f"must be a fraction between 0 and 1, not {value!r}"
        if k == "count" and (value < 0 or value != int(value)):
            return f"must be a whole number 0 or more, not {value!r}"
        return None
    if k == "date":
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return None if ok else f"must be a date like 2025-09-01, not {value!r}"
    if not isinstance(value, str):
        return f"must be text, not {value!r}"
    if k == "choice" and value not in kind.choices:
        return f"must be one of {', '.join(kind.choices)}; not {value!r}"
    return None


@dataclass(frozen=True)
class Evidence:
    """What the store knows about one student on one competency when a response or pre-test is recorded.

    ``pretest_score`` is the fraction (0..1) of the pre-test answered right; a 1-5 scale score is mapped to
    0..1 before it gets here. ``goal_deadline_days`` is negative when the goal is overdue. Fields that are
    unknown are None, and any rule condition on a None field is false.
    """

    student: str
    competency: str
    competency_name: str
    event: str
    source: str
    p_mastered: float
    level: str
    attempts: int
    correct_count: int
    wrong_streak: int
    days_since_last_success: float | None
    pretest_score: float | None
    prerequisites_mastered: bool
    weakest_prerequisite_p: float | None
    goal_deadline_days: float | None
    on: dt.date

    def __post_init__(self) -> None:
        for name in _NAMES:
            why = check_value(FIELDS[name], getattr(self, name))
            if why:
                raise ValueError(f"Evidence.{name} {why}")

    @classmethod
    def from_store(cls, **values: Any) -> Evidence:
        """Evidence the store builds from values it keeps in range itself: every field given, no checks
        (thousands are built per batch; tests check that they would pass)."""
        if values.keys() != _KEYS:
            raise TypeError(f"Evidence.from_store takes exactly the fields {', '.join(_NAMES)}")
        evidence = object.__new__(cls)
        evidence.__dict__.update(values)  # a frozen dataclass's fields live in its __dict__
        evidence.__dict__["_fields"] = values  # as_dict's answer, already made
        return evidence

    def as_dict(self) -> dict[str, Any]:
        known = self.__dict__.get("_fields")
        return dict(known) if known is not None else {name: getattr(self, name) for name in _NAMES}


_NAMES = tuple(f.name for f in fields(Evidence))
_KEYS = frozenset(_NAMES)
