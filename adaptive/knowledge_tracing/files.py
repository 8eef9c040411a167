"""Reading response tables (pyBKT's columns) and PARAMS.json files, with errors naming file and line."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from adaptive.domain.tracing import BKTParams, ParamsError
from adaptive.knowledge_tracing.fitting import REQUIRED_COLUMNS, FitResult

PARAMS_FORMAT = "adaptive-bkt-params"


class InputError(ValueError):
    """Bad input; the message names the file, and the line where there is one."""


def read_responses(path: str | Path, extra_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a CSV in pyBKT's columns: ``user_id, skill_name, correct`` (0/1) and optional ``order_id``.

    Every value is checked; the first problem raises :class:`InputError` as ``FILE:LINE: problem``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in head:
        raise InputError(f"{path}: not a CSV text file (binary data)")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV file ({str(exc).splitlines()[0]})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in (*REQUIRED_COLUMNS, *extra_columns) if c not in frame.columns]
    if missing:
        raise InputError(f"{path}:1: missing column(s) {', '.join(missing)} (found: {', '.join(frame.columns)})")
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # index = line number in the file
    # Checks run on each column's distinct values (a few hundred skills and students, not every row).
    distinct = {c: pd.factorize(frame[c], use_na_sentinel=False) for c in ("user_id", "skill_name", "correct")}
    blank = _rows_where(distinct["user_id"], lambda v: v == "")
    for column in frame.columns.drop("user_id"):
        blank[blank] = frame[column].to_numpy()[blank] == ""
    if blank.any():
        frame = frame[~blank]
        distinct = {c: (codes[~blank], uniques) for c, (codes, uniques) in distinct.items()}
    if frame.empty:
        raise InputError(f"{path}: no responses after the header")
    for column in ("user_id", "skill_name"):
        empty = _rows_where(distinct[column], lambda v: v.str.strip() == "")
        if empty.any():
            raise InputError(f"{path}:{frame.index[empty][0]}: empty {column}")
    # As pyBKT: 1 right, 0 wrong, -1 no response; a spreadsheet's 1.0 and 0.0 are the same numbers.
    codes, uniques = distinct["correct"]
    values = pd.to_numeric(pd.Series(uniques).str.strip(), errors="coerce")
    bad = ~values.isin([-1, 0, 1]).to_numpy()[codes]
    if bad.any():
        line = frame.index[bad][0]
        raise InputError(f"{path}:{line}: correct must be 1, 0 or -1 (no response), got {frame.loc[line, 'correct']!r}")
    frame["correct"] = values.to_numpy()[codes].astype(np.int64)
    if "order_id" in frame.columns:
        order = pd.to_numeric(frame["order_id"].str.strip(), errors="coerce")
        bad = order.isna() | (order != order.round())
        if bad.any():
            line = frame.index[bad.to_numpy()][0]
            raise InputError(f"{path}:{line}: order_id must be an integer, got {frame.loc[line, 'order_id']!r}")
        frame["order_id"] = order.astype(np.int64)
    return frame


def _rows_where(distinct: tuple[np.ndarray, Any], test: Any) -> np.ndarray:
    """Rows whose value passes ``test``, run once on the distinct values (``pd.factorize``'s codes, uniques)."""
    codes, uniques = distinct
    return test(pd.Series(uniques)).to_numpy(dtype=bool)[codes]


def write_params(path: str | Path, result: FitResult) -> None:
    """Write PARAMS.json: ``skills`` maps each skill to pyBKT's ``coef_`` keys, plus provenance."""
    payload = {
        "format": PARAMS_FORMAT,
        "version": 1,
        "skills": {skill: p.to_dict() for skill, p in result.params.items()},
        "provenance": {
            "fitted_at": result.provenance.fitted_at,
            "n_responses": result.provenance.n_responses,
            "options": result.provenance.options,
            "pybkt_version": result.provenance.pybkt_version,
        },
    }
    write_atomically(path, json.dumps(payload, indent=2) + "\n")


def read_params(path: str | Path) -> dict[str, BKTParams]:
    """Read PARAMS.json (as written by :func:`write_params`); errors name the file and the skill."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        payload: Any = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a JSON text file (binary data)") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    skills = payload.get("skills") if isinstance(payload, Mapping) else None
    if not isinstance(skills, Mapping) or not skills:
        raise InputError(f"{path}: expected an object with a non-empty \"skills\" object")
    try:
        return {str(name): BKTParams.from_dict(entry, where=f"skills.{name}") for name, entry in skills.items()}
    except ParamsError as exc:
        raise InputError(f"{path}: {exc}") from None


def write_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one, never half."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
