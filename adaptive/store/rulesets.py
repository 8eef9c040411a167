"""Published rules files as stored: each publish adds a version and makes it the only active one."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from adaptive.domain.deciding import PublishedRules
from adaptive.store import driver
from adaptive.store import models as m
from adaptive.store.state import from_db_time, to_db_time

_versions = m.RulesetVersion.__table__
ACTIVE_ID = (select(_versions.c.id).where(_versions.c.active.is_(True)).order_by(_versions.c.id.desc()).limit(1))


def _published(row: m.RulesetVersion) -> PublishedRules:
    return PublishedRules(row.ruleset_id, row.version, row.text, dict(row.tables or {}), row.published_by,
                          from_db_time(row.published_at), row.diff, row.active, row.id, row.note)


def active_id(session: Session) -> int | None:
    """The id of the active published version (the newest, should two publishes have raced); None: the
    shipped defaults are active."""
    return driver.scalar(session.connection(), ACTIVE_ID)


def active(session: Session) -> PublishedRules | None:
    """The active published version, or None for the defaults."""
    rv = m.RulesetVersion
    row = session.scalar(select(rv).where(rv.active.is_(True)).order_by(rv.id.desc()).limit(1))
    return None if row is None else _published(row)


def version(session: Session, version_id: int) -> PublishedRules | None:
    row = session.get(m.RulesetVersion, version_id)
    return None if row is None else _published(row)


def history(session: Session) -> list[PublishedRules]:
    """Every published version, oldest first."""
    return [_published(r) for r in session.scalars(select(m.RulesetVersion).order_by(m.RulesetVersion.id))]


def publish(session: Session, new: PublishedRules) -> PublishedRules:
    """Store a new version and make it the only active one; returns it as stored."""
    assert new.published_at is not None
    row = m.RulesetVersion(ruleset_id=new.ruleset_id, version=new.version, text=new.text, tables=new.tables,
                           published_by=new.published_by, published_at=to_db_time(new.published_at),
                           diff=new.diff, active=True, note=new.note)
    session.add(row)
    session.flush()
    session.execute(update(m.RulesetVersion).where(m.RulesetVersion.id != row.id).values(active=False))
    return _published(row)
