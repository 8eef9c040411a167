"""Waiting groups: an issued small-group list keeps the groups that did not fit the teacher's day
(``waiting``), so the next day's list knows who waited and sees them first. Waiting students are not pulled.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("small_group", sa.Column("waiting", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.execute("DELETE FROM small_group_member WHERE group_id IN (SELECT id FROM small_group WHERE waiting)")
    op.execute("DELETE FROM small_group WHERE waiting")
    with op.batch_alter_table("small_group") as batch:
        batch.drop_column("waiting")
