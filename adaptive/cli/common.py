"""Helpers shared by the CLI modules: one-line errors, JSON output, the database URL."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import typer

DEFAULT_DB_URL = "sqlite:///adaptive.db"


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


def first_line(exc: BaseException) -> str:
    """The first line of an error (a database error's driver message, not SQLAlchemy's whole statement)."""
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]


def problems(text: str) -> NoReturn:
    """Print every ``FILE:LINE: message`` on stderr and exit 1."""
    typer.echo(text, err=True)
    raise typer.Exit(1)


@contextmanager
def importing(source: object, file_problems: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """How an import from ``source`` fails on the command line: the problems of its file listed (exit 1),
    a store error naming the source (exit 1), a database error's first line (exit 2)."""
    from sqlalchemy.exc import SQLAlchemyError

    from adaptive.domain import StoreError

    try:
        yield
    except file_problems as exc:
        problems(str(exc))
    except StoreError as exc:
        fail(f"{source}: {exc}", 1)
    except SQLAlchemyError as exc:
        fail(f"{source}: database error: {first_line(exc)}")
