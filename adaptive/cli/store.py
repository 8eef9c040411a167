"""``adaptive db upgrade``, ``adaptive responses import FILE.csv`` and ``adaptive mastery STUDENT``."""

from __future__ import annotations

from pathlib import Path

import typer

from adaptive.cli.common import db_url, print_json, shown, tutor_for


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
    responses_app = typer.Typer(help="Students' responses.", no_args_is_help=True)
    app.add_typer(db_app, name="db")
    app.add_typer(responses_app, name="responses")

    @db_app.command("upgrade")
    def upgrade(ctx: typer.Context) -> None:
        """Create or migrate the schema to the latest revision."""
        with tutor_for(ctx, upgrade=False, database_error=f"cannot upgrade {shown(db_url(ctx))}") as tutor:
            revision = tutor.upgrade()
        print(f"{shown(tutor.url)} is at revision {revision} (head)")

    @responses_app.command("import")
    def import_responses(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="CSV of responses (columns: see docs/store.md)."),
        chunk_size: int = typer.Option(1000, min=1, help="Responses per committed transaction."),
    ) -> None:
        """Import responses and update mastery. The whole file is checked before anything is written;
        unknown students and competencies are created; re-importing a file never counts a row twice."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from adaptive.domain import InvalidResponse
        from adaptive.interop.csv_responses import CsvError, read_responses

        # The file's problems name the file and line themselves (CsvError).
        with tutor_for(ctx, database_error=f"{file}: database error") as tutor:
            responses, lines = read_responses(file, tutor.score_scale)
            try:
                tutor.check_responses(responses, create_missing=True)
            except InvalidResponse as exc:
                raise CsvError(file, lines[exc.index], exc.problem) from None
            console = Console(stderr=True)
            columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            with Progress(*columns, console=console, transient=True) as progress:
                task = progress.add_task("import", total=len(responses))
                result = tutor.record_responses(
                    responses, create_missing=True, chunk_size=chunk_size,
                    on_chunk=lambda n: progress.advance(task, n),
                )  # fmt: skip
        print(f"{file}: {result.recorded} responses recorded, {result.duplicates} already stored")

    @app.command("mastery")
    def mastery(
        ctx: typer.Context,
        student: str = typer.Argument(..., help="Student code."),
        as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
    ) -> None:
        """A student's mastery of each competency."""
        from rich.console import Console
        from rich.table import Table

        with tutor_for(ctx) as tutor:
            rows = tutor.mastery(student)
        if as_json:
            print_json([
                {"student": r.student, "competency": r.competency, "p_mastered": r.p_mastered, "level": r.level,
                 "attempts": r.attempts, "correct_count": r.correct_count, "wrong_streak": r.wrong_streak,
                 "last_response_at": r.last_response_at.isoformat() if r.last_response_at else None}
                for r in rows
            ])  # fmt: skip
            return
        table = Table(title=f"Mastery of {student}")
        for name, justify in (("competency", "left"), ("P(mastered)", "right"), ("level", "left"),
                              ("attempts", "right")):  # fmt: skip
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for r in rows:
            table.add_row(r.competency, f"{r.p_mastered:.3f}", r.level, str(r.attempts))
        Console().print(table)
