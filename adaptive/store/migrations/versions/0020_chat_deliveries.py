"""Chat deliveries: ``chat_delivery`` keeps each request a chat platform delivered (the SHA-256 of its key)
with when it was first seen, at most one per (platform, key), so a retried or replayed request is acted on
once even across restarts and by several servers sharing the database.

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_delivery",
        sa.Column("platform", sa.String(length=50), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "key", name=op.f("pk_chat_delivery")),
    )
    op.create_index("ix_chat_delivery_seen", "chat_delivery", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_chat_delivery_seen", table_name="chat_delivery")
    op.drop_table("chat_delivery")
