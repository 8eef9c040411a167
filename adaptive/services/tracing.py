"""Knowledge-tracing parameters: read, set by hand, or fitted with pyBKT from stored responses (mastery
recomputed with them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from adaptive.domain import StoredParameters, UnknownRecord
from adaptive.domain.tracing import BKTParams, FitProvenance
from adaptive.services.context import Context
from adaptive.store import models as m
from adaptive.store import recording
from adaptive.store.repository import Repository
from adaptive.store.state import CORRECT_AT, from_db_time, to_db_time, utcnow

if TYPE_CHECKING:
    import pandas as pd

    from adaptive.knowledge_tracing.fitting import FitOptions, FitResult


class TracingService:
    """BKT parameters of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def parameters(self, competency: str) -> StoredParameters:
        """The competency's parameters: fitted, set by hand, or the defaults (``is_default``)."""

        def work(session: Session) -> StoredParameters:
            cid = competency_id(session, competency)
            row = session.get(m.FittedParameters, cid)
            if row is None:
                return StoredParameters(competency, self._ctx.settings.default_params, None, True)
            provenance = None
            if row.fitted_at is not None:
                provenance = FitProvenance(
                    from_db_time(row.fitted_at).isoformat(timespec="seconds"),  # type: ignore[union-attr]
                    row.n_responses or 0,
                    dict(row.options or {}),
                    row.pybkt_version or "",
                )
            return StoredParameters(competency, BKTParams.from_dict(row.params), provenance, False)

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
    ) -> FitResult:
        """Fit BKT parameters with pyBKT from stored responses (all competencies with responses, or the
        given ones), store them with their provenance and recompute the affected mastery states.

        pyBKT sees a response as correct when its evidence is at least 0.5 and the item code as
        ``template_id`` (for ``multilearn``/``multigs``).
        """
        from adaptive.knowledge_tracing.fitting import fit  # pyBKT and pandas load when a fit runs

        frame = self._ctx.read(lambda s: _history_frame(s, competencies))
        if frame.empty:
            raise UnknownRecord("no stored responses to fit parameters from")
        result = fit(frame, options, on_skill=on_skill)
        self._ctx.write(lambda s: self._store_params(s, result.params, result.provenance), retry_integrity=True)
        return result

    def _store_params(self, session: Session, params: dict[str, BKTParams], provenance: FitProvenance | None) -> None:
        ids = {code: competency_id(session, code) for code in params}
        now = utcnow()
        for code, p in params.items():
            row = session.get(m.FittedParameters, ids[code]) or m.FittedParameters(competency_id=ids[code])
            row.params = p.to_dict()
            row.fitted_at = to_db_time(datetime.fromisoformat(provenance.fitted_at)) if provenance else None
            row.n_responses = provenance.n_responses if provenance else None
            row.options = dict(provenance.options) if provenance else None
            row.pybkt_version = provenance.pybkt_version if provenance else None
            row.updated_at = now
            session.add(row)
        session.flush()
        recording.recompute_competencies(session, set(ids.values()), self._ctx.settings.default_params)


def competency_id(session: Session, code: str) -> int:
    cid = Repository(session).ids(m.Competency, {code}).get(code)
    if cid is None:
        raise UnknownRecord(f"unknown competency {code!r}")
    return cid


def _history_frame(session: Session, competencies: Sequence[str] | None) -> pd.DataFrame:
    import pandas as pd

    r = m.Response
    q = (
        select(m.Student.code, m.Competency.code, r.evidence, m.ContentItem.code, r.answered_at, r.idempotency_key)
        .join(m.Student, m.Student.id == r.student_id)
        .join(m.Competency, m.Competency.id == r.competency_id)
        .outerjoin(m.ContentItem, m.ContentItem.id == r.item_id)
    )
    if competencies is not None:
        for code in competencies:
            competency_id(session, code)
        q = q.where(m.Competency.code.in_(list(competencies)))
    cols = ["user_id", "skill_name", "evidence", "template_id", "answered_at", "key"]
    frame = pd.DataFrame(session.execute(q).all(), columns=cols)
    frame = frame.sort_values(["user_id", "skill_name", "answered_at", "key"], kind="stable")
    frame["correct"] = (frame["evidence"] >= CORRECT_AT).astype(int)
    frame["template_id"] = frame["template_id"].fillna("(none)")
    return frame[["user_id", "skill_name", "correct", "template_id"]].reset_index(drop=True)
