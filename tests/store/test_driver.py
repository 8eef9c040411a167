"""The driver path stores and reads exactly what SQLAlchemy Core stores and reads, only faster."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from adaptive.store import driver, prefetch
from adaptive.store.json_in import in_json

meta = sa.MetaData()
TABLES = [
    sa.Table(
        name, meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String(40), unique=True),
        sa.Column("p", sa.Float), sa.Column("ok", sa.Boolean), sa.Column("at", sa.DateTime),
        sa.Column("doc", sa.JSON), sa.Column("version", sa.Integer),
    )  # fmt: skip
    for name in ("bulk_core", "bulk_fast")
]


def rows() -> list[dict]:
    start = datetime(2026, 9, 1, 8, 30)
    return [
        {"id": 1, "code": "a", "p": 0.25, "ok": True, "at": start, "doc": {"k": [1, "x"], "d": None}, "version": 0},
        {"id": 2, "code": "b", "p": None, "ok": False, "at": start + timedelta(microseconds=7), "doc": [],
         "version": 0},
        {"id": 3, "code": "c", "p": 1e-300, "ok": None, "at": None, "doc": None, "version": 0},
        {"id": 4, "code": "d", "p": 2.0, "ok": True, "at": datetime(2026, 9, 1, 10, tzinfo=UTC), "doc": "t",
         "version": 0},
    ]  # fmt: skip


def bump(table: sa.Table) -> sa.Update:
    return (table.update().where(table.c.id == sa.bindparam("b_id"), table.c.version == sa.bindparam("b_version"))
            .values(p=sa.bindparam("b_p"), version=table.c.version + 1))


@pytest.fixture
def engine(database_url):
    engine = sa.create_engine(database_url)
    meta.create_all(engine)
    yield engine
    engine.dispose()


def stored(conn: sa.Connection, table: sa.Table) -> list[tuple]:
    """The rows as the database holds them (SQLite: the very text of dates and JSON)."""
    return conn.execute(sa.text(f"SELECT * FROM {table.name} ORDER BY id")).all()


def test_inserts_and_updates_store_the_same_values_as_core(engine):
    core, fast = TABLES
    changes = [{"b_id": 1, "b_version": 0, "b_p": 0.5}, {"b_id": 3, "b_version": 0, "b_p": None}]
    with engine.begin() as conn:
        conn.execute(core.insert(), rows())
        driver.executemany(conn, fast.insert(), rows())
        conn.execute(bump(core), changes)
        assert driver.executemany(conn, bump(fast), changes) == 2  # rows affected
        assert stored(conn, fast) == stored(conn, core)
        assert conn.execute(sa.select(fast)).all() == conn.execute(sa.select(core)).all()
        assert conn.execute(sa.select(fast.c.version).where(fast.c.id == 1)).scalar_one() == 1


def test_a_dated_comparison_sees_the_stored_dates_like_core_does(engine):
    _, fast = TABLES
    with engine.begin() as conn:
        driver.executemany(conn, fast.insert(), rows())
        after = conn.execute(sa.select(fast.c.code).where(fast.c.at > datetime(2026, 9, 1, 8, 30)).order_by(fast.c.id))
        assert after.scalars().all() == ["b", "d"]


def test_a_row_missing_a_column_of_the_first_row_is_an_error_not_a_null(engine):
    _, fast = TABLES
    first, second = rows()[:2]
    del second["p"]
    with engine.begin() as conn, pytest.raises(KeyError, match="p"):
        driver.executemany(conn, fast.insert(), [first, second])


def test_a_duplicate_key_raises_sqlalchemys_integrity_error(engine):
    _, fast = TABLES
    with engine.begin() as conn:
        driver.executemany(conn, fast.insert(), rows()[:1])
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        driver.executemany(conn, fast.insert(), rows()[:1])


def test_fetch_reads_back_what_core_reads_dates_and_json_included(engine):
    core, fast = TABLES
    with engine.begin() as conn:
        driver.executemany(conn, fast.insert(), rows())
        query = sa.select(fast.c.id, fast.c.at, fast.c.doc, fast.c.ok).where(fast.c.id >= sa.bindparam("low"))
        assert driver.fetch(conn, query, {"low": 2}) == [tuple(r) for r in conn.execute(query, {"low": 2})]
        assert driver.fetch(conn, query, {"low": 2})[0][1] == datetime(2026, 9, 1, 8, 30, 0, 7)


def test_streamed_rows_equal_the_rows_a_fetch_reads_a_json_list_parameter_too(engine):
    """A district's reads are streamed on PostgreSQL a few rows at a time: the same rows, processed alike
    (a column type's own result processor too), also with a list of codes bound as JSON (in_json)."""
    _, fast = TABLES
    query = (sa.select(fast.c.id, fast.c.at, fast.c.doc, fast.c.p).where(in_json(fast.c.code, name="codes"))
             .order_by(fast.c.id))
    with engine.begin() as conn:
        driver.executemany(conn, fast.insert(), rows())
        params = {"codes": ["a", "c", "d", "zz"]}
        expected = driver.fetch(conn, query, params)
        assert [r[0] for r in expected] == [1, 3, 4]
        assert list(driver.stream(conn, query, params, size=2)) == expected
        assert list(driver.stream(conn, query, {"codes": []})) == []
        shouted = sa.select(sa.type_coerce(fast.c.code, Shouted)).order_by(fast.c.id)
        assert list(driver.stream(conn, shouted, size=3)) == [("A",), ("B",), ("C",), ("D",)]


class Shouted(sa.types.TypeDecorator):
    """A column type with a result processor of its own (upper case)."""

    impl = sa.String
    cache_ok = True

    def process_result_value(self, value, dialect):
        return None if value is None else value.upper()


def test_a_streamed_reads_error_is_sqlalchemys_without_its_parameters(engine):
    _, fast = TABLES
    with engine.begin() as conn, pytest.raises(sa.exc.DBAPIError) as caught:
        list(driver.stream(conn, sa.select(sa.text("nothing_here")).select_from(fast)))
    assert "nothing_here" in str(caught.value)
    if engine.dialect.name == "postgresql":  # SQLite divides by zero without complaint (NULL)
        query = sa.select(fast.c.id).where(fast.c.code == sa.bindparam("secret"),
                                           1 / sa.bindparam("zero", type_=sa.Integer) == 1)
        with engine.begin() as conn, pytest.raises(sa.exc.DBAPIError) as caught:
            list(driver.stream(conn, query, {"secret": "Maya's essay", "zero": 0}))
        assert "division by zero" in str(caught.value) and "Maya" not in str(caught.value)


def test_an_error_of_the_driver_is_raised_as_sqlalchemys_on_fetch_too(engine):
    with engine.begin() as conn, pytest.raises(sa.exc.DBAPIError):
        driver.fetch(conn, sa.select(sa.text("nothing_here")).select_from(TABLES[1]))


def test_one_row_goes_through_the_same_path_and_reports_its_count(engine):
    core, fast = TABLES
    with engine.begin() as conn:
        conn.execute(core.insert(), rows()[:1])
        driver.executemany(conn, fast.insert(), rows()[:1])
        stale = [{"b_id": 1, "b_version": 7, "b_p": 0.5}]
        assert driver.executemany(conn, bump(fast), stale) == 0  # a stale version changes nothing, and says so
        assert stored(conn, fast) == stored(conn, core)


def test_prefetched_rows_equal_the_rows_a_fetch_reads(engine):
    """Several queries in one statement (PostgreSQL: their rows as JSON) give fetch() the very rows it would
    read itself: dates to the microsecond, floats (2.0 too), JSON documents, NULLs and the queries' order."""
    _, fast = TABLES
    by_id = sa.select(fast.c.id, fast.c.p, fast.c.at, fast.c.doc, fast.c.ok).where(fast.c.id >= sa.bindparam("low"))
    ordered = (sa.select(fast.c.id, fast.c.p, fast.c.at, fast.c.doc).where(fast.c.id >= sa.bindparam("from_id"))
               .order_by(fast.c.at.desc().nulls_last(), fast.c.id))
    codes = sa.select(fast.c.code).where(fast.c.id == sa.bindparam("one"))
    with engine.begin() as conn:
        driver.executemany(conn, fast.insert(), rows())
        expected = [driver.fetch(conn, q, p) for q, p in ((by_id, {"low": 1}), (ordered, {"from_id": 2}),
                                                           (codes, {"one": 9}))]
        prefetch.run(conn, [(by_id, {"low": 1}), (ordered, {"from_id": 2}), (codes, {"one": 9})])
        assert [driver.fetch(conn, q, p) for q, p in ((by_id, {"low": 1}), (ordered, {"from_id": 2}),
                                                       (codes, {"one": 9}))] == expected
        assert [type(v) for v in expected[0][3][:3]] == [int, float, datetime]  # 2.0 stays a float
        assert [r[0] for r in expected[1]] == [4, 2, 3]  # in the query's order


def test_prefetched_rows_keep_the_querys_order_by_a_column_not_selected_and_a_limit(engine):
    """The rows come in the query's order even when it sorts by a column it does not return and keeps only the
    first ones: the aggregate numbers the rows in that order and aggregates them by number (PostgreSQL only
    promises an ordered subquery's order to an aggregate that asks for it)."""
    _, fast = TABLES
    many = [{"id": i, "code": f"k{i}", "p": (i * 7919) % 503 / 503, "ok": True, "at": None, "doc": None,
             "version": 0} for i in range(400, 0, -1)]  # fmt: skip
    query = (sa.select(fast.c.code).where(fast.c.id >= sa.bindparam("low"))
             .order_by(fast.c.p.desc(), fast.c.id).limit(sa.bindparam("n")))
    with engine.begin() as conn:
        driver.executemany(conn, fast.insert(), many)
        expected = driver.fetch(conn, query, {"low": 3, "n": 250})
        prefetch.run(conn, [(query, {"low": 3, "n": 250})])
        assert driver.fetch(conn, query, {"low": 3, "n": 250}) == expected
    by_p = sorted((r for r in many if r["id"] >= 3), key=lambda r: (-r["p"], r["id"]))[:250]
    assert expected == [(r["code"],) for r in by_p]


def test_prefetched_rows_are_taken_once_and_only_for_the_same_parameters(engine):
    _, fast = TABLES
    query = sa.select(fast.c.code).where(fast.c.id == sa.bindparam("one"))
    with engine.begin() as conn:
        driver.executemany(conn, fast.insert(), rows())
        prefetch.run(conn, [(query, {"one": 1})])
        conn.execute(fast.update().where(fast.c.id == 1).values(code="changed"))
        assert driver.fetch(conn, query, {"one": 2}) == [("b",)]  # other parameters: read now
        first = driver.fetch(conn, query, {"one": 1})
        assert driver.fetch(conn, query, {"one": 1}) == [("changed",)]  # taken once; then read again
        if conn.dialect.name == "postgresql":
            assert first == [("a",)]  # what was prefetched (the caller's promise: no write in between)
        prefetch.run(conn, [(query, {"one": 3})])
        driver.forget(conn)
        assert driver.fetch(conn, query, {"one": 3}) == [("c",)]


def test_two_values_for_one_parameter_name_are_refused(engine):
    _, fast = TABLES
    query = sa.select(fast.c.code).where(fast.c.id == sa.bindparam("one"))
    other = sa.select(fast.c.id).where(fast.c.id == sa.bindparam("one"))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            with pytest.raises(ValueError, match="'one' has two values"):
                prefetch.run(conn, [(query, {"one": 1}), (other, {"one": 2})])
