"""``adaptive kt``: fit, evaluate and predict with BKT on pyBKT-style CSV files (a stable contract)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from adaptive.cli.common import fail, print_json, warn

if TYPE_CHECKING:  # pandas, numpy, pyBKT and scikit-learn are imported by the commands that use them
    import pandas as pd

    from adaptive.knowledge_tracing.predict import Predictions

kt = typer.Typer(help="Bayesian knowledge tracing on CSV files in pyBKT's columns.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(kt, name="kt")


def _variant(value: str | None) -> bool | str:
    """A variant option: absent -> off, "default" -> pyBKT's default column, else the column name."""
    if value is None:
        return False
    return True if value == "default" else value


@kt.command("fit")
def fit_command(
    data: Path = typer.Argument(..., help="Responses CSV: user_id, skill_name, correct[, order_id]."),
    out: Path = typer.Option(..., "--out", help="Where to write PARAMS.json."),
    forgets: bool = typer.Option(False, "--forgets", help="Also fit a forgetting rate."),
    num_fits: int = typer.Option(5, "--num-fits", min=1, help="EM restarts per skill (best likelihood kept)."),
    seed: int = typer.Option(0, "--seed", help="Random seed for the restarts."),
    multigs: str = typer.Option(None, "--multigs", help="Guess/slip per class of column ('default': template_id)."),
    multilearn: str = typer.Option(None, "--multilearn", help="Learn rate per class of this column."),
    multiprior: str = typer.Option(None, "--multiprior", help="Prior per class of this column ('default': correct)."),
    threads: int = typer.Option(None, "--threads", min=1,
                                help="pyBKT's OpenMP threads (default: one per core; 1 is faster on a busy machine)."),
    jobs: int = typer.Option(1, "--jobs", min=1,
                             help="Fit this many skills at once in worker processes, one thread each (try the "
                                  "number of cores); the parameters equal a --threads 1 fit."),
) -> None:
    """Fit BKT parameters per skill with pyBKT and write them to PARAMS.json."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from adaptive.knowledge_tracing.files import InputError, read_responses, write_params
    from adaptive.knowledge_tracing.fitting import FitOptions, fit

    options = FitOptions(forgets, _variant(multilearn), _variant(multigs), _variant(multiprior), num_fits, seed)
    if jobs > 1 and threads not in (None, 1):
        fail("--threads applies to a fit in one process; with --jobs above 1 each worker uses one thread")
    extra = tuple(c for c in (options.column("multigs"), options.column("multilearn")) if c)
    try:
        frame = read_responses(data, extra_columns=extra)
    except InputError as exc:
        fail(str(exc))
    if out.parent and not out.parent.exists():
        fail(f"{out}: folder {out.parent} does not exist")
    n_skills = frame["skill_name"].nunique()
    progress = Progress(
        TextColumn("fitting"), BarColumn(), MofNCompleteColumn(), TextColumn("skills"), TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    with progress:
        task = progress.add_task("fit", total=n_skills)
        try:
            result = fit(frame, options, on_skill=lambda _skill: progress.advance(task), threads=threads, jobs=jobs)
        except ValueError as exc:
            fail(f"{data}: pyBKT could not fit this data ({exc})")
    write_params(out, result)
    Console(stderr=True).print(f"fitted {len(result.params)} skills on {len(frame)} responses -> {out}")


def _load(params_path: Path, data: Path) -> tuple[pd.DataFrame, Predictions]:
    from adaptive.knowledge_tracing.files import InputError, read_params, read_responses
    from adaptive.knowledge_tracing.predict import predict

    try:
        params = read_params(params_path)
        columns = {c for p in params.values() for c in (p.resource_column, p.gs_column) if c}
        frame = read_responses(data, extra_columns=tuple(sorted(columns - {"correct"})))
    except InputError as exc:
        fail(str(exc))
    result = predict(frame, params)
    if result.unfitted_rows:
        skills = result.unfitted_skills
        shown = ", ".join(skills[:10]) + (", ..." if len(skills) > 10 else "")
        warn(f"{result.unfitted_rows} rows of {len(skills)} skills have no fitted parameters ({shown})")
    if result.unseen_gs_classes:
        classes = result.unseen_gs_classes
        shown = ", ".join(classes[:10]) + (", ..." if len(classes) > 10 else "")
        warn(f"{len(classes)} guess/slip classes were not seen in fitting; their rows use the first class's guess "
             f"and slip ({shown})")
    return frame, result


@kt.command("evaluate")
def evaluate_command(
    params: Path = typer.Argument(..., help="PARAMS.json from `adaptive kt fit`."),
    data: Path = typer.Argument(..., help="Responses CSV to evaluate on."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """AUC, RMSE and accuracy of the parameters' predictions (rows of unfitted skills excluded)."""
    import numpy as np

    from adaptive.knowledge_tracing.metrics import evaluate as evaluate_predictions

    frame, result = _load(params, data)
    answered = frame["correct"].to_numpy() >= 0  # -1: no response, nothing to score
    keep = ~np.isnan(result.correct_predictions) & answered
    metrics = evaluate_predictions(frame["correct"].to_numpy()[keep], result.correct_predictions[keep])
    metrics["excluded"] = len(frame) - int(keep.sum())
    if as_json:
        print_json(metrics)
        return
    from adaptive.cli.output import console, table

    rows = [[key, "n/a" if value is None else (f"{value:.4f}" if isinstance(value, float) else str(value))]
            for key, value in metrics.items()]
    console().print(table("BKT evaluation", ["metric", "value"], rows))


@kt.command("predict")
def predict_command(
    params: Path = typer.Argument(..., help="PARAMS.json from `adaptive kt fit`."),
    data: Path = typer.Argument(..., help="Responses CSV."),
    out: Path = typer.Option(..., "--out", help="Output CSV: input rows plus the two prediction columns."),
) -> None:
    """Write each row with P(correct) and P(mastered) before it (pyBKT's meaning); blank if unfitted."""
    from adaptive.knowledge_tracing.files import write_atomically

    frame, result = _load(params, data)
    if out.parent and not out.parent.exists():
        fail(f"{out}: folder {out.parent} does not exist")
    table = frame.copy()
    table["correct_predictions"] = result.correct_predictions
    table["state_predictions"] = result.state_predictions
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, float_format="%.17g", na_rep="")
    write_atomically(out, buffer.getvalue())
