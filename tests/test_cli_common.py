"""``tutor_for``: every command opens the tutor at ``--db`` the same way, closes it, and fails in one line."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import typer

from adaptive.cli.common import CliState, tutor_for
from adaptive.domain import UnknownRecord
from tests.cli_run import adaptive

BAD_SQL = sa.exc.OperationalError("SELECT nothing", {}, Exception("no such table: nothing\nthe statement..."))


def one_command(url: str, error: Exception, **options) -> tuple[typer.Typer, list]:
    """An application whose one command raises ``error`` with the tutor open; the tutors it opened."""
    app, opened = typer.Typer(), []

    @app.callback()
    def root(ctx: typer.Context) -> None:
        ctx.obj = CliState(url)

    @app.command("go")
    def command(ctx: typer.Context) -> None:
        with tutor_for(ctx, **options) as tutor:
            opened.append(tutor)
            raise error

    return app, opened


@pytest.mark.parametrize(
    ("error", "options", "line", "code"),
    [
        (UnknownRecord("unknown student 'zed'"), {}, "error: unknown student 'zed'", 2),
        (UnknownRecord("no row 3"), {"source": "roster.csv"}, "error: roster.csv: no row 3", 1),
        (ValueError("no such day"), {"refusals": (ValueError,)}, "error: no such day", 2),
        (BAD_SQL, {}, "error: database error: no such table: nothing", 2),
        (BAD_SQL, {"source": "x.csv"}, "error: x.csv: database error: no such table: nothing", 2),
        (BAD_SQL, {"database_error": "cannot upgrade"}, "error: cannot upgrade: no such table: nothing", 2),
    ],
)
def test_an_error_inside_is_one_line_and_the_tutor_is_closed(tmp_path, monkeypatch, error, options, line, code):
    from typer.testing import CliRunner

    from adaptive.tutor import Tutor

    closed = []
    real_close = Tutor.close
    monkeypatch.setattr(Tutor, "close", lambda self: (closed.append(self), real_close(self)))
    app, opened = one_command(f"sqlite:///{tmp_path / 'school.db'}", error, **options)
    result = CliRunner().invoke(app, ["go"])
    assert (result.exit_code, result.stderr) == (code, line + "\n")
    assert closed == opened and len(opened) == 1


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path):
    done = adaptive("--db", f"sqlite:///{tmp_path / 'no such folder' / 'school.db'}", "mastery", "ana")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: cannot open database sqlite:///{tmp_path / 'no such folder'}")
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("url", ["postgresql+psycopg://tutor:s3cret@db.school.org:notaport/adaptive",
                                 "postgresql+psycopg://tutor:s3cret@127.0.0.1:1/adaptive"])
def test_a_database_url_that_cannot_be_opened_or_even_parsed_is_shown_without_its_password(url):
    done = adaptive("--db", url, "mastery", "ana")
    assert done.returncode != 0 and "tutor:***@" in done.stderr
    assert "s3cret" not in done.stderr + done.stdout and "Traceback" not in done.stderr


@pytest.mark.parametrize(("url", "printed"), [
    ("sqlite:////srv/tutor@school/a:b.db", "sqlite:////srv/tutor@school/a:b.db"),  # a path, not a user
    ("postgresql+psycopg://tutor@db/school", "postgresql+psycopg://tutor@db/school"),
    ("postgresql+psycopg://tutor:s3/cr:et@db/school", "postgresql+psycopg://tutor:***@db/school"),
    ("postgresql+psycopg://db/school?sslmode=require&password=s3cret", "postgresql+psycopg://db/school?sslmode=require&password=***"),
])
def test_a_url_is_shown_as_typed_but_for_its_password(url, printed):
    from adaptive.cli.common import shown

    assert shown(url) == printed
