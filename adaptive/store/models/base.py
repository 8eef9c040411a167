"""The declarative base every table shares (its naming convention), the helpers the tables use and the
value lists their CHECK constraints name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, MetaData
from sqlalchemy.orm import DeclarativeBase, mapped_column

ITEM_KINDS = ("lesson", "video", "practice", "assessment", "project", "offline_activity")
PRETEST_SCORINGS = ("correct", "scale")
PLAYLIST_CHANGES = ("pin", "remove")
UPDATE_KINDS = ("start", "mastered", "goal_met", "weekly")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _key(target: str) -> Any:
    """A primary-key column referencing ``target`` (rows go when the target goes)."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), primary_key=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
