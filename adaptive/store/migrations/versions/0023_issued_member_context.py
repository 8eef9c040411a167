"""What an issued list's member row needs so the list reads back as it was given: the flag that put the student
on the list (``small_group_member.flag_id``: a flex rotation checks in with flagged students; no foreign key,
the flag may be erased later), the day it was raised (``flagged_on``: the reason is a snapshot from then, not
today's mastery), the evidence behind the reason (``evidence``: JSON text, as the list's CSV and JSON give it)
and the student's other gaps on the list (``also``: competency codes as a JSON array). Rows issued before this
revision read back without them, as they did.

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("small_group_member", sa.Column("flag_id", sa.Integer(), nullable=True))
    op.add_column("small_group_member", sa.Column("flagged_on", sa.Date(), nullable=True))
    op.add_column("small_group_member", sa.Column("evidence", sa.Text(), nullable=True))
    op.add_column("small_group_member", sa.Column("also", sa.Text(), nullable=True))


def downgrade() -> None:
    # In place (SQLite 3.35+), as 0021's downgrade: batch mode would rewrite the table's foreign keys.
    op.drop_column("small_group_member", "also")
    op.drop_column("small_group_member", "evidence")
    op.drop_column("small_group_member", "flagged_on")
    op.drop_column("small_group_member", "flag_id")
