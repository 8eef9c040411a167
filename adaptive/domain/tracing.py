"""Fitted BKT parameters for one competency, in pyBKT's vocabulary; a stored mastery state and the answers
that move it, as the store loads them and knowledge tracing advances them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

PARAM_KEYS = ("prior", "learns", "guesses", "slips", "forgets")


class ParamsError(ValueError):
    """Parameters that cannot be used (missing key, wrong length, not a probability)."""


@dataclass(frozen=True)
class BKTParams:
    """One competency's parameters.

    ``learns``/``forgets`` hold one value per learning class (pyBKT's ``resource_names``, e.g. one per
    template with ``multilearn``); ``guesses``/``slips`` one per guess class (``gs_names``, ``multigs``).
    Standard BKT has one class of each, named ``default``.
    """

    prior: float
    learns: tuple[float, ...]
    guesses: tuple[float, ...]
    slips: tuple[float, ...]
    forgets: tuple[float, ...]
    resource_names: tuple[str, ...] = ("default",)
    gs_names: tuple[str, ...] = ("default",)
    # pyBKT's multiprior: the first response's class picks the starting mastery (learns[class]).
    multiprior: bool = False
    # Data columns whose value picks a row's learning class / guess class (None: always the first class).
    resource_column: str | None = None
    gs_column: str | None = None

    def __post_init__(self) -> None:
        if len(self.learns) != len(self.forgets) or len(self.learns) != len(self.resource_names):
            raise ParamsError("learns, forgets and resource_names must have the same length")
        if len(self.guesses) != len(self.slips) or len(self.guesses) != len(self.gs_names):
            raise ParamsError("guesses, slips and gs_names must have the same length")
        if not self.learns or not self.guesses:
            raise ParamsError("learns and guesses need at least one value")
        for name in PARAM_KEYS:
            values = (self.prior,) if name == "prior" else getattr(self, name)
            for v in values:
                if not (isinstance(v, float | int) and math.isfinite(v) and 0.0 <= v <= 1.0):
                    raise ParamsError(f"{name} must be probabilities in [0, 1], got {v!r}")

    @classmethod
    def standard(cls, prior: float, learn: float, guess: float, slip: float, forget: float = 0.0) -> BKTParams:
        """Plain BKT with one class of each kind."""
        return cls(float(prior), (float(learn),), (float(guess),), (float(slip),), (float(forget),))

    @property
    def initial_belief(self) -> tuple[float, float]:
        """(P(mastered), P(not mastered)) before a student's first response: the prior, or with ``multiprior``
        pyBKT's phantom first step from it (both terms computed, as pyBKT does, not one as 1 - the other)."""
        if self.multiprior:
            learn, forget, prior = self.learns[0], self.forgets[0], self.prior
            return learn * (1 - prior) + (1 - forget) * prior, (1 - learn) * (1 - prior) + forget * prior
        return self.prior, 1.0 - self.prior

    @property
    def initial_mastery(self) -> float:
        """P(mastered) before a student's first response."""
        return self.initial_belief[0]

    def resource_index(self, name: str | None) -> int:
        """Learning class index for ``name``; unknown or missing names use the first class."""
        if name is not None and name in self.resource_names:
            return self.resource_names.index(name)
        return 0

    def gs_index(self, name: str | None) -> int:
        """Guess/slip class index for ``name``; unknown or missing names use the first class."""
        if name is not None and name in self.gs_names:
            return self.gs_names.index(name)
        return 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: pyBKT's ``coef_`` keys at full precision plus the class names."""
        return {
            "prior": float(self.prior),
            "learns": [float(v) for v in self.learns],
            "guesses": [float(v) for v in self.guesses],
            "slips": [float(v) for v in self.slips],
            "forgets": [float(v) for v in self.forgets],
            "resource_names": list(self.resource_names),
            "gs_names": list(self.gs_names),
            "multiprior": self.multiprior,
            "resource_column": self.resource_column,
            "gs_column": self.gs_column,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "parameters") -> BKTParams:
        """Build from :meth:`to_dict` output (or a bare ``coef_`` entry); errors name ``where``."""
        if not isinstance(data, Mapping):
            raise ParamsError(f"{where}: expected an object, got {type(data).__name__}")
        missing = [k for k in ("prior", "learns", "guesses", "slips") if k not in data]
        if missing:
            raise ParamsError(f"{where}: missing {', '.join(missing)}")

        def seq(key: str, default: Sequence[Any] | None = None) -> tuple[float, ...]:
            raw = data.get(key, default)
            values = raw if isinstance(raw, list | tuple) else [raw]
            try:
                return tuple(float(v) for v in values)
            except (TypeError, ValueError):
                raise ParamsError(f"{where}: {key} must be numbers, got {raw!r}") from None

        learns = seq("learns")
        forgets = seq("forgets", [0.0] * len(learns))
        guesses = seq("guesses")
        try:
            prior = float(data["prior"])
        except (TypeError, ValueError):
            raise ParamsError(f"{where}: prior must be a number, got {data['prior']!r}") from None
        names = data.get("resource_names") or (["default"] if len(learns) == 1 else [])
        gs_names = data.get("gs_names") or (["default"] if len(guesses) == 1 else [])
        try:
            return cls(
                prior,
                learns,
                guesses,
                seq("slips"),
                forgets,
                tuple(str(n) for n in names),
                tuple(str(n) for n in gs_names),
                bool(data.get("multiprior", False)),
                data.get("resource_column"),
                data.get("gs_column"),
            )
        except ParamsError as exc:
            raise ParamsError(f"{where}: {exc}") from None


@dataclass(frozen=True)
class FitProvenance:
    """How a set of parameters was fitted."""

    fitted_at: str
    n_responses: int
    options: dict[str, Any] = field(default_factory=dict)
    pybkt_version: str = "1.4.3"


@dataclass(slots=True)
class StoredState:
    """One student's mastery state of one competency as stored: the belief pair (P(mastered), P(not
    mastered)), the counts, the last response applied (its time and key, to tell a late response) and the
    ``version`` that guards the write. A plain record, not an ORM object: thousands are made per batch."""

    student_id: int
    competency_id: int
    p_mastered: float
    p_not_mastered: float
    attempts: int
    correct_count: int
    wrong_streak: int
    last_response_at: datetime | None
    last_response_key: str | None
    version: int
    updated_at: datetime | None
    last_success_at: datetime | None = None
    pretest_answers: int = 0


class Answer(NamedTuple):
    """One stored response as the mastery arithmetic reads it; answers apply in (``at``, ``key``) order, the
    same in every process. (A tuple: a replay reads a whole history of them.)"""

    at: datetime
    key: str
    evidence: float
    source: str
