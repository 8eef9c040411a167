"""``adaptive db upgrade``, ``adaptive responses import FILE.csv`` and ``adaptive mastery STUDENT``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from adaptive.cli.common import db_url, fail, first_line, print_json

if TYPE_CHECKING:
    from adaptive.tutor import Tutor


def _tutor(ctx: typer.Context, upgrade: bool = True) -> Tutor:
    from adaptive.tutor import Tutor

    url = db_url(ctx)
    try:
        return Tutor(url, upgrade=upgrade)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        fail(f"cannot open database {_shown(url)}: {first_line(exc)}")


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as given
        return url


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
    responses_app = typer.Typer(help="Students' responses.", no_args_is_help=True)
    app.add_typer(db_app, name="db")
    app.add_typer(responses_app, name="responses")

    @db_app.command("upgrade")
    def upgrade(ctx: typer.Context) -> None:
        """Create or migrate the schema to the latest revision."""
        tutor = _tutor(ctx, upgrade=False)
        try:
            revision = tutor.upgrade()
        except SQLAlchemyError as exc:
            fail(f"cannot upgrade {_shown(tutor.url)}: {first_line(exc)}")
        finally:
            tutor.close()
        print(f"{_shown(tutor.url)} is at revision {revision} (head)")

    @responses_app.command("import")
    def import_responses(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="CSV of responses (columns: see docs/store.md)."),
        chunk_size: int = typer.Option(1000, min=1, help="Responses per committed transaction."),
    ) -> None:
        """Import responses and update mastery. The whole file is checked before anything is written;
        unknown students and competencies are created; re-importing a file never counts a row twice."""
        from adaptive.domain import InvalidResponse, StoreError
        from adaptive.interop.csv_responses import CsvError, read_responses

        tutor = _tutor(ctx)
        try:
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
        except StoreError as exc:
            fail(str(exc))
        except SQLAlchemyError as exc:
            fail(f"{file}: database error: {first_line(exc)}")
        finally:
            tutor.close()
        print(f"{file}: {result.recorded} responses recorded, {result.duplicates} already stored")

    @app.command("mastery")
    def mastery(
        ctx: typer.Context,
        student: str = typer.Argument(..., help="Student code."),
        as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
    ) -> None:
        """A student's mastery of each competency."""
        from adaptive.domain import StoreError

        tutor = _tutor(ctx)
        try:
            rows = tutor.mastery(student)
        except StoreError as exc:
            fail(str(exc))
        finally:
            tutor.close()
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
