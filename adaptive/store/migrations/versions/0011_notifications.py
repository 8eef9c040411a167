"""Notifications: ``notification_sent`` records each teacher's daily list claimed for sending on a platform,
at most one per (day, platform, teacher), so a second run the same day sends nothing.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("platform", sa.String(length=50), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["teacher_id"], ["teacher.id"], name=op.f("fk_notification_sent_teacher_id_teacher"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_sent")),
    )
    op.create_index("uq_notification_sent", "notification_sent", ["day", "platform", "teacher_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_notification_sent", table_name="notification_sent")
    op.drop_table("notification_sent")
