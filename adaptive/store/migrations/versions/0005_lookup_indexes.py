"""Indexes for the lookups every decision makes: a student's goals and playlist changes (read for each
batch of decisions), and the decision of a response (read when a duplicate response is recorded).
Without them those reads scan their whole tables.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_goal_student", "goal", ["student_id"]),
    ("ix_playlist_change_student", "playlist_change", ["student_id"]),
    ("ix_decision_response", "decision", ["response_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
