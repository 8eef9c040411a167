"""Knowledge-tracing parameters: read, set by hand, or fitted with pyBKT from stored responses (mastery
recomputed with them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from adaptive.domain import StoredParameters, UnknownRecord
from adaptive.domain.tracing import BKTParams, FitProvenance
from adaptive.services import states
from adaptive.services.context import Context
from adaptive.store import parameters

if TYPE_CHECKING:
    from adaptive.knowledge_tracing.fitting import FitOptions, FitResult


class TracingService:
    """BKT parameters of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def parameters(self, competency: str) -> StoredParameters:
        """The competency's parameters: fitted, set by hand, or the defaults (``is_default``)."""

        def work(session: Session) -> StoredParameters:
            found = parameters.load(session, competency)
            if found is None:
                return StoredParameters(competency, self._ctx.settings.default_params, None, True)
            return StoredParameters(competency, found[0], found[1], False)

        return self._ctx.read(work)

    def set_parameters(self, competency: str, params: BKTParams, provenance: FitProvenance | None = None) -> None:
        """Store parameters for a competency and recompute its students' mastery with them."""
        self._ctx.write(lambda s: self._store_params(s, {competency: params}, provenance), retry_integrity=True)

    def fit_parameters(
        self,
        competencies: Sequence[str] | None = None,
        options: FitOptions | None = None,
        *,
        on_skill: Callable[[str], None] | None = None,
        threads: int | None = None,
        jobs: int = 1,
    ) -> FitResult:
        """Fit BKT parameters with pyBKT from stored responses (all competencies with responses, or the
        given ones), store them with their provenance and recompute the affected mastery states.

        pyBKT sees a response as correct when its evidence is at least 0.5 and the item code as
        ``template_id`` (for ``multilearn``/``multigs``). ``threads`` and ``jobs`` are those of
        :func:`adaptive.knowledge_tracing.fitting.fit` (pyBKT's OpenMP threads; competencies fitted in ``jobs``
        processes at once, with the same parameters).
        """
        from adaptive.knowledge_tracing.fitting import fit, history_frame  # pyBKT and pandas load when a fit runs

        frame = history_frame(self._ctx.read(lambda s: parameters.fit_rows(s, competencies)))
        if frame.empty:
            raise UnknownRecord("no stored responses to fit parameters from")
        result = fit(frame, options, on_skill=on_skill, threads=threads, jobs=jobs)
        self._ctx.write(lambda s: self._store_params(s, result.params, result.provenance), retry_integrity=True)
        return result

    def _store_params(self, session: Session, params: dict[str, BKTParams], provenance: FitProvenance | None) -> None:
        ids = parameters.save(session, params, provenance)
        states.recompute_competencies(session, ids, self._ctx.settings.default_params)
