"""Fitting BKT parameters with pyBKT (its compiled C++ EM), one competency at a time."""

from __future__ import annotations

import re
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
) -> FitResult:
    """Fit every skill in ``data`` (pyBKT's columns, rows in answer order per user).

    ``on_skill`` is called after each skill is fitted (for progress bars). ``threads`` caps the OpenMP threads of
    pyBKT's E-step (None: OpenMP's default, one per core); 1 turns its threading off, which is much faster on a
    machine whose cores are busy. The parameters do not depend on it.
    """
    # Imported here: pyBKT imports scikit-learn's metric probes, which costs a second at start-up.
    from pyBKT.models import Model
    from threadpoolctl import threadpool_limits

    options = options or FitOptions()
    if options.multiprior and options.multilearn:
        raise ValueError("multiprior and multilearn cannot be combined (pyBKT allows one resource variant)")
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    # pyBKT's C++ is loaded by now, so its OpenMP runtime takes the limit (OMP_NUM_THREADS would be read too late).
    with threadpool_limits(threads, user_api="openmp"):
        return _fit_skills(Model(seed=options.seed, num_fits=options.num_fits), data, options, on_skill, threads != 1)


def _fit_skills(
    model: Any, data: pd.DataFrame, options: FitOptions, on_skill: Callable[[str], None] | None, parallel: bool
) -> FitResult:
    frame = data.copy()
    frame["skill_name"] = frame["skill_name"].astype(str)
    fitted: dict[str, BKTParams] = {}
    groups = dict(tuple(frame.groupby("skill_name", sort=False)))
    # Skills in the order pyBKT's own all-skills fit takes them, so the random restarts (one stream
    # across skills) match and the parameters equal `Model(seed=...).fit(data)`'s.
    ordered = frame.sort_values("order_id") if "order_id" in frame.columns else frame
    for skill in ordered.sort_values("user_id", kind="mergesort")["skill_name"].unique():
        # num_fits and parallel on every call: after its first fit pyBKT resets unpassed options to defaults.
        model.fit(data=groups[skill].copy(), skills=re.escape(skill), num_fits=options.num_fits, parallel=parallel,
                  **options.pybkt_kwargs())
        fitted[skill] = params_from_pybkt(model.fit_model[skill], options)
        if on_skill is not None:
            on_skill(skill)
    provenance = FitProvenance(
        fitted_at=datetime.now(UTC).isoformat(timespec="seconds"),
        n_responses=len(frame),
        options=asdict(options),
    )
    return FitResult(fitted, provenance)


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

