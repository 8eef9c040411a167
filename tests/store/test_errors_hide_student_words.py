"""A failed statement's error names the statement, never its parameters: those are a student's words and
answers, and errors end up in server logs."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from adaptive.store.db import make_engine


def test_a_failed_write_does_not_carry_the_students_words_into_the_error(database_url):
    engine = make_engine(database_url)
    try:
        with pytest.raises(sa.exc.DBAPIError) as failed, engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO no_such_table (note) VALUES (:note)"),
                         {"note": "I feel sad about my grades"})
    finally:
        engine.dispose()
    assert "I feel sad" not in str(failed.value)
    assert "parameters hidden" in str(failed.value)


def test_a_rejected_row_is_not_quoted_in_the_error_either(database_url):
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE, "
                                 "CHECK (length(body) < 20))"))  # fmt: skip
            conn.execute(sa.text("INSERT INTO note (id, body) VALUES (1, 'my dog Biscuit')"))
        for note in ("I feel sad about my grades", "my dog Biscuit"):  # a check, then a unique key, refuses it
            with pytest.raises(sa.exc.IntegrityError) as failed, engine.begin() as conn:
                conn.execute(sa.text("INSERT INTO note (id, body) VALUES (2, :note)"), {"note": note})
            assert "sad" not in str(failed.value) and "Biscuit" not in str(failed.value)
    finally:
        engine.dispose()
