"""When the roster removed a student (``student.left_roster_at``), so a retention setting can erase students
some days after they left. Students a roster removed before this revision start the clock now.

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("student", sa.Column("left_roster_at", sa.DateTime(), nullable=True))
    student = sa.table("student", sa.column("active", sa.Boolean()), sa.column("sourced_id", sa.String()),
                       sa.column("left_roster_at", sa.DateTime()))
    # Naive UTC, as every stored time: the database's own clock, in UTC on both backends.
    now = sa.text("CURRENT_TIMESTAMP") if op.get_bind().dialect.name == "sqlite" else sa.text(
        "(now() AT TIME ZONE 'UTC')")
    op.execute(student.update().where(student.c.active == sa.false(), student.c.sourced_id.is_not(None))
               .values(left_roster_at=now))


def downgrade() -> None:
    # In place (SQLite 3.35+): copying the table, as batch mode does, would rewrite its foreign keys as table
    # constraints that 0007's downgrade cannot drop.
    op.drop_column("student", "left_roster_at")
