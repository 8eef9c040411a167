"""What a next-item strategy is, and what it may read of a student.

A strategy names the competencies a student should work on next, best first, each with the reason a
teacher reads; the decisions engine turns them into items (difficulty near the student's level, nothing
seen recently, pins first). Strategies read the student through the small :class:`StudentView` and
:class:`CatalogueView` interfaces below, so they depend on neither the store nor the decisions engine and
the rules checker can read this registry without importing either.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Protocol


class CatalogueView(Protocol):
    """The curriculum's shape as strategies read it."""

    @property
    def codes(self) -> Mapping[int, str]: ...
    @property
    def names(self) -> Mapping[int, str]: ...
    @property
    def prerequisites(self) -> Mapping[int, Collection[int]]: ...
    def sequence(self, first: int | None, started: Collection[int]) -> list[int]: ...


class MasteryState(Protocol):
    @property
    def last_at(self) -> datetime | None: ...  # loaded only for strategies that need "last_answered"


class StudentView(Protocol):
    """One student's mastery as strategies read it."""

    @property
    def catalogue(self) -> CatalogueView: ...
    @property
    def states(self) -> Mapping[int, MasteryState]: ...
    @property
    def skips(self) -> Collection[int]: ...
    def p(self, cid: int) -> float: ...
    def level(self, cid: int) -> str: ...
    def ready(self, cid: int) -> bool: ...


# What a strategy yields: (competency id, the reason shown with its items), best first.
Competencies = Iterator[tuple[int, str]]


def named(catalogue: CatalogueView, cid: int) -> str:
    """A competency as a reason names it, in the classroom's words first: "Unit rates (6.RP.2)"."""
    return f"{catalogue.names[cid]} ({catalogue.codes[cid]})"


Pick = Callable[[StudentView, int | None, Mapping[str, Any]], Competencies]

# Settings every strategy takes (the decisions engine applies them to the items): name -> (kind, default).
# Kinds are the rules' value kinds (adaptive.rules.evidence).
COMMON_SETTINGS: Mapping[str, tuple[str, Any]] = MappingProxyType({
    "difficulty_window": ("fraction", 0.15),
    "avoid_recent_days": ("count", 3),
})

# Evidence beyond mastery, skips and the catalogue that a strategy may ask to have loaded: name -> meaning.
EVIDENCE = MappingProxyType({
    "last_answered": "when the student last answered each competency (MasteryState.last_at)",
})

# The strategy used when none is named, and the one every list is filled from when a strategy runs out.
FALLBACK = "scope_and_sequence"


@dataclass(frozen=True)
class Strategy:
    """One next-item strategy: its name in the rules, what it does in the lead's words (shown by the rules
    checker and documented in docs/rules.md), its settings, the extra evidence it needs and its pick."""

    name: str
    description: str
    pick: Pick  # (view, anchor competency id or None, settings) -> competencies, best first
    order: int  # where it is listed among the strategies (the checker's "known: ..." list)
    settings: Mapping[str, tuple[str, Any]] = field(default_factory=lambda: COMMON_SETTINGS)
    needs: frozenset[str] = frozenset()  # names from EVIDENCE

    def __post_init__(self) -> None:
        unknown = self.needs - EVIDENCE.keys()
        if unknown:
            raise ValueError(f"strategy {self.name!r} needs unknown evidence {sorted(unknown)}; "
                             f"known: {', '.join(EVIDENCE)}")
