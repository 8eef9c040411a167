"""Chat follow-ups: ``chat_followup`` keeps the question the conversation core asked each chat user and waits
for the answer to (what kind, its state as JSON, when it was asked), so a restart or another server process
takes the answer.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_followup",
        sa.Column("platform", sa.String(length=50), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "user_id", name=op.f("pk_chat_followup")),
    )


def downgrade() -> None:
    op.drop_table("chat_followup")
