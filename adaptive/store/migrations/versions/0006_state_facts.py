"""Mastery states keep what the rules read of a pair's history: when its latest right answer was given
(``last_success_at``) and how many pre-test answers it has (``pretest_answers``), updated with the state,
so a decision no longer groups the pair's whole history to find them. Existing states are filled in from
their responses.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CORRECT_AT = 0.5  # adaptive.store.state.CORRECT_AT when this was written
SAME_PAIR = "r.student_id = mastery_state.student_id AND r.competency_id = mastery_state.competency_id"


def upgrade() -> None:
    with op.batch_alter_table("mastery_state") as batch:
        batch.add_column(sa.Column("last_success_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("pretest_answers", sa.Integer(), nullable=False, server_default="0"))
    op.execute(f"""UPDATE mastery_state SET
        last_success_at = (SELECT max(r.answered_at) FROM response r WHERE {SAME_PAIR} AND r.evidence >= {CORRECT_AT}),
        pretest_answers = (SELECT count(*) FROM response r WHERE {SAME_PAIR} AND r.source = 'pretest')""")


def downgrade() -> None:
    with op.batch_alter_table("mastery_state") as batch:
        batch.drop_column("pretest_answers")
        batch.drop_column("last_success_at")
