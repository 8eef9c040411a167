"""The curriculum lead's pages: the rules workbench (edit the active rules with problems shown as they type,
run the rules' tests, simulate against stored responses, publish with a note, history and rollback) and the
curriculum (each course's scope and sequence with its prerequisites as a graph; import a curriculum file or a
CASE package by upload). The same library calls as ``adaptive rules ...`` and the curriculum imports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from adaptive.domain.access import ADMIN, LEAD
from adaptive.domain.decisions import SimulationReport
from adaptive.domain.errors import UnknownRecord
from webapp.graph import course_graph
from webapp.guard import Pages, Refused, Web

pages = Pages()
ROLES = [LEAD, ADMIN]
MAX_RULES_TEXT = 200_000  # characters: far above any real rules file, far below Starlette's 1 MB field limit
MAX_UPLOAD = 2_000_000  # bytes of an uploaded curriculum file or CASE package
MAX_NOTE = 500
SHOWN = 10  # simulation examples shown


def _text(web: Web) -> str:
    text = (web.form.get("text") if web.form is not None else None) or ""
    if not isinstance(text, str):
        raise Refused(400, "Send the rules as text.")
    if len(text) > MAX_RULES_TEXT:
        raise Refused(413, f"A rules file here is at most {MAX_RULES_TEXT:,} characters.")
    return text.replace("\r\n", "\n")


def _workbench(web: Web, text: str, status: int = 200, **extra: Any) -> Response:
    check = web.tutor.check_rules_text(text)
    return web.render("lead/rules.html", status=status, text=text, check=check, active=web.tutor.active_ruleset(),
                      history=list(reversed(web.tutor.ruleset_history())), lines=text.count("\n") + 1, **extra)


@pages.page("/lead/rules", roles=ROLES, nav="Rules")
def rules(web: Web) -> Response:
    query = web.request.query_params
    return _workbench(web, web.tutor.active_rules_text(), published=query.get("published"),
                      rolled_back=query.get("rolled_back"))


@pages.action("/lead/rules/check", roles=ROLES)
def check(web: Web) -> Response:
    """The problems of the text being typed (an htmx fragment), each at its line."""
    return web.render("lead/_problems.html", check=web.tutor.check_rules_text(_text(web)), oob=True)


@pages.action("/lead/rules/test", roles=ROLES)
def run_tests(web: Web) -> Response:
    """Run the tests written in the text: pass or fail per test, with why."""
    result = web.tutor.check_rules_text(_text(web), run_tests=True)
    return web.render("lead/_tests.html", check=result)


@pages.action("/lead/rules/simulate", roles=ROLES)
def simulate(web: Web) -> Response:
    """Replay stored responses under the text and the active rules: what would change. Writes nothing."""
    text = _text(web)
    since = None
    if web.field("since"):
        try:
            since = dt.date.fromisoformat(web.field("since"))
        except ValueError:
            return web.render("lead/_simulation.html", error="Since must be a date like 2026-09-01.")
    check = web.tutor.check_rules_text(text)
    if not check.ok:
        return web.render("lead/_simulation.html", check=check)
    with web.reading():  # as the lead (a replay logs no entry: docs/security-and-privacy.md)
        report = web.tutor.simulate_rules_text(text, since=since)
    return web.render("lead/_simulation.html", report=report, shown=SHOWN, actions=_actions, rows=_rows(report))


@pages.action("/lead/rules/publish", roles=ROLES)
def publish(web: Web) -> Response:
    """Publish the text with a note: refused (the page says why) when it has problems or failing tests."""
    text = _text(web)
    note = web.field("note")[:MAX_NOTE]
    if not note:
        return _workbench(web, text, 400, error="Say why in the note: it is shown in the history.")
    try:
        info = web.tutor.publish_rules_text(text, by=web.actor, note=note)
    except ValueError as exc:  # RulesError: every problem, each at its line
        problems = [str(p) for p in getattr(exc, "problems", ())] or [str(exc)]
        return _workbench(web, text, 422, refused=problems, note=note)
    if info.unchanged:
        return _workbench(web, text, error="These are exactly the active rules: nothing new was published.")
    return web.redirect(f"/lead/rules?published={info.version_id}")


@pages.action("/lead/rules/rollback", roles=ROLES)
def rollback(web: Web) -> Response:
    """Publish an earlier version again as a new version (it must still pass its check and tests)."""
    try:
        version = int(web.field("version"))
    except ValueError:
        raise Refused(400, "Say which version to bring back.") from None
    note = web.field("note")[:MAX_NOTE] or None
    try:
        info = web.tutor.rollback_rules(version, by=web.actor, note=note)
    except UnknownRecord:
        raise Refused(404, f"There is no rules version {version}.") from None
    except ValueError as exc:
        problems = [str(p) for p in getattr(exc, "problems", ())] or [str(exc)]
        return _workbench(web, web.tutor.active_rules_text(), 422, refused=problems)
    return web.redirect(f"/lead/rules?rolled_back={info.version_id or version}")


def _rows(report: SimulationReport) -> list[tuple[str, int, int]]:
    """The totals under the active and the edited rules, one row per thing a teacher would notice."""
    a, c = report.active, report.candidate
    rows = [("Students flagged", a.students_flagged, c.students_flagged),
            ("Student-competency pairs flagged (the flags a teacher sees)", a.pairs_flagged, c.pairs_flagged),
            ("Flag actions (each time a rule flags)", a.flags, c.flags),
            ("Students skipping a competency", a.students_skipping, c.students_skipping),
            ("Competencies skipped", a.skips, c.skips), ("Goal check-ins", a.checkins, c.checkins),
            ("Decisions with no next item", a.no_next_item, c.no_next_item)]
    rows += [("Next item: " + s.replace("_", " "), a.next_item_strategies.get(s, 0), c.next_item_strategies.get(s, 0))
             for s in sorted(a.next_item_strategies.keys() | c.next_item_strategies.keys())]
    return rows


def _actions(actions: list[dict[str, Any]]) -> str:
    """Each action in a few words: its kind and what it says (strategy, reason or message)."""
    if not actions:
        return "nothing"
    out = []
    for action in actions:
        detail = action.get("strategy") or action.get("reason") or action.get("message")
        out.append(f"{action['kind'].replace('_', ' ')}: {detail}" if detail else action["kind"].replace("_", " "))
    return "; ".join(out)


# -- curriculum -------------------------------------------------------------------------------------------------
def _curriculum(web: Web, status: int = 200, **extra: Any) -> Response:
    courses = [web.tutor.course(c.code) for c in web.tutor.courses()]
    return web.render("lead/curriculum.html", status=status, courses=courses,
                      graphs={c.code: course_graph(c) for c in courses}, max_upload=MAX_UPLOAD, **extra)


@pages.page("/lead/curriculum", roles=ROLES, nav="Curriculum")
def curriculum(web: Web) -> Response:
    return _curriculum(web)


@pages.action("/lead/curriculum/import", roles=ROLES)
def import_curriculum(web: Web) -> Response:
    """Import an uploaded curriculum file (YAML) or CASE package (JSON): what was imported, or every problem
    at its file and line (then nothing was written)."""
    upload = web.form.get("file") if web.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _curriculum(web, 400, upload_error="Choose a curriculum file (.yaml) or a CASE package (.json).")
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return _curriculum(web, 413, upload_error=f"The file is over {MAX_UPLOAD // 1_000_000} MB: "
                                                  "import it with the command line.")
    result = web.tutor.import_curriculum_upload(upload.filename, data)
    return _curriculum(web, 200 if result.ok else 422, result=result)
