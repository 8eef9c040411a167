"""Shared fixtures: every store test runs on SQLite and, when ADAPTIVE_TEST_POSTGRES_URL is set, on
PostgreSQL too, each test in its own throw-away database (a SQLite file, or a PostgreSQL schema)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import types
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from adaptive.domain.tracing import BKTParams
from adaptive.knowledge_tracing.online import replay

POSTGRES_URL = os.environ.get("ADAPTIVE_TEST_POSTGRES_URL")
# pytest-xdist's workers start with COLUMNS=80 and LINES=24 set, so commands run in process would print as in
# an 80-column terminal there and as piped output in a single process. Every test sees what a piped command
# prints (the same with and without workers) unless it sets a width itself.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(params=BACKENDS)
def new_database(request, tmp_path) -> Iterator[Callable[..., str]]:
    """A factory of databases on this test's backend, all dropped after the test: each already holds the
    latest schema (copied from one migrated once per process: migrating every test's database cost half a
    second each on PostgreSQL) unless the test is marked ``empty_database`` (tests of the migrations).

    ``make(seed=build, key=name)``: a database holding what ``build(url)`` stores, built once per process for
    that key and copied for each test (a fixture shared by many tests: a school, a class)."""
    schemas: list[str] = []
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT") if request.param == "postgresql" else None
    empty = request.node.get_closest_marker("empty_database") is not None

    def make(seed: Callable[[str], None] | None = None, key: str = "") -> str:
        if admin is None:
            path = tmp_path / f"db{len(schemas)}_{uuid.uuid4().hex[:6]}.db"
            if not empty:
                shutil.copyfile(_sqlite_template(seed, key), path)
            return f"sqlite:///{path}"
        name = f"test_{uuid.uuid4().hex[:16]}"
        with admin.begin() as conn:
            script = None if empty else _postgres_template(admin, seed, key)
            if script is None:
                conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
            else:
                _run_script(conn, script.replace(_TEMPLATE_SCHEMA, name))
        schemas.append(name)
        if script is None and seed is not None:
            seed(_schema_url(name))
        return _schema_url(name)

    if admin is None:
        schemas.append("")  # counts SQLite files
    yield make
    if admin is not None:
        with admin.connect() as conn:
            for name in schemas:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


_TEMPLATE_SCHEMA = f"adaptive_template_{uuid.uuid4().hex[:12]}"
_templates: dict[tuple[str, str], object] = {}


def _run_script(conn: sa.Connection, script: str) -> None:
    """Run a pg_dump script as it is: straight to psycopg without parameters, so a ``%`` in stored text is
    text, not a placeholder."""
    conn.connection.driver_connection.execute(script)  # type: ignore[union-attr]


def _schema_url(name: str) -> str:
    url = sa.engine.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={name}"})
    return url.render_as_string(hide_password=False)


def _sqlite_template(seed: Callable[[str], None] | None = None, key: str = "") -> Path:
    """A SQLite file migrated to the head (and seeded) once per process, its WAL folded in, copied per test."""
    if ("sqlite", key) not in _templates:
        from adaptive import Tutor

        folder = Path(tempfile.mkdtemp(prefix="adaptive-template-"))
        path = folder / "template.db"
        if key:
            shutil.copyfile(_sqlite_template(), path)
            assert seed is not None
            seed(f"sqlite:///{path}")
        else:
            Tutor(f"sqlite:///{path}").close()
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _templates[("sqlite", key)] = path
    return _templates[("sqlite", key)]  # type: ignore[return-value]


def _postgres_template(admin: sa.Engine, seed: Callable[[str], None] | None = None, key: str = "") -> str | None:
    """The SQL that builds a migrated (and seeded) schema named ``_TEMPLATE_SCHEMA`` (pg_dump of one built
    once per process), or None without pg_dump (each test's schema is then migrated by the Tutor that opens
    it, and seeded)."""
    if ("postgresql", key) not in _templates:
        _templates[("postgresql", key)] = None
        base = _postgres_template(admin) if key else None
        if shutil.which("pg_dump") and (base is not None or not key):
            from adaptive import Tutor

            with admin.begin() as conn:
                if base is None:
                    conn.execute(sa.text(f'CREATE SCHEMA "{_TEMPLATE_SCHEMA}"'))
                else:
                    _run_script(conn, base)
            try:
                if seed is not None:
                    seed(_schema_url(_TEMPLATE_SCHEMA))
                else:
                    Tutor(_schema_url(_TEMPLATE_SCHEMA)).close()
                url = sa.engine.make_url(POSTGRES_URL)
                env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
                dump = subprocess.run(
                    ["pg_dump", "--no-owner", "--no-privileges", "--inserts", "-n", _TEMPLATE_SCHEMA,
                     "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
                     "-d", url.database or "postgres"], capture_output=True, text=True, env=env, check=True).stdout
                # psql's meta-commands (\\restrict ...) are not SQL
                _templates[("postgresql", key)] = "\n".join(
                    line for line in dump.splitlines() if not line.startswith("\\"))
            finally:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{_TEMPLATE_SCHEMA}" CASCADE'))
    return _templates[("postgresql", key)]  # type: ignore[return-value]


@pytest.fixture(scope="module", params=BACKENDS)
def module_database(request, tmp_path_factory) -> Iterator[str]:
    """An empty database on this module's backend shared by the whole module (for tests that only read what a
    module fixture stored), dropped after it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('module') / 'shared.db'}"
        return
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    yield sa.engine.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
        hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture
def database_url(new_database) -> str:
    return new_database()


@pytest.fixture
def backend(database_url) -> str:
    return sa.engine.make_url(database_url).get_backend_name()


@pytest.fixture
def tutor(database_url):
    from adaptive import Tutor

    with Tutor(database_url) as t:
        yield t


def sql(url: str, statement: str) -> list:
    """Run one SQL statement on the database at ``url`` in its own committed transaction; its rows, if any."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(statement))
            return result.all() if result.returns_rows else []
    finally:
        engine.dispose()


def replayed_states(url: str, default: BKTParams | None = None) -> tuple[dict, dict]:
    """(stored states, states replayed from stored responses, voided ones left out, in (answered_at, key) order), by
    (student code, competency code) -> (p_mastered, attempts)."""
    from adaptive.tutor import DEFAULT_PARAMS

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        params = {
            c: BKTParams.from_dict(json.loads(p) if isinstance(p, str) else p)
            for c, p in conn.execute(
                sa.text("SELECT c.code, p.params FROM bkt_parameters p JOIN competency c ON c.id = p.competency_id")
            )
        }
        history = defaultdict(list)
        q = """SELECT s.code, c.code, r.answered_at, r.idempotency_key, r.evidence FROM response r
               JOIN student s ON s.id = r.student_id JOIN competency c ON c.id = r.competency_id
               WHERE r.voided_at IS NULL"""
        for s, c, at, key, evidence in conn.execute(sa.text(q)):
            history[(s, c)].append((at, key, evidence))
        stored = {
            (s, c): (p, n)
            for s, c, p, n in conn.execute(
                sa.text("""SELECT s.code, c.code, m.p_mastered, m.attempts FROM mastery_state m
                           JOIN student s ON s.id = m.student_id JOIN competency c ON c.id = m.competency_id""")
            )
        }
    engine.dispose()
    expected = {}
    for (s, c), rows in history.items():
        rows.sort()
        p = params.get(c, default or DEFAULT_PARAMS)
        expected[(s, c)] = (replay(p, [e for _, _, e in rows]), len(rows))
    return stored, expected


@pytest.fixture
def assert_mastery_is_replay() -> Callable[[str], None]:
    """Asserts every stored mastery state equals a sequential replay of its stored responses."""

    def check(url: str) -> None:
        stored, expected = replayed_states(url)
        assert stored.keys() == expected.keys()
        for key, (p, n) in expected.items():
            assert stored[key][1] == n, key
            assert stored[key][0] == pytest.approx(p, abs=1e-9), key

    return check


def pytest_sessionfinish(session, exitstatus) -> None:
    """Every store test creates and drops a schema of some fifty tables, which leaves dead rows in
    PostgreSQL's own catalogs. A server with autovacuum off (the machines CI runs on) never cleans them up:
    `pg_attribute` had grown to 1.1 GB, and `make test` went from 6.5 to 13 minutes. The run that made the
    dead rows vacuums them once it ends (the controller, after its workers), so the space is reused."""
    if POSTGRES_URL is None or hasattr(session.config, "workerinput"):
        return
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("VACUUM pg_catalog.pg_attribute, pg_catalog.pg_depend, pg_catalog.pg_class, "
                                 "pg_catalog.pg_type, pg_catalog.pg_constraint, pg_catalog.pg_trigger, "
                                 "pg_catalog.pg_index, pg_catalog.pg_attrdef, pg_catalog.pg_sequence, "
                                 "pg_catalog.pg_namespace, pg_catalog.pg_statistic, pg_catalog.pg_rewrite")
    except sa.exc.DBAPIError:
        pass  # a server the tests could use but not vacuum: nothing to clean up then
    finally:
        admin.dispose()


def script_module(path: Path) -> types.ModuleType:
    """A benchmark script loaded as a module (its ``main`` and functions, to patch before running it)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
