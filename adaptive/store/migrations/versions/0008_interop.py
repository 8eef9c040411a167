"""Competency hierarchy (``competency_parent``: a standard under its cluster, from a CASE framework's
isChildOf links) and xAPI import bookkeeping: which student an xAPI actor is (``xapi_actor``) and which
responses a voiding statement removed (``xapi_voided``, so importing the voided statement again is a no-op).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "competency_parent",
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("competency_id <> parent_id", name=op.f("ck_competency_parent_not_self")),
        sa.ForeignKeyConstraint(["competency_id"], ["competency.id"],
                                name=op.f("fk_competency_parent_competency_id_competency"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["competency.id"],
                                name=op.f("fk_competency_parent_parent_id_competency"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("competency_id", name=op.f("pk_competency_parent")),
    )  # fmt: skip
    op.create_table(
        "xapi_actor",
        sa.Column("ifi", sa.String(length=500), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_xapi_actor_student_id_student"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ifi", name=op.f("pk_xapi_actor")),
    )  # fmt: skip
    op.create_table(
        "xapi_voided",
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("idempotency_key", name=op.f("pk_xapi_voided")),
    )


def downgrade() -> None:
    op.drop_table("xapi_voided")
    op.drop_table("xapi_actor")
    op.drop_table("competency_parent")
