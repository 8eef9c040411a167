"""The whole response table as pyBKT's per-skill EM input, in one vectorized pass.

pyBKT's ``data_helper.convert_data`` filters the frame once per skill (a string comparison over every row for
each skill) and converts row by row; on ASSISTments 2009 that costs more than its EM. This builds the same
dicts (``data``, ``starts``, ``lengths``, ``resources``, ``resource_names``, ``gs_names``; same values, shapes
and dtypes, skills in the same order) from one sort, so the EM sees exactly what pyBKT's own fit feeds it.
``tests/knowledge_tracing/test_fitting_engine.py`` checks the equality against ``convert_data``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from adaptive.knowledge_tracing.fitting import FitOptions

SkillData = dict[str, Any]


def ordered_rows(data: pd.DataFrame) -> pd.DataFrame:
    """The rows in pyBKT's order: by ``order_id`` (when present), then each user's rows together (stable)."""
    frame = data
    if "order_id" in frame.columns:
        frame = frame.assign(order_id=frame["order_id"].apply(int)).sort_values("order_id")
    frame = frame.sort_values("user_id", kind="mergesort")
    if "original" in frame.columns:  # pyBKT keeps only original problems when the column exists
        frame = frame[frame["original"] == 1]
    return frame


def convert(data: pd.DataFrame, options: FitOptions) -> dict[str, SkillData]:
    """pyBKT's EM input for every skill of ``data``, keyed by skill name in pyBKT's fitting order."""
    import pandas as pd

    frame = ordered_rows(data)
    if frame.empty:
        raise ValueError("no responses to fit")
    correct = frame["correct"]
    if not pd.api.types.is_integer_dtype(correct):
        try:
            correct = correct.apply(int)
        except (TypeError, ValueError):
            raise ValueError("Invalid Data In Specified Corrects Column") from None
    correct = correct.to_numpy(dtype=np.int64)
    if not np.isin(correct, (-1, 0, 1)).all():
        raise ValueError("correctness must be -1 (no response), 0 (incorrect), or 1 (correct)")
    skill_codes, skill_names = _skill_codes(frame["skill_name"])
    user_codes = pd.factorize(frame["user_id"], sort=False)[0]
    if (user_codes < 0).any():
        raise ValueError("user_id has missing values")
    by_skill = np.argsort(skill_codes, kind="stable")  # each skill's rows, in user order
    bounds = np.searchsorted(skill_codes[by_skill], np.arange(len(skill_names) + 1))
    columns: dict[str, np.ndarray | None] = {}
    for variant in ("multilearn", "multigs", "multiprior"):
        column = options.column(variant)
        if column:  # pyBKT reads the `correct` column after adding 1 to it: None says so
            columns[variant] = None if column == "correct" else frame[column].to_numpy()
    out: dict[str, SkillData] = {}
    for k, skill in enumerate(skill_names):
        rows = by_skill[bounds[k] : bounds[k + 1]]
        variants = {v: None if c is None else c[rows] for v, c in columns.items()}
        out[str(skill)] = _skill_data(correct[rows] + 1, user_codes[rows], variants)
    return out


def _skill_codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes of ``str(skill)`` in order of first appearance, as pyBKT's ``apply(str)`` then ``unique()``;
    the distinct values are converted, not every row, unless two of them read the same as text (1 and "1")."""
    import pandas as pd

    codes, uniques = pd.factorize(column, sort=False, use_na_sentinel=False)
    names = [str(u) for u in uniques]
    if len(set(names)) < len(names):
        codes, uniques = pd.factorize(column.apply(str), sort=False)
        names = [str(u) for u in uniques]
    return codes, names


def _skill_data(data: np.ndarray, users: np.ndarray, variants: dict[str, np.ndarray | None]) -> SkillData:
    """One skill's dict; ``data`` is pyBKT's 0 (no response), 1 (wrong), 2 (right), rows in user order."""
    n = len(data)

    def column(variant: str) -> np.ndarray:
        values = variants[variant]
        return data if values is None else values

    change = np.flatnonzero(users[1:] != users[:-1]) + 1
    first = np.concatenate(([0], change)).astype(np.int64)
    lengths = np.diff(np.concatenate((first, [n]))).astype(np.int64)
    starts = first + 1  # pyBKT's starts are 1-based
    resources = np.ones(n, dtype=np.int64)
    resource_names: dict[Any, int] = {"default": 1}
    multiprior_index = None
    if "multiprior" in variants:
        # pyBKT's multiprior column is read after it adds 1 to `correct`; a phantom first step per student
        # carries the class of the student's first answer.
        classes, inverse = np.unique(column("multiprior"), return_inverse=True)
        resource_names = {"Default": 1, **{c: i + 2 for i, c in enumerate(classes.tolist())}}
        phantom = first + np.arange(len(first))
        shifted = np.ones(n + len(first), dtype=bool)
        shifted[phantom] = False
        new_data = np.zeros(n + len(first), dtype=np.int32)
        new_data[shifted] = data
        resources = np.ones(n + len(first), dtype=np.int64)
        resources[phantom] = inverse[first] + 2
        starts = phantom + 1
        lengths = lengths + 1
        multiprior_index = phantom.copy()
        data = new_data
    elif "multilearn" in variants:
        classes, inverse = np.unique(column("multilearn"), return_inverse=True)
        resource_names = {c: i + 1 for i, c in enumerate(classes.tolist())}
        resources = (inverse + 1).astype(np.int64)
    if "multigs" in variants:
        classes, inverse = np.unique(column("multigs"), return_inverse=True)
        gs_names: dict[Any, int] = {c: i for i, c in enumerate(classes.tolist())}
        matrix = np.zeros((len(classes), n), dtype=np.int32)
        matrix[inverse, np.arange(n)] = data[:n]
    else:
        gs_names = {"default": 1}
        matrix = np.asarray([data], dtype=np.int32)
    return {
        "data": matrix,
        "starts": starts,
        "lengths": lengths,
        "resources": resources,
        "resource_names": resource_names,
        "gs_names": gs_names,
        "multiprior_index": multiprior_index,
    }
