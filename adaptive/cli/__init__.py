"""The ``adaptive`` command line: a thin adapter over the library.

Each command group lives in its own module and registers on :data:`app`. Other installed packages add
commands through the ``adaptive.cli`` entry point group: each entry names a ``register(app)`` function (the
chat front ends register theirs that way; this package names none of them). The application is built on
first use of :data:`app`, so importing :mod:`adaptive.cli.common` (as plugins do) registers nothing and
cannot loop back into a plugin still being imported.
"""

from __future__ import annotations

import importlib
import os
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

import typer

from adaptive.cli.common import DEFAULT_DB_URL, CliState

if TYPE_CHECKING:
    app: typer.Typer

PLUGIN_GROUP = "adaptive.cli"
# The order of the command modules is the order of `adaptive --help` (interop adds to curriculum's group).
COMMAND_MODULES = ("kt", "store", "demo", "rules", "curriculum", "decisions", "roster", "sections", "interop",
                   "classroom", "reports", "checkins", "privacy", "audit")  # fmt: skip


def _root(
    ctx: typer.Context,
    db: str = typer.Option(
        None,
        "--db",
        help=f"SQLAlchemy database URL (default: $ADAPTIVE_DB_URL, else {DEFAULT_DB_URL}).",
        show_default=False,
    ),
) -> None:
    ctx.obj = CliState(db_url=db or os.environ.get("ADAPTIVE_DB_URL") or DEFAULT_DB_URL)


def _installed(exc: ModuleNotFoundError, module: str) -> bool:
    """False when ``exc`` says ``module`` itself (or a package above it) is not installed."""
    parts = module.split(".")
    return exc.name not in {".".join(parts[:n]) for n in range(1, len(parts) + 1)}


def build() -> typer.Typer:
    """A fresh application with every command: adaptive's own, then each installed plugin's."""
    application = typer.Typer(
        help="Adaptive learning for blended classrooms: mastery, rules, playlists, small groups.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        # Markdown joins a docstring's wrapped lines in the commands list; "rich" keeps every line break there,
        # which printed each command's description in ragged pieces.
        rich_markup_mode="markdown",
    )
    application.callback()(_root)
    for name in COMMAND_MODULES:
        module_name = f"{__name__}.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if _installed(exc, module_name):
                raise
            continue
        module.register(application)
    for entry in entry_points(group=PLUGIN_GROUP):
        try:
            register = entry.load()
        except ModuleNotFoundError as exc:  # metadata left behind by a package since removed
            if _installed(exc, entry.module):
                raise
            continue
        register(application)
    return application


def __getattr__(name: str) -> Any:
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    application = globals()["app"] = build()
    return application


def main() -> None:
    from adaptive.cli import app

    app()
