"""Querying the content search index built by migration 0003 (FTS5 on SQLite, tsvector on PostgreSQL).

The index is kept in step by database triggers, so every write path (curriculum import, item upserts, raw
SQL) updates it in the same transaction.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from adaptive.domain import StoreError
from adaptive.domain.curriculum import ContentHit
from adaptive.store import models as m
from adaptive.store.repository import Repository

# Relevance weights: title, kind, tagged competencies (SQLite bm25; PostgreSQL uses setweight A, B, C).
SQLITE_RANK = "-bm25(content_search, 10.0, 2.0, 3.0)"
INDEX_OBJECTS = ("content_search", "ix_content_search_document")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic autogenerate filter: the search index (migration 0003) is not in the ORM models."""
    return not (reflected and compare_to is None and name is not None and name.startswith(INDEX_OBJECTS))


def fts5_query(terms: tuple[str, ...]) -> str:
    """An SQLite FTS5 query matching any of ``terms``, each a quoted phrase (so its text is never syntax)."""
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _ranked(dialect: str, terms: tuple[str, ...]) -> Any:
    """(item_id, score) of the items matching any of ``terms``."""
    if dialect == "sqlite":
        return (
            sa.select(
                sa.literal_column("content_search.rowid").label("item_id"),
                sa.literal_column(SQLITE_RANK).label("score"),
            )
            .select_from(sa.table("content_search"))
            .where(sa.text("content_search MATCH :fts").bindparams(fts=fts5_query(terms)))
        )
    if dialect == "postgresql":
        index = sa.table("content_search", sa.column("item_id"), sa.column("document"))
        english = sa.literal_column("'english'::regconfig")
        phrases = [sa.func.phraseto_tsquery(english, sa.cast(sa.literal(t), sa.Text)) for t in terms]
        query = functools.reduce(lambda a, b: a.op("||")(b), phrases)
        return sa.select(index.c.item_id, sa.func.ts_rank(index.c.document, query).label("score")).where(
            index.c.document.op("@@")(query)
        )
    raise StoreError(f"content search needs SQLite or PostgreSQL, not {dialect}")


def search(
    session: Session,
    terms: tuple[str, ...],
    *,
    competency: str | None = None,
    grade: str | None = None,
    kind: str | None = None,
    include_pretest: bool = False,
    limit: int | None = 20,
) -> list[ContentHit]:
    """Items matching any of ``terms`` (every item when there are none), best first, filtered."""
    item = m.ContentItem
    if terms:
        ranked = _ranked(session.get_bind().dialect.name, terms).subquery()
        score: Any = ranked.c.score
        q = sa.select(item, score).join(ranked, ranked.c.item_id == item.id).order_by(score.desc(), item.code)
    else:
        q = sa.select(item, sa.literal(0.0)).order_by(item.code)
    if competency is not None:
        tagged = (
            sa.select(m.ItemCompetency.item_id)
            .join(m.Competency, m.Competency.id == m.ItemCompetency.competency_id)
            .where(m.Competency.code == competency)
        )
        q = q.where(item.id.in_(tagged))
    if grade is not None:
        q = q.where(item.grade_level == grade)
    if kind is not None:
        q = q.where(item.kind == kind)
    if not include_pretest:
        q = q.where(item.pretest_scoring.is_(None))
    rows = session.execute(q.limit(limit)).all()
    tags = Repository(session).item_tags({row[0].code for row in rows})
    return [
        ContentHit(
            i.code, i.title, i.kind, tags[i.code][1], i.grade_level, i.minutes, i.difficulty, i.url, float(s or 0.0)
        )
        for i, s in rows
    ]
