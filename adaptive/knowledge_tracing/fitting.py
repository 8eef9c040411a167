"""Fitting BKT parameters with pyBKT's compiled C++ EM, one competency at a time or several in parallel."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from adaptive.domain.evidence import CORRECT_AT
from adaptive.domain.tracing import BKTParams, FitProvenance

if TYPE_CHECKING:  # pandas is imported by whoever hands us a frame; the facade imports this module at start-up
    import pandas as pd

REQUIRED_COLUMNS = ("user_id", "skill_name", "correct")
# pyBKT's default columns for its model variants.
VARIANT_COLUMNS = {"multilearn": "template_id", "multigs": "template_id", "multiprior": "correct"}


@dataclass(frozen=True)
class FitOptions:
    """pyBKT options. A variant set to True uses pyBKT's default column; a string names the column."""

    forgets: bool = False
    multilearn: bool | str = False
    multigs: bool | str = False
    multiprior: bool | str = False
    num_fits: int = 5
    seed: int = 0

    def column(self, variant: str) -> str | None:
        value = getattr(self, variant)
        if value is True:
            return VARIANT_COLUMNS[variant]
        return value or None

    def pybkt_kwargs(self) -> dict[str, bool | str]:
        kwargs: dict[str, bool | str] = {"forgets": self.forgets}
        for variant in ("multilearn", "multigs", "multiprior"):
            col = self.column(variant)
            if col:
                kwargs[variant] = col
        return kwargs


@dataclass(frozen=True)
class FitResult:
    params: dict[str, BKTParams]
    provenance: FitProvenance


def fit(
    data: pd.DataFrame,
    options: FitOptions | None = None,
    *,
    on_skill: Callable[[str], None] | None = None,
    threads: int | None = None,
    jobs: int = 1,
) -> FitResult:
    """Fit every skill in ``data`` (pyBKT's columns, rows in answer order per user).

    The parameters are exactly those of pyBKT's ``Model(seed=..., num_fits=...).fit(data=...)`` with the same
    number of OpenMP threads: the data is converted once for all skills and pyBKT's own EM runs on each skill
    from the restarts pyBKT would draw for it (see :mod:`adaptive.knowledge_tracing.engine`).

    ``jobs`` fits that many skills at once in worker processes, each single-threaded (give it the number of
    cores). With ``jobs`` 1, ``threads`` caps the OpenMP threads of pyBKT's E-step (None: OpenMP's default, one
    per core); 1 turns its threading off, which is much faster on a machine whose cores are busy. Like pyBKT's,
    the parameters depend on the thread count only in the last bits (the E-step sums in another order): a fit
    with ``threads=T`` equals pyBKT's with T OpenMP threads bit for bit, and ``jobs=N`` equals ``threads=1``.
    ``on_skill`` is called after each skill is fitted (for progress bars; with ``jobs`` above 1 in the order
    the skills finish).
    Raises ``ValueError`` for bad options or data, and :class:`~adaptive.knowledge_tracing.engine.SkillFitError`
    (a ``ValueError`` naming the skill) when pyBKT fails on one skill.
    """
    # Imported here: the facade imports this module at start-up and numpy, pandas and pyBKT are not needed then.
    from threadpoolctl import threadpool_limits

    from adaptive.knowledge_tracing import engine
    from adaptive.knowledge_tracing.pybkt_data import convert

    options = options or FitOptions()
    if options.multiprior and options.multilearn:
        raise ValueError("multiprior and multilearn cannot be combined (pyBKT allows one resource variant)")
    if options.multiprior and options.multigs:
        raise ValueError("multiprior and multigs cannot be combined (pyBKT's conversion misaligns their rows)")
    if options.num_fits < 1:
        raise ValueError(f"num_fits must be at least 1, got {options.num_fits}")
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    if jobs > 1 and threads not in (None, 1):
        raise ValueError("threads applies to a fit in one process; with jobs above 1 each worker uses one thread")
    skills = convert(data, options)
    tasks = engine.starting_models(skills, options.num_fits, options.seed, options.forgets, bool(options.multiprior))
    fitted: dict[str, BKTParams] = {}

    def done(skill: str, model: dict[str, Any]) -> None:
        fitted[skill] = params_from_pybkt(model, options)
        if on_skill is not None:
            on_skill(skill)

    jobs = min(jobs, len(skills))
    if jobs > 1:
        engine.fit_in_processes(list(tasks), jobs, done)
    else:
        import pyBKT.fit.E_step  # noqa: F401  (loads pyBKT's OpenMP runtime, so the limit below reaches it)

        with threadpool_limits(threads, user_api="openmp"):
            for skill, model in engine.fit_here(tasks, parallel=threads != 1):
                done(skill, model)
    provenance = FitProvenance(
        fitted_at=datetime.now(UTC).isoformat(timespec="seconds"),
        n_responses=len(data),
        options=asdict(options),
    )
    return FitResult({skill: fitted[skill] for skill in skills}, provenance)


def history_frame(rows: Iterable[Sequence]) -> pd.DataFrame:
    """Stored responses as pyBKT's columns (``user_id, skill_name, correct, template_id``), in answer order
    per student and competency. ``rows``: (student, competency, evidence, item or None, answered_at, key);
    right means evidence of at least 0.5, and the item code is the ``template_id``."""
    import pandas as pd

    cols = ["user_id", "skill_name", "evidence", "template_id", "answered_at", "key"]
    frame = pd.DataFrame(list(rows), columns=cols)
    frame = frame.sort_values(["user_id", "skill_name", "answered_at", "key"], kind="stable")
    frame["correct"] = (frame["evidence"] >= CORRECT_AT).astype(int)
    frame["template_id"] = frame["template_id"].fillna("(none)")
    return frame[["user_id", "skill_name", "correct", "template_id"]].reset_index(drop=True)


def params_from_pybkt(fit_model: dict, options: FitOptions) -> BKTParams:
    """Convert one entry of pyBKT's ``fit_model`` into :class:`BKTParams`."""
    import numpy as np

    resource_names = _names_by_index(fit_model["resource_names"], base=1)
    gs_names = _names_by_index(fit_model["gs_names"], base=0 if options.column("multigs") else 1)
    multiprior = options.column("multiprior")
    return BKTParams(
        prior=float(fit_model["prior"]),
        learns=tuple(float(v) for v in np.ravel(fit_model["learns"])),
        guesses=tuple(float(v) for v in np.ravel(fit_model["guesses"])),
        slips=tuple(float(v) for v in np.ravel(fit_model["slips"])),
        forgets=tuple(float(v) for v in np.ravel(fit_model["forgets"])),
        resource_names=resource_names,
        gs_names=gs_names,
        multiprior=bool(multiprior),
        resource_column=multiprior or options.column("multilearn"),
        gs_column=options.column("multigs"),
    )


def _names_by_index(mapping: dict, base: int) -> tuple[str, ...]:
    names = [""] * len(mapping)
    for name, index in mapping.items():
        names[int(index) - base] = str(name)
    return tuple(names)
