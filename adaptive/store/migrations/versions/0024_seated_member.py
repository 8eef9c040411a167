"""Whether an issued list's member was seated in a group on one of their other gaps because the group of their
most urgent gap did not fit the teacher's day (``small_group_member.seated``; their most urgent gap is then the
first of ``also``). A page says so beside the reason. Rows issued before this revision read back as not seated.

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("small_group_member", sa.Column("seated", sa.Boolean(), nullable=True))


def downgrade() -> None:
    # In place (SQLite 3.35+), as 0023's downgrade.
    op.drop_column("small_group_member", "seated")
