"""What the rules workbench and the curriculum upload see: a rules text's check and test run, and what an
uploaded curriculum file imported (or every problem it has). Plain records, so the web adapter needs no engine."""

from __future__ import annotations

from dataclasses import dataclass

from adaptive.domain.errors import Problem


@dataclass(frozen=True)
class RulesTestResult:
    """One test written in a rules file: its name, the line it starts on, and why it fails (empty: passes)."""

    name: str
    line: int
    problems: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class RulesCheck:
    """A rules text checked as ``adaptive rules check`` does (and, when asked, its tests run).

    ``problems``: everything that stops it being used, each at its file (``rules.yaml`` for the text itself,
    or an included table) and line; ``warnings`` do not stop it; ``summary`` says what it holds when it is ok;
    ``tests``: the results of its embedded tests (empty when not run or when it has problems)."""

    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()
    summary: str = ""
    tests: tuple[RulesTestResult, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def failed_tests(self) -> int:
        return sum(not t.passed for t in self.tests)


@dataclass(frozen=True)
class CurriculumUpload:
    """An uploaded curriculum file (YAML) or CASE package (JSON): what was imported, or every problem (then
    nothing was written). ``kind``: ``curriculum`` or ``case``; ``problems``: ``FILE:LINE: message`` texts."""

    file: str
    kind: str
    problems: tuple[str, ...] = ()
    course: str = ""
    course_name: str = ""
    competencies: tuple[str, ...] = ()
    prerequisites: int = 0
    items: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems
