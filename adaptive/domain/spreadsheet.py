"""CSV that a spreadsheet opens as the words typed. Excel, LibreOffice and Google Sheets read a cell that starts
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula: a student named
``=HYPERLINK("http://evil…")`` would become a live link in the teacher's list. Every CSV adaptive writes goes
through :func:`to_csv`, which puts an apostrophe before such a text cell; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """``value`` as a CSV cell: ``None`` is empty, text starting like a formula gets a leading apostrophe, and
    anything else (an int, a float such as -0.5) is written as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header line, then one line a row, every text cell shown as text (see :func:`spreadsheet_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([spreadsheet_cell(h) for h in header])
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
