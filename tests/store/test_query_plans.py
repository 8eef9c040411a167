"""On SQLite, what every decision reads of history comes from the history index alone (no table visits)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from adaptive import Tutor
from adaptive.store import evidence


@pytest.mark.parametrize("query", ["_RECENT", "_PRETEST_ANSWERS"])
def test_history_reads_are_answered_by_the_covering_history_index(tmp_path, query):
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    Tutor(url).close()
    engine = sa.create_engine(url)
    stmt = getattr(evidence, query)
    with engine.connect() as conn:
        compiled = stmt.compile(conn)
        args = ("[[1, 2]]",) * compiled.string.count("?")  # the plan does not depend on the values
        plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.string}", args)]
    engine.dispose()
    assert any("USING COVERING INDEX ix_response_history" in step for step in plan), plan
