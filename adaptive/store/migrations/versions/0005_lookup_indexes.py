"""Indexes for the lookups every decision makes: a student's goals and playlist changes (read for each
batch of decisions) and the decision of a response (read when a duplicate response is recorded); and a
pair's history index now also holds evidence, source and item, so what each decision reads of history
(last right answer, pre-test answers, items answered lately) comes from the index alone. (A separate
index on (student, answered_at) made SQLite's planner use it for the per-pair reads too, so there is none.)

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
HISTORY = ["student_id", "competency_id", "answered_at", "idempotency_key"]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.drop_index("ix_response_history", table_name="response")
    op.create_index("ix_response_history", "response", [*HISTORY, "evidence", "source", "item_id"])


def downgrade() -> None:
    op.drop_index("ix_response_history", table_name="response")
    op.create_index("ix_response_history", "response", HISTORY)
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
