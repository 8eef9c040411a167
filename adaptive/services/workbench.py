"""The rules workbench and curriculum uploads: the same checks, tests, simulation and publishing as
``adaptive rules ...`` and the same imports as ``adaptive curriculum import`` / ``adaptive interop import-case``,
for text typed in a browser or a file uploaded rather than a path on the server.

Why a service: an adapter (the web app) holds text, not files, and may not reach the engines. Each call
writes the text into a scratch folder beside the active rules' tables (so their includes still resolve), calls
the library exactly as the command line does, and names problems after ``rules.yaml`` (or the uploaded file),
never after the scratch folder.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from adaptive.domain.decisions import RulesetInfo, SimulationReport
from adaptive.domain.errors import Problem
from adaptive.domain.workbench import CurriculumUpload, RulesCheck, RulesTestResult
from adaptive.services.context import Context
from adaptive.services.curriculum import CurriculumService
from adaptive.services.decisions import DecisionService
from adaptive.services.interop import InteropService
from adaptive.store import rulesets as published

RULES_FILE = "rules.yaml"  # how the text being edited is named in its problems
T = TypeVar("T")


class WorkbenchService:
    """Rules text checked, tested, simulated and published; curriculum files imported from their bytes."""

    def __init__(self, ctx: Context, decisions: DecisionService, curriculum: CurriculumService,
                 interop: InteropService) -> None:
        self._ctx = ctx
        self._decisions = decisions
        self._curriculum = curriculum
        self._interop = interop

    # -- rules -----------------------------------------------------------------------------------------------
    def active_rules_text(self) -> str:
        """The text of the rules in force (the latest published version, or the shipped default rules)."""
        from adaptive.rules import default_rules_text

        active = self._ctx.read(published.active)
        return active.text if active is not None else default_rules_text()

    def check_rules_text(self, text: str, *, run_tests: bool = False) -> RulesCheck:
        """Check rules text as ``adaptive rules check`` does (the active rules' tables beside it); with
        ``run_tests`` also run the tests written in it, as ``adaptive rules test`` does."""
        from adaptive.rules import RulesEngine, read_rules
        from adaptive.rules import run_tests as run

        with self._scratch(text) as (path, label):
            ruleset, problems = read_rules(path)
            if problems or ruleset is None:
                found = (_problem(p.file, p.line, p.message, label) for p in problems)
                return RulesCheck(tuple(sorted(found, key=lambda p: (p.file != RULES_FILE, p.file, p.line or 0))))
            warnings = tuple(_problem(w.file, w.line, w.message, label) for w in ruleset.warnings)
            tests: tuple[RulesTestResult, ...] = ()
            with RulesEngine(ruleset) as engine:
                if run_tests:
                    tests = tuple(RulesTestResult(case.name, case.line, tuple(result.problems))
                                  for case, result in zip(ruleset.tests, run(engine), strict=True))
        n_tables = sum(1 for r in ruleset.rules if r.group)
        summary = (f"{ruleset.id} version {ruleset.full_version}: {len(ruleset.rules)} rules ({n_tables} from "
                   f"{len(ruleset.tables)} tables), {len(ruleset.tests)} tests, hit policy {ruleset.hit_policy}")
        return RulesCheck((), warnings, summary, tests)

    def simulate_rules_text(self, text: str, since: dt.datetime | dt.date | None = None) -> SimulationReport:
        """:meth:`DecisionService.simulate_rules` for rules text. Raises RulesError (problems at rules.yaml)."""
        return self._with_text(text, lambda path: self._decisions.simulate_rules(path, since=since))

    def publish_rules_text(self, text: str, by: str, note: str | None = None) -> RulesetInfo:
        """:meth:`DecisionService.publish_rules` for rules text: refused (RulesError, problems at rules.yaml)
        when it fails its check or its tests; the active rules then stay in force."""
        return self._with_text(text, lambda path: self._decisions.publish_rules(path, by=by, note=note))

    def _with_text(self, text: str, work: Callable[[Path], T]) -> T:
        from adaptive.rules import Problem as RulesProblem
        from adaptive.rules import RulesError

        with self._scratch(text) as (path, label):
            try:
                return work(path)
            except RulesError as exc:
                raise RulesError([RulesProblem(*_relabel(p.file, p.line, p.message, label))
                                  for p in exc.problems]) from None

    @contextmanager
    def _scratch(self, text: str) -> Iterator[tuple[Path, Callable[[str], str]]]:
        """``text`` as rules.yaml in a scratch folder with the active rules' tables, and the relabeller of
        file names found in problems."""
        active = self._ctx.read(published.active)
        with tempfile.TemporaryDirectory(prefix="adaptive-workbench-") as folder:
            root = Path(folder).resolve()
            for name, table in (active.tables if active is not None else {}).items():
                target = (root / name).resolve()
                if target.is_relative_to(root) and not Path(name).is_absolute():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(table, encoding="utf-8")
            path = root / RULES_FILE
            path.write_text(text, encoding="utf-8")
            prefixes = sorted({str(root), folder}, key=len, reverse=True)

            def label(file: str) -> str:
                for prefix in prefixes:
                    file = file.replace(prefix + "/", "").replace(prefix, "")
                return file or RULES_FILE

            yield path, label

    # -- curriculum ------------------------------------------------------------------------------------------
    def import_curriculum_upload(self, filename: str, data: bytes) -> CurriculumUpload:
        """Import an uploaded curriculum file (``.yaml``/``.yml``, docs/curriculum.md) or CASE package
        (``.json``, docs/interop.md). Every problem comes back as ``FILE:LINE: message`` (named after
        ``filename``) and then nothing is written."""
        from adaptive.content import CurriculumError, load_curriculum
        from adaptive.interop.case import CaseError

        name = Path(filename or "upload").name
        kind = "case" if name.lower().endswith(".json") else "curriculum"
        if kind == "curriculum" and not name.lower().endswith((".yaml", ".yml")):
            return CurriculumUpload(name, kind, (f"{name}: expected a curriculum file (.yaml) or a CASE "
                                                 "package (.json)",))
        with tempfile.TemporaryDirectory(prefix="adaptive-upload-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)

            def named(text: str) -> str:
                return text.replace(str(path), name).replace(folder + "/", "")

            try:
                if kind == "case":
                    report = self._interop.import_case(path)
                    course = self._curriculum.course(report.course)
                    return CurriculumUpload(name, kind, (), report.course, report.course_name,
                                            tuple(c.code for c in course.competencies), report.prerequisites)
                curriculum = load_curriculum(path)
            except CaseError as exc:
                return CurriculumUpload(name, kind, tuple(named(p) for p in exc.problems))
            except CurriculumError as exc:
                return CurriculumUpload(name, kind, tuple(named(str(p)) for p in exc.problems))
        outline = self._curriculum.import_curriculum(curriculum)
        return CurriculumUpload(name, kind, (), outline.code, outline.name, outline.competencies,
                                sum(len(c.prerequisites) for c in curriculum.competencies),
                                len(curriculum.items) + len(curriculum.pretest))


def _relabel(file: str, line: int, message: str, label: Callable[[str], str]) -> tuple[str, int, str]:
    return label(file), line, re.sub(r"/\S*adaptive-workbench-[^/\s]*/", "", message)


def _problem(file: str, line: int, message: str, label: Callable[[str], str]) -> Problem:
    return Problem(*_relabel(file, line, message, label))
