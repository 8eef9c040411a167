"""Writing a batch's rows in as few statements as the database allows, in the caller's transaction.

On PostgreSQL a batch's rows go in by ``COPY ... FROM STDIN`` (psycopg's ``cursor.copy``; its C encoder
escapes tabs, newlines and backslashes of the text format): an executemany, even pipelined, spends tens of
microseconds of Python per row in psycopg (a query dump, a prepared-statement lookup, a result per row),
COPY a few. Mastery states are saved by one ``UPDATE ... FROM`` over the batch bound as one JSON document,
guarded by their versions as :meth:`Repository.save_states` does. Small writes (one response) and SQLite
keep the plain executemany of :mod:`adaptive.store.driver`, SQLite's fastest path already.

The driver's errors come back as SQLAlchemy's (``IntegrityError``...), so :mod:`adaptive.store.uow` retries
a unique-key race the same way whichever path wrote.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, Table
from sqlalchemy.engine import Connection

from adaptive.domain.tracing import StoredState
from adaptive.store import driver
from adaptive.store.db import json_text
from adaptive.store.state import StaleState

COPY_FROM = 50  # rows from which PostgreSQL gets a COPY instead of an executemany


@functools.cache
def _insert(table: Table) -> Any:
    return table.insert()  # one statement object per table: the driver's plans are cached per statement


def insert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ``rows`` (each with the keys of the first) into ``table``: COPY on PostgreSQL from
    :data:`COPY_FROM` rows on, else an executemany."""
    if not rows:
        return
    if conn.dialect.name != "postgresql" or len(rows) < COPY_FROM:
        if not driver.insert_later(conn, _insert(table), rows):
            driver.executemany(conn, _insert(table), rows)
        return
    driver.flush(conn)
    columns = list(rows[0])
    values = operator.itemgetter(*columns)  # by name, as the executemany binds them (a tuple: two or more)
    as_json = [isinstance(table.c[c].type, JSON) for c in columns]
    sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(sql) as copy:
            write = copy.write_row
            if any(as_json):
                for row in rows:
                    write([json_text(v) if j else v for v, j in zip(values(row), as_json, strict=True)])
            else:
                for row in rows:
                    write(values(row))
    except conn.dialect.loaded_dbapi.Error as exc:
        raise driver.raised(conn, sql, exc) from exc
    finally:
        cursor.close()


# The states of a batch as one JSON array of rows, joined to the table by key and version.
_STATE_FIELDS = (
    "p_mastered",
    "p_not_mastered",
    "attempts",
    "correct_count",
    "wrong_streak",
    "last_response_at",
    "last_response_key",
    "last_success_at",
    "pretest_answers",
)
_SAVE_STATES = f"""
UPDATE mastery_state AS s SET {", ".join(f"{f} = v.{f}" for f in _STATE_FIELDS)},
       version = s.version + 1, updated_at = %(now)s
FROM jsonb_to_recordset(CAST(%(rows)s AS JSONB)) AS v(student_id integer, competency_id integer, version integer,
     p_mastered double precision, p_not_mastered double precision, attempts integer, correct_count integer,
     wrong_streak integer, last_response_at timestamp, last_response_key varchar, last_success_at timestamp,
     pretest_answers integer)
WHERE s.student_id = v.student_id AND s.competency_id = v.competency_id AND s.version = v.version"""


def save_states(conn: Connection, states: list[StoredState], now: Any) -> bool:
    """Save ``states`` in one statement on PostgreSQL (False elsewhere, or for a few: the caller saves them),
    each only if its version is still the one read (else :class:`StaleState`); advances their ``version``
    and ``updated_at`` in place. Floats go through JSON as their shortest exact text: read back bit for bit."""
    if conn.dialect.name != "postgresql" or len(states) < COPY_FROM:
        return False
    document = orjson.dumps(states).decode()  # each dataclass as an object by field name (updated_at unread)
    driver.flush(conn)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(_SAVE_STATES, {"rows": document, "now": now})
        changed = cursor.rowcount
    except conn.dialect.loaded_dbapi.Error as exc:
        raise driver.raised(conn, _SAVE_STATES, exc) from exc
    finally:
        cursor.close()
    if changed != len(states):
        raise StaleState(f"{len(states) - changed} mastery state(s) changed concurrently")
    for s in states:
        s.version, s.updated_at = s.version + 1, now
    return True
