"""``column IN list`` and ``(a, b) IN pairs`` with the whole list bound as one JSON array.

SQLAlchemy's expanding IN renders one placeholder per value on every execution (costly in Python for
lists of hundreds), and on SQLite a tuple IN becomes ``IN (VALUES ...)``, which SQLite answers with a
full table scan. Bound as one JSON parameter, the statement text never changes and both databases read
the list as a subquery they join on their indexes (SQLite ``json_each``; PostgreSQL ``= ANY`` of an array
made from ``jsonb_array_elements``, which is an index condition however many rows the planner expects).

    select(t.c.p).where(in_json(t.c.student_id, t.c.competency_id, name="pairs"))
    conn.execute(stmt, {"pairs": [(1, 2), (1, 3)]})
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Text, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


class JsonArray(TypeDecorator):
    """A list (of values or of tuples) bound as JSON text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str:
        return json.dumps(list(value), default=list)  # rows of a result count as tuples


class in_json(FunctionElement):  # noqa: N801 - used like a SQL function
    """True where the columns' values are an element of the bound JSON array ``name``."""

    # No Boolean type: SQLite would get "... = 1" appended, which stops it using an index.
    inherit_cache = True  # its state is its clauses: the columns and the parameter

    def __init__(self, *columns: ColumnElement[Any], name: str):
        super().__init__(*columns, bindparam(name, type_=JsonArray()))


def _parts(element: in_json, compiler: SQLCompiler, **kw: Any) -> tuple[list[Any], list[str], str]:
    *columns, param = list(element.clauses)
    return columns, [compiler.process(c, **kw) for c in columns], compiler.process(param, **kw)


@compiles(in_json, "sqlite")
def _sqlite(element: in_json, compiler: SQLCompiler, **kw: Any) -> str:
    _, cols, param = _parts(element, compiler, **kw)
    if len(cols) == 1:
        return f"{cols[0]} IN (SELECT value FROM json_each({param}))"
    picks = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(cols)))
    return f"({', '.join(cols)}) IN (SELECT {picks} FROM json_each({param}))"


@compiles(in_json, "postgresql")
def _postgresql(element: in_json, compiler: SQLCompiler, **kw: Any) -> str:
    columns, cols, param = _parts(element, compiler, **kw)
    types = [compiler.dialect.type_compiler_instance.process(c.type) for c in columns]
    if len(cols) == 1:
        return (f"{cols[0]} = ANY(ARRAY(SELECT CAST(value AS {types[0]}) "
                f"FROM jsonb_array_elements_text(CAST({param} AS JSONB))))")
    picks = ", ".join(f"CAST(value ->> {i} AS {t})" for i, t in enumerate(types))
    # The first column as "= ANY(array)" too: an index condition whatever the planner guesses of the list's
    # length (a semi join alone chose a sequential scan of the responses on a table not yet analysed).
    lead = (f"{cols[0]} = ANY(ARRAY(SELECT CAST(value ->> 0 AS {types[0]}) "
            f"FROM jsonb_array_elements(CAST({param} AS JSONB))))")
    return f"{lead} AND ({', '.join(cols)}) IN (SELECT {picks} FROM jsonb_array_elements(CAST({param} AS JSONB)))"


@compiles(in_json)
def _other(element: in_json, compiler: SQLCompiler, **kw: Any) -> str:
    raise NotImplementedError(f"in_json is written for SQLite and PostgreSQL, not {compiler.dialect.name}")
