"""``adaptive db upgrade``, ``adaptive responses import FILE.csv``, ``adaptive responses void KEY``,
``adaptive responses list STUDENT`` and ``adaptive mastery STUDENT``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from adaptive.cli.common import db_url, fail, problems, shown, tutor_for
from adaptive.cli.output import chosen, emit, format_option


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
        batch_decisions: bool = typer.Option(False, "--batch-decisions", help="Decide once per student and competency "
                                       "per chunk, on the final state (faster); by default the rules decide "
                                       "after every answer, as recording them live would have."),
    ) -> None:
        """Import responses and update mastery. The whole file is checked before anything is written;
        unknown students and competencies are created; re-importing a file never counts a row twice. The rules
        decide after every answer at its own time, as they would have live (--batch-decisions: faster)."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from adaptive.domain import InvalidResponse
        from adaptive.interop.csv_responses import CsvError, read_responses

        # The file's problems name the file and line themselves (CsvError): each on its own line.
        with tutor_for(ctx, database_error=f"{file}: database error") as tutor:
            try:
                responses, lines = read_responses(file, tutor.score_scale)
            except CsvError as exc:
                problems("\n".join(f"error: {p}" for p in exc.problems), code=2)
            try:
                tutor.check_responses(responses, create_missing=True)
            except InvalidResponse as exc:
                raise CsvError(file, lines[exc.index], exc.problem) from None
            console = Console(stderr=True)
            columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            with Progress(*columns, console=console, transient=True) as progress:
                task = progress.add_task("import", total=len(responses))
                try:
                    result = tutor.record_responses(
                        responses, create_missing=True, chunk_size=chunk_size, replay=not batch_decisions,
                        on_chunk=lambda n: progress.advance(task, n),
                    )  # fmt: skip
                except InvalidResponse as exc:  # a key stored meanwhile by another writer for another response
                    raise CsvError(file, lines[exc.index], exc.problem) from None
        print(f"{file}: {result.recorded} responses recorded, {result.duplicates} already stored")

    @responses_app.command("void")
    def void_response(
        ctx: typer.Context,
        key: str = typer.Argument(..., help="The response's idempotency key."),
        by: str = typer.Option(..., "--by", help="Who voids it (stored with it)."),
        reason: str = typer.Option(..., "--reason", help="Why (stored with it, shown as you wrote it)."),
    ) -> None:
        """Take back a recorded response: it stays stored, marked voided with who and why, and no longer counts.
        The student's mastery of its competency is replayed without it; an open flag it no longer supports
        closes. Importing it again later changes nothing (it is still that answer)."""
        with tutor_for(ctx) as tutor:
            done = tutor.void_response(key, by=by, reason=reason)
        m = done.mastery
        print(f"voided {done.idempotency_key}: {done.student} on {done.competency}, by {done.voided_by}")
        print(f"reason: {done.reason}")
        print(f"mastery of {m.competency} replayed without it: P(mastered) {m.p_mastered:.3f}, {m.level}, "
              f"{m.attempts} attempt{'' if m.attempts == 1 else 's'}")
        if done.closed_flags:
            print(f"closed flag{'s' if len(done.closed_flags) > 1 else ''} "
                  f"{', '.join(f'#{n}' for n in done.closed_flags)}: no longer supported by the evidence")

    @responses_app.command("list")
    def list_responses(
        ctx: typer.Context,
        student: str = typer.Argument(..., help="Student code."),
        fmt: str = format_option(),
        as_json: bool = typer.Option(False, "--json", help="Print a JSON list (--format json)."),
    ) -> None:
        """A student's stored responses in time order, voided ones too, marked with when, by whom and why."""
        fmt = chosen(fmt, as_json)
        with tutor_for(ctx) as tutor:
            found = tutor.responses(student)

        def answer(r: Any) -> str:
            return ("right" if r.correct else "wrong") if r.correct is not None else f"score {r.score:g}"

        def voided(r: Any) -> str:
            return f"voided {r.voided_at:%Y-%m-%d %H:%M} by {r.voided_by}: {r.void_reason}" if r.voided_at else ""

        records = [
            {"idempotency_key": r.idempotency_key, "competency": r.competency, "item": r.item, "correct": r.correct,
             "score": r.score, "answered_at": r.answered_at.isoformat(), "source": r.source, "attempt": r.attempt,
             "voided_at": r.voided_at.isoformat() if r.voided_at else None, "voided_by": r.voided_by,
             "void_reason": r.void_reason}
            for r in found
        ]  # fmt: skip
        emit(fmt, ["answered (UTC)", "competency", "item", "answer", "source", "key", "voided"],
             [[f"{r.answered_at:%Y-%m-%d %H:%M}", r.competency, r.item, answer(r), r.source, r.idempotency_key,
               voided(r)] for r in found],
             records, title=f"Responses of {student}", empty=f"{student}: no responses stored")

    @app.command("mastery")
    def mastery(
        ctx: typer.Context,
        student: str = typer.Argument(..., help="Student code."),
        all_competencies: bool = typer.Option(False, "--all", help="Every competency, also those without evidence."),
        competency: str = typer.Option(None, "--competency", help="Only competencies whose code starts with this "
                                                                  "(e.g. 6.RP)."),
        level: list[str] = typer.Option(None, "--level", help="Only this level (repeat for several): not started, "
                                                              "attempted, familiar, proficient, mastered."),
        fmt: str = format_option(),
        as_json: bool = typer.Option(False, "--json", help="Print a JSON list (--format json)."),
    ) -> None:
        """A student's mastery of the competencies they have evidence on, in scope-and-sequence order (course by
        course, then any others by code); --all for every competency."""
        from adaptive.domain.evidence import LEVEL_NAMES

        fmt = chosen(fmt, as_json)
        unknown = [lv for lv in level or () if lv not in LEVEL_NAMES]
        if unknown:
            fail(f"--level {unknown[0]!r}: choose among {', '.join(LEVEL_NAMES)}")
        with tutor_for(ctx) as tutor:
            found = tutor.mastery(student)
            taught = tutor.scope_and_sequence()
            names = {c.code: c.name for c in tutor.competencies()}
            person = tutor.person(student)
        who = f"{person.name} ({student})" if person is not None and person.name else student
        order = {code: n for n, code in enumerate(taught)}
        rows = sorted((r for r in found if (all_competencies or r.attempts) and
                       (not competency or r.competency.startswith(competency)) and (not level or r.level in level)),
                      key=lambda r: (order.get(r.competency, len(order)), r.competency))
        records = [
            {"student": r.student, "competency": r.competency, "name": names.get(r.competency),
             "p_mastered": r.p_mastered, "level": r.level,
             "attempts": r.attempts, "correct_count": r.correct_count, "wrong_streak": r.wrong_streak,
             "last_response_at": r.last_response_at.isoformat() if r.last_response_at else None}
            for r in rows
        ]  # fmt: skip
        hidden = len(found) - len(rows)
        emit(fmt, ["competency", "name", "P(mastered)", "level", "attempts"],
             [[r.competency, names.get(r.competency, ""), f"{r.p_mastered:.3f}", r.level, r.attempts] for r in rows],
             records,
             title=f"Mastery of {who}",
             note=f"{hidden} other competencies not shown (no evidence or filtered out); --all lists them"
             if hidden else None,
             empty=f"{student}: no competency to show" + ("" if all_competencies else
                                                          " (no evidence yet; --all lists every competency)"))
