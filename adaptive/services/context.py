"""What every service of one Tutor shares: the database, the settings, and the catalogue kept in memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from adaptive.domain.catalogue import Catalogue
from adaptive.domain.evidence import MasteryLevels, ScoreScale
from adaptive.domain.tracing import BKTParams
from adaptive.services.audit import AccessLog
from adaptive.store.database import Database
from adaptive.store.evidence import CatalogueCache
from adaptive.store.recording import Lookup
from adaptive.store.repository import Repository
from adaptive.store.uow import MAX_ATTEMPTS

T = TypeVar("T")
CATALOGUE_KEY = "adaptive_catalogue"


@dataclass(frozen=True)
class Settings:
    """How evidence is read and mastery named: ``score_scale`` turns scores into evidence, ``levels``
    P(mastered) into a level, ``default_params`` serve competencies without fitted or set parameters, and
    ``chunk_size`` responses make one transaction of a batch."""

    score_scale: ScoreScale
    levels: MasteryLevels
    default_params: BKTParams
    chunk_size: int = 1000


class Context:
    """The database, the settings, the catalogue cache and the access log (who is acting), handed to every
    service of one Tutor."""

    def __init__(self, database: Database, settings: Settings, access: AccessLog | None = None) -> None:
        self.database = database
        self.settings = settings
        self.access = access or AccessLog()
        self._catalogues = CatalogueCache(settings.default_params)

    def write(self, work: Callable[[Session], T], retry_integrity: bool = False, attempts: int = MAX_ATTEMPTS) -> T:
        """Run ``work`` in one transaction (tried up to ``attempts`` times on deadlocks and lost races); returns
        its result."""

        def run(session: Session) -> T:
            try:
                return work(session)
            finally:  # a write may change the catalogue: a unit of work's next call reads it again
                session.info.pop(CATALOGUE_KEY, None)

        return self.database.write(run, retry_integrity, attempts)

    def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a read-only transaction; returns its result."""
        return self.database.read(work)

    def catalogue(self, session: Session) -> Catalogue:
        """The catalogue as this transaction sees it (kept between transactions while it is unchanged; its
        revision is read once per transaction: a session is one transaction here)."""
        cat: Catalogue | None = session.info.get(CATALOGUE_KEY)
        if cat is None:
            cat = session.info[CATALOGUE_KEY] = self._catalogues.get(session)
        return cat

    def last_catalogue(self) -> Catalogue | None:
        """The catalogue last loaded, maybe changed since (no query): for guesses a transaction checks."""
        return self._catalogues.current

    def lookup(self, session: Session, cat: Catalogue, students: set[str], items: set[str]) -> Lookup:
        """Codes resolved to ids: items and competencies from the catalogue, students with one query (unknown
        codes are simply absent, for :func:`adaptive.store.recording.check_references` to report)."""
        found = {code: cat.item_tags[code] for code in items if code in cat.item_tags}
        return Lookup(Repository(session).student_ids(students), found, cat.competency_ids)
