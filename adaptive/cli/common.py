"""Helpers shared by the CLI modules: one-line errors, JSON output, the database URL."""

from __future__ import annotations

import json
import sys
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
