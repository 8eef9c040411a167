"""The school admin's roster page: upload the SIS's OneRoster export (a .zip, or its .csv files chosen
together) and import it with :meth:`adaptive.Tutor.import_roster`, then see what changed, the warnings and
every row refused (``file:line: reason``). Without "skip bad rows" a refused row means nothing is written,
as on the command line (docs/rosters.md). The upload is unpacked safely (:mod:`webapp.uploads`) into a
temporary folder removed after the import."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.responses import Response

from adaptive.domain import StoreError
from adaptive.domain.access import ADMIN
from adaptive.domain.errors import Problem
from adaptive.domain.roster import RosterImportReport
from adaptive.domain.words import counted
from webapp import uploads
from webapp.guard import Pages, Refused, Upload, Web

pages = Pages()
UPLOAD = Upload(max_bytes=uploads.MAX_UPLOAD, max_files=uploads.MAX_FILES)


@dataclass(frozen=True)
class Outcome:
    """What the page shows after an import: the report when written, else the refusal; problems and warnings
    with the file's plain name (the temporary folder is nobody's business)."""

    report: RosterImportReport | None
    refused: str
    problems: list[str]
    warnings: list[str]
    ignored_files: tuple[str, ...]
    skipped_bad_rows: bool


def shown(problem: Problem) -> str:
    """``users.csv:9: reason``: the problem with the file's name as uploaded, not the server's path."""
    return str(Problem(Path(problem.file).name, problem.line, problem.message))


@pages.page("/admin/roster", roles=[ADMIN], nav="Roster")
def roster_page(web: Web) -> Response:
    with web.reading():
        summary = web.tutor.roster_summary()
    return web.render("admin/roster.html", summary=summary, outcome=None, max_mb=uploads.MAX_UPLOAD // uploads.MB)


@pages.action("/admin/roster", roles=[ADMIN], upload=UPLOAD)
def import_roster(web: Web) -> Response:
    """Import the uploaded export; the page shows the outcome (200 imported, 422 refused)."""
    files = [f for f in (web.form.getlist("files") if web.form is not None else []) if isinstance(f, UploadFile)]
    files = [f for f in files if f.filename]
    if not files:
        raise Refused(400, "Choose the roster export's .zip, or its .csv files, to upload.")
    skip = web.field("skip_bad_rows") == "on"
    with tempfile.TemporaryDirectory(prefix="adaptive-roster-") as tmp:
        try:
            unpacked = uploads.unpack(((f.filename or "", f.file) for f in files), Path(tmp))
        except uploads.UploadRefused as exc:
            return _show(web, Outcome(None, str(exc), [], [], (), skip), 422)
        try:
            with web.reading():
                report = web.tutor.import_roster(unpacked.folder, skip_bad_rows=skip)
        except StoreError as exc:  # a RosterError lists its problems and warnings (FILE:LINE: reason)
            problems, warnings = getattr(exc, "problems", ()), getattr(exc, "warnings", ())
            if getattr(exc, "structural", False):
                what = "these files are not a readable OneRoster export"
            elif problems:
                what = (f"{counted(len(problems), 'row')} cannot be imported: fix them in the SIS, or tick "
                        "\u201cskip rows that cannot be imported\u201d")
            else:
                what = str(exc)
            outcome = Outcome(None, f"Nothing was imported: {what}.", [shown(p) for p in problems],
                              [shown(p) for p in warnings], unpacked.ignored, skip)
            return _show(web, outcome, 422)
    outcome = Outcome(report, "", [shown(p) for p in report.skipped], [shown(p) for p in report.warnings],
                      unpacked.ignored, skip)
    return _show(web, outcome, 200)


def _show(web: Web, outcome: Outcome, status: int) -> Response:
    with web.reading():
        summary = web.tutor.roster_summary()
    return web.render("admin/roster.html", status=status, summary=summary, outcome=outcome,
                      max_mb=uploads.MAX_UPLOAD // uploads.MB)
