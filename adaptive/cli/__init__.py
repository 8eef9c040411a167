"""The ``adaptive`` command line: a thin adapter over the library.

Each command group lives in its own module and registers on :data:`app`.
"""

from __future__ import annotations

import os

import typer

from adaptive.cli.common import DEFAULT_DB_URL, CliState

app = typer.Typer(
    help="Adaptive learning for blended classrooms: mastery, rules, playlists, small groups.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
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


def _register() -> None:
    # Imported here so each module can import `app`-free helpers from common without cycles.
    import importlib

    for name in ("kt", "store", "demo", "rules", "curriculum", "decisions", "roster", "interop", "classroom",
                 "reports"):
        try:
            module = importlib.import_module(f"adaptive.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"adaptive.cli.{name}":
                raise
            continue
        module.register(app)
    # Chat front ends live in the optional `bots` package (adaptive itself never imports it).
    for plugin_name in ("bots.cli", "bots.cli_serve", "bots.cli_notify", "bots.cli_teams"):
        try:
            plugin = importlib.import_module(plugin_name)
        except ModuleNotFoundError as exc:
            if exc.name not in ("bots", plugin_name):
                raise
            continue
        plugin.register(app)


_register()


def main() -> None:
    app()
