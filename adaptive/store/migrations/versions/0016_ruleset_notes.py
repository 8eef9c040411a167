"""Ruleset notes: each published rules version keeps why it was published (``--note``; a rollback says which
version it brings back), shown by ``adaptive rules history``.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ruleset_version", sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ruleset_version") as batch:
        batch.drop_column("note")
