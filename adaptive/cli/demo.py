"""``adaptive demo``: the sample course and simulated class on the chosen database."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from adaptive.cli.common import db_url
from adaptive.cli.output import console as wide_console


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        ctx: typer.Context,
        seed: int = typer.Option(2026, "--seed", help="Seed of the simulated class."),
        out: Path = typer.Option(Path("adaptive-demo"), "--out", help="Folder for the heatmap and report card."),
    ) -> None:
        """A simulated class of 28 on a sample Grade 6 math course, end to end: pre-test skips, mastery, next
        items with reasons, flags, today's small groups and station rotation, the class heatmap and a report
        card (re-runnable)."""
        from adaptive.demo import run_demo

        started = time.perf_counter()
        console = wide_console()  # piped: every table whole, not cut at 80 columns
        run_demo(db_url(ctx), console, seed=seed, out=out)
        console.print(f"demo finished in {time.perf_counter() - started:.1f} s")
