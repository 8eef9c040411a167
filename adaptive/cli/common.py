"""Helpers shared by the CLI modules: the tutor at ``--db`` for one command, one-line errors, JSON output.

Nothing heavy is imported here at module level: ``adaptive --help`` loads every command module, so the
database layer (SQLAlchemy) and the facade are imported only when a command opens the tutor.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from adaptive.tutor import Tutor

DEFAULT_DB_URL = "sqlite:///adaptive.db"
Errors = tuple[type[Exception], ...]


@dataclass
class CliState:
    db_url: str


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr (no traceback) and exit non-zero."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str))


def db_url(ctx: typer.Context) -> str:
    state = ctx.find_root().obj
    return state.db_url if isinstance(state, CliState) else DEFAULT_DB_URL


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_QUERY_SECRET = re.compile(r"(?i)(\b(?:password|sslpassword)=)[^&\s)]*")


def _user_info(url: str) -> tuple[str, str, str | None, str] | None:
    """(what comes before the user, the user, the password or None, what follows the ``@``), read from the URL
    as typed (no parsing that could fail or be misled): the user info ends at the last ``@`` before the query,
    so a password holding ``@`` or ``/`` is still all of it. None when the URL names no user."""
    scheme = _SCHEME.match(url)
    start = scheme.end() if scheme else 0
    at = url[start:].split("?", 1)[0].rfind("@")
    if at < 0:
        return None
    user, colon, password = url[start:start + at].partition(":")
    if "/" in user:  # a file path with an @ in it (sqlite:////srv/a@b/x.db), not a user
        return None
    return url[:start], user, password if colon else None, url[start + at + 1:]


def shown(url: str) -> str:
    """The database URL as it may be printed: the password hidden, typed or not, parsable or not (a bad port,
    no scheme, a password with an unencoded ``@``), in the user info or as a ``password=`` query option."""
    parts = _user_info(url)
    if parts is not None and parts[2] is not None:
        before, user, _, after = parts
        url = f"{before}{user}:***@{after}"
    return hidden(url)


def hidden(text: str) -> str:
    """``text`` with every ``password=...`` option's value hidden (a message that quotes a URL's query)."""
    return _QUERY_SECRET.sub(r"\1***", text)


def first_line(exc: BaseException) -> str:
    """The first line of an error (a database error's driver message, not SQLAlchemy's whole statement)."""
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]


def problems(text: str, code: int = 1) -> NoReturn:
    """Print every ``FILE:LINE: message`` on stderr and exit 1 (or ``code``)."""
    typer.echo(text, err=True)
    raise typer.Exit(code)


@contextmanager
def one_line_errors(
    source: object | None = None,
    file_problems: Errors = (),
    refusals: Errors = (),
    database_error: str | None = None,
) -> Iterator[None]:
    """How a command fails on the command line, in one line on stderr and no traceback.

    - ``file_problems`` (with a ``source``): the problems of its file listed, exit 1;
    - a :class:`StoreError` or one of ``refusals``: its message, exit 2; for an import from ``source``,
      ``SOURCE: message``, exit 1;
    - a database error: ``DATABASE_ERROR: first line of the driver's message``, exit 2, where
      ``database_error`` defaults to ``SOURCE: database error`` (or ``database error`` without a source).
    """
    from adaptive.domain import StoreError

    try:
        yield
    except file_problems as exc:
        problems(str(exc))
    except (StoreError, *refusals) as exc:
        if source is None:
            fail(str(exc))
        fail(f"{source}: {exc}", 1)
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if not isinstance(exc, SQLAlchemyError):
            raise
        prefix = database_error or ("database error" if source is None else f"{source}: database error")
        fail(f"{prefix}: {first_line(exc)}")


def importing(source: object, file_problems: Errors = ()) -> Any:
    """How an import from ``source`` fails: its file's problems listed (exit 1), a store error naming the
    source (exit 1), a database error's first line (exit 2)."""
    return one_line_errors(source, file_problems)


def cli_actor() -> str:
    """Who the audit trail says ran a command: ``cli:`` and the operating-system user (``cli:uid-1000`` when the
    system has no name for the user)."""
    import getpass
    import os

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no USER/LOGNAME and no passwd entry (a bare container)
        return f"cli:uid-{os.getuid()}" if hasattr(os, "getuid") else "cli:unknown"


def open_tutor(ctx: typer.Context, *, upgrade: bool = True) -> Tutor:
    """The tutor at ``--db``, logging what it reads of students as the OS user (:func:`cli_actor`); a database
    that cannot be opened is a one-line error (exit 2)."""
    from sqlalchemy.exc import SQLAlchemyError

    from adaptive.tutor import Tutor

    url = db_url(ctx)
    parts = _user_info(url)
    if parts is not None and parts[2] is not None and "@" in parts[2]:  # read as user:pass@host@... otherwise
        fail(f"cannot open database {shown(url)}: the password holds an @; write it percent-encoded (%40)")
    try:
        return Tutor(url, upgrade=upgrade, actor=cli_actor())
    except (SQLAlchemyError, OSError, ValueError) as exc:
        fail(f"cannot open database {shown(url)}: {hidden(first_line(exc))}")


@contextmanager
def tutor_for(
    ctx: typer.Context,
    *,
    upgrade: bool = True,
    source: object | None = None,
    file_problems: Errors = (),
    refusals: Errors = (),
    database_error: str | None = None,
) -> Iterator[Tutor]:
    """The tutor at ``--db`` for one command, closed when the command is done; what goes wrong inside
    becomes the one-line ``error: ...`` exit of :func:`one_line_errors` (same options)."""
    tutor = open_tutor(ctx, upgrade=upgrade)
    try:
        with one_line_errors(source, file_problems, refusals, database_error):
            yield tutor
    finally:
        tutor.close()


SERVE_HELP = "Run a front end of the tutor: a chat platform's endpoint, the web app."


def serve_group(app: typer.Typer) -> typer.Typer:
    """The application's shared ``serve`` group, created on first use: every plugin that adds a ``serve X``
    command asks for it, so the order the plugins load in does not matter."""
    for group in app.registered_groups:
        if group.name == "serve" and group.typer_instance is not None:
            return group.typer_instance
    serve = typer.Typer(help=SERVE_HELP, no_args_is_help=True)
    app.add_typer(serve, name="serve")
    return serve
