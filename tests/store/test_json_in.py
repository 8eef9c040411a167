"""in_json: an IN list bound as one JSON array finds what a plain IN finds, and uses the index on SQLite."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from adaptive.store.json_in import in_json

meta = sa.MetaData()
mark = sa.Table("json_in_mark", meta, sa.Column("s", sa.Integer, primary_key=True),
                sa.Column("c", sa.Integer, primary_key=True), sa.Column("code", sa.String(30), index=True))
PAIRS = sa.select(mark.c.s, mark.c.c).where(in_json(mark.c.s, mark.c.c, name="pairs")).order_by(mark.c.s, mark.c.c)
CODES = sa.select(mark.c.code).where(in_json(mark.c.code, name="codes")).order_by(mark.c.code)
IDS = sa.select(mark.c.s).where(in_json(mark.c.s, name="ids")).distinct().order_by(mark.c.s)


@pytest.fixture
def conn(database_url):
    engine = sa.create_engine(database_url)
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(mark.insert(), [{"s": s, "c": c, "code": f"m{s}-{c}'\""} for s in range(30) for c in range(4)])
        yield conn
    engine.dispose()


def test_pairs_codes_and_ids_find_exactly_the_listed_rows(conn):
    wanted = [(3, 1), (3, 2), (29, 0), (7, 9)]  # (7, 9) is not stored
    assert conn.execute(PAIRS, {"pairs": wanted}).tuples().all() == [(3, 1), (3, 2), (29, 0)]
    codes = ["m3-1'\"", "m0-0'\"", "nobody"]
    assert conn.execute(CODES, {"codes": codes}).scalars().all() == ["m0-0'\"", "m3-1'\""]
    assert conn.execute(IDS, {"ids": [5, 2, 99]}).scalars().all() == [2, 5]


def test_an_empty_list_finds_nothing_and_result_rows_can_be_the_list(conn):
    assert conn.execute(PAIRS, {"pairs": []}).all() == []
    rows = conn.execute(sa.select(mark.c.s, mark.c.c).where(mark.c.s == 4)).all()
    assert conn.execute(PAIRS, {"pairs": rows}).tuples().all() == [(4, c) for c in range(4)]


def test_sqlite_looks_the_pairs_up_in_the_primary_key_instead_of_scanning(conn):
    if conn.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {PAIRS.compile(conn)}", ("[[1, 2]]",))]
    assert any(step.startswith("SEARCH json_in_mark USING") for step in plan), plan
    assert not any(step.startswith("SCAN json_in_mark") for step in plan), plan
