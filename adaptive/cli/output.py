"""How commands print what they list: a table (rich) that wraps to the terminal and never cuts a cell with
"…", CSV or JSON, chosen with ``--format``.

Piped into a file or another program (not a terminal), rich would lay tables out for 80 columns and cut long
codes and names; there the console is as wide as the widest line needs, so every cell is printed whole.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from adaptive.cli.common import fail, print_json
from adaptive.domain.spreadsheet import to_csv

FORMATS = ("table", "csv", "json")
PIPED_WIDTH = 10_000  # no line of a report is this long: nothing wraps or is cut when the output is piped


def format_option(help_text: str = "table, csv or json.") -> Any:
    return typer.Option("table", "--format", "-f", help=help_text)


def chosen(fmt: str, json: bool = False) -> str:
    """The format asked for (``--json`` is short for ``--format json``); an unknown one is a one-line error."""
    if json:
        return "json"
    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return fmt


def console(**options: Any) -> Console:
    """A console on stdout: the terminal's width, or (piped, with no COLUMNS set) wide enough for every line."""
    out = Console(**options)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out = Console(width=PIPED_WIDTH, **options)
    return out


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> RenderableType:
    """A table whose cells wrap (folding a long code) rather than end in "…", under its title on a line of its
    own (a table's title would wrap at the table's width); cells are text, never markup."""
    shown = Table()
    for name in columns:
        shown.add_column(name, overflow="fold")
    for row in rows:
        shown.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    return shown if title is None else Group(Text(title, style="italic"), shown)


def emit(fmt: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], records: Any, *,
         title: str | None = None, empty: str | None = None, note: str | None = None) -> None:
    """Print ``rows`` as a table (with ``title``, then ``note``; ``empty`` when there are none) or CSV (a header,
    then one line a row; text a spreadsheet would run as a formula gets a leading apostrophe), or ``records`` as
    JSON."""
    if fmt == "json":
        print_json(records)
    elif fmt == "csv":
        sys.stdout.write(to_csv(columns, rows))
    elif not rows and empty is not None:
        console().print(Text(empty))
    else:
        out = console()
        out.print(table(title, columns, rows))
        if note:
            out.print(Text(note))
