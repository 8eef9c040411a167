"""What the facade's method groups share: running work in a transaction and reading in one.

:class:`adaptive.tutor.Tutor` combines the groups (core, content library, decisions); each group is a
mixin over this base so that each capability keeps its facade methods in its own module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from adaptive.decisions.snapshot import Catalogue, CatalogueCache
from adaptive.knowledge_tracing.evidence import MasteryLevels, ScoreScale
from adaptive.knowledge_tracing.params import BKTParams
from adaptive.store import models as m
from adaptive.store.recording import Lookup
from adaptive.store.repository import Repository


class TutorBase:
    """Attributes and transaction helpers every facade method group may use (set up by ``Tutor``)."""

    url: str
    score_scale: ScoreScale
    levels: MasteryLevels
    default_params: BKTParams

    def _write(self, work: Callable[[Session], Any], retry_integrity: bool = False) -> Any:
        """Run ``work`` in one transaction (retried on deadlocks and lost races); returns its result."""
        raise NotImplementedError

    def _read(self, work: Callable[[Session], Any]) -> Any:
        """Run ``work`` in a read-only transaction; returns its result."""
        raise NotImplementedError

    def _catalogue(self, session: Session) -> Catalogue:
        """The catalogue as this transaction sees it (kept between transactions while it is unchanged; its
        revision is read once per transaction: a session is one transaction here)."""
        cat = session.info.get("adaptive_catalogue")
        if cat is None:
            # setdefault is atomic: two threads asking at once get the same cache.
            cache = self.__dict__.setdefault("_catalogue_cache", CatalogueCache(self.default_params))
            cat = session.info["adaptive_catalogue"] = cache.get(session)
        return cat

    def _lookup(self, session: Session, cat: Catalogue, students: set[str], items: set[str]) -> Lookup:
        """Codes resolved to ids: items and competencies from the catalogue, students with one query (unknown
        codes are simply absent, for :func:`adaptive.store.recording.check_references` to report)."""
        found = {code: cat.item_tags[code] for code in items if code in cat.item_tags}
        return Lookup(Repository(session).ids(m.Student, students), found, cat.competency_ids)
