"""One open flag per (student, competency): ``flag.reasons`` keeps every rule that fired on it (the newest
evidence of each), ``flag.updated_at`` when it last gained evidence, ``flag.resolved_response_id`` the response
that closed it by itself (mastered or skipped), and a partial unique index allows one open flag per pair.

Open flags already stored twice or more for a pair are merged into the oldest (its reasons gain the others',
its evidence becomes the newest); the others are closed, ``resolved_by`` "adaptive", ``resolution``
"merged into flag #N". Open flags on a competency the student has since had skipped, or mastered (P(mastered)
at or above 0.95, the default mastered cut), close as deciding now closes them: ``resolution`` "skipped" or
"mastered", at the skip's or the latest response's time.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_flag = sa.table(
    "flag",
    sa.column("id", sa.Integer()),
    sa.column("student_id", sa.Integer()),
    sa.column("competency_id", sa.Integer()),
    sa.column("rule_id", sa.String()),
    sa.column("reason", sa.Text()),
    sa.column("evidence", sa.JSON()),
    sa.column("raised_at", sa.DateTime()),
    sa.column("resolved_at", sa.DateTime()),
    sa.column("resolved_by", sa.String()),
    sa.column("resolution", sa.Text()),
    sa.column("reasons", sa.JSON()),
    sa.column("updated_at", sa.DateTime()),
)


def _at(value: datetime | str | None) -> str | None:
    return None if value is None else (value if isinstance(value, str) else value.isoformat())


def _merge(conn: sa.Connection) -> None:
    """Fill ``reasons`` of every flag and merge the open flags of each pair into its oldest."""
    f = _flag.c
    rows = conn.execute(sa.select(f.id, f.student_id, f.competency_id, f.rule_id, f.reason, f.evidence,
                                  f.raised_at, f.resolved_at).order_by(f.raised_at, f.id)).all()
    now = datetime.now(UTC).replace(tzinfo=None)
    open_by_pair: dict[tuple[int, int], list] = {}
    for row in rows:
        if row.resolved_at is None:
            open_by_pair.setdefault((row.student_id, row.competency_id), []).append(row)
    merged = {row.id for found in open_by_pair.values() for row in found[1:]}
    for row in rows:
        if row.id in merged:
            continue
        group = open_by_pair.get((row.student_id, row.competency_id), [row]) if row.resolved_at is None else [row]
        reasons: dict[str, dict] = {}
        for r in group:  # oldest first: a rule's newest entry replaces its older one, in first-raised order
            reasons[r.rule_id] = {"rule_id": r.rule_id, "reason": r.reason, "evidence": r.evidence or {},
                                  "at": _at(r.raised_at)}
        newest = group[-1]
        values = {"reasons": list(reasons.values()), "updated_at": newest.raised_at}
        if len(group) > 1:
            values |= {"reason": "; ".join(e["reason"] for e in reasons.values()), "evidence": newest.evidence}
        conn.execute(sa.update(_flag).where(f.id == row.id).values(**values))
        for other in group[1:]:
            conn.execute(sa.update(_flag).where(f.id == other.id).values(
                reasons=[{"rule_id": other.rule_id, "reason": other.reason, "evidence": other.evidence or {},
                          "at": _at(other.raised_at)}],
                updated_at=other.raised_at, resolved_at=now, resolved_by="adaptive",
                resolution=f"merged into flag #{row.id}"))


_state = sa.table("mastery_state", sa.column("student_id", sa.Integer()), sa.column("competency_id", sa.Integer()),
                  sa.column("p_mastered", sa.Float()), sa.column("last_response_at", sa.DateTime()))
_skip = sa.table("competency_skip", sa.column("student_id", sa.Integer()), sa.column("competency_id", sa.Integer()),
                 sa.column("skipped_at", sa.DateTime()))
MASTERED = 0.95  # MasteryLevels' default cut: the one a migration can know


def _close_caught_up(conn: sa.Connection) -> None:
    """Close the open flags whose competency the student has since had skipped or mastered."""
    f = _flag.c
    pair = lambda t: (t.c.student_id == f.student_id) & (t.c.competency_id == f.competency_id)  # noqa: E731
    skipped = conn.execute(sa.select(f.id, f.raised_at, _skip.c.skipped_at).join(_skip, pair(_skip))
                           .where(f.resolved_at.is_(None))).all()
    mastered = conn.execute(sa.select(f.id, f.raised_at, _state.c.last_response_at).join(_state, pair(_state))
                            .where(f.resolved_at.is_(None), _state.c.p_mastered >= MASTERED)).all()
    done: set[int] = set()
    for resolution, rows in (("skipped", skipped), ("mastered", mastered)):
        for flag_id, raised, at in rows:
            if flag_id not in done:  # never before it was raised (flags were stamped with the clock until now)
                done.add(flag_id)
                conn.execute(sa.update(_flag).where(f.id == flag_id).values(
                    resolved_at=max(at or raised, raised), resolved_by="adaptive", resolution=resolution))


def upgrade() -> None:
    with op.batch_alter_table("flag") as batch:
        batch.add_column(sa.Column("reasons", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("resolved_response_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_flag_resolved_response_id_response"), "response",
                                 ["resolved_response_id"], ["id"], ondelete="SET NULL")
    _merge(op.get_bind())
    _close_caught_up(op.get_bind())
    with op.batch_alter_table("flag") as batch:
        batch.alter_column("reasons", existing_type=sa.JSON(), nullable=False)
    op.create_index("ux_flag_one_open", "flag", ["student_id", "competency_id"], unique=True,
                    sqlite_where=sa.text("resolved_at IS NULL"), postgresql_where=sa.text("resolved_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ux_flag_one_open", table_name="flag")
    with op.batch_alter_table("flag") as batch:
        batch.drop_constraint(op.f("fk_flag_resolved_response_id_response"), type_="foreignkey")
        batch.drop_column("resolved_response_id")
        batch.drop_column("updated_at")
        batch.drop_column("reasons")
