"""Idempotency keys carry what they were given for, and responses can be voided.

``response.fingerprint`` is the hash of what a response says (student, competency and item codes, the answer,
source, attempt; see ``adaptive.store.recording.fingerprint``; the time is compared on its own): the same key
may come again only with the same content. Stored rows get theirs here, computed in Python in batches (the
same on SQLite and PostgreSQL).

``voided_at``, ``voided_by`` and ``void_reason``: a voided response stays stored, marked, and counts for
nothing. The history index gains ``voided_at`` so the history reads, which now skip voided responses, still
never visit the table. Walking back deletes voided responses (mastery was already replayed without them).

Revision ID: 0019
Revises: 0018
"""

import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
HISTORY = ["student_id", "competency_id", "answered_at", "idempotency_key", "evidence", "source", "item_id"]

_response = sa.table(
    "response",
    sa.column("id", sa.Integer()),
    sa.column("student_id", sa.Integer()),
    sa.column("competency_id", sa.Integer()),
    sa.column("item_id", sa.Integer()),
    sa.column("correct", sa.Boolean()),
    sa.column("score", sa.Float()),
    sa.column("attempt", sa.Integer()),
    sa.column("source", sa.String()),
    sa.column("answered_at", sa.DateTime()),
    sa.column("fingerprint", sa.String()),
    sa.column("voided_at", sa.DateTime()),
)
_student = sa.table("student", sa.column("id", sa.Integer()), sa.column("code", sa.String()))
_competency = sa.table("competency", sa.column("id", sa.Integer()), sa.column("code", sa.String()))
_item = sa.table("content_item", sa.column("id", sa.Integer()), sa.column("code", sa.String()))


def fingerprint(student: str, competency: str, item: str | None, correct: bool | None, score: float | None,
                source: str, attempt: int | None) -> str:
    """A copy of ``adaptive.store.recording.fingerprint`` as of this revision (migrations never follow code)."""
    content = [student, competency, item, correct, score, source, attempt]
    return hashlib.sha256(json.dumps(content, separators=(",", ":")).encode()).hexdigest()


def _fill(conn: sa.Connection) -> None:
    """Fill the fingerprint of every stored response, ``BATCH`` rows at a time in id order."""
    r = _response.c
    query = (sa.select(r.id, _student.c.code, _competency.c.code, _item.c.code, r.correct, r.score,
                       r.source, r.attempt)
             .join(_student, _student.c.id == r.student_id).join(_competency, _competency.c.id == r.competency_id)
             .outerjoin(_item, _item.c.id == r.item_id).order_by(r.id).limit(BATCH))
    update = sa.update(_response).where(r.id == sa.bindparam("b_id")).values(fingerprint=sa.bindparam("b_fp"))
    after = None
    while True:
        rows = conn.execute(query if after is None else query.where(r.id > after)).all()
        if not rows:
            return
        conn.execute(update, [{"b_id": rid, "b_fp": fingerprint(s, c, i, None if ok is None else bool(ok), score,
                                                                 source, attempt)}
                              for rid, s, c, i, ok, score, source, attempt in rows])
        after = rows[-1][0]


def upgrade() -> None:
    op.add_column("response", sa.Column("fingerprint", sa.String(length=64), nullable=True))
    op.add_column("response", sa.Column("voided_at", sa.DateTime(), nullable=True))
    op.add_column("response", sa.Column("voided_by", sa.String(length=200), nullable=True))
    op.add_column("response", sa.Column("void_reason", sa.Text(), nullable=True))
    _fill(op.get_bind())
    op.drop_index("ix_response_history", table_name="response")
    op.create_index("ix_response_history", "response", [*HISTORY, "voided_at"])


def downgrade() -> None:
    op.execute("DELETE FROM response WHERE voided_at IS NOT NULL")
    op.drop_index("ix_response_history", table_name="response")
    op.create_index("ix_response_history", "response", HISTORY)
    with op.batch_alter_table("response") as batch:
        batch.drop_column("void_reason")
        batch.drop_column("voided_by")
        batch.drop_column("voided_at")
        batch.drop_column("fingerprint")
