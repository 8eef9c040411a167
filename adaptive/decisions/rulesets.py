"""Publishing rules files: each publish stores a new version (text, tables, who, when, diff) and makes it
the active one. A file that fails its check or its embedded tests is refused and the active one stays.
Until anything is published the shipped default rules are active.

Pure: the store reads and writes the versions; this module checks candidates, builds new versions with
their diffs and compiles engines.
"""

from __future__ import annotations

import difflib
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from adaptive.domain.deciding import PublishedRules
from adaptive.domain.decisions import RulesetInfo
from adaptive.rules import (
    Problem,
    RulesEngine,
    RulesError,
    RuleSet,
    default_rules_text,
    load_default_rules,
    read_rules,
    run_tests,
)
from adaptive.rules.loader import parse_rules


@dataclass(frozen=True)
class Candidate:
    """A rules file that passed its check and its tests, with the text of the file and its tables."""

    ruleset: RuleSet
    text: str
    tables: dict[str, str]


def check_candidate(path: str | Path) -> Candidate:
    """Read, check, compile and test a rules file; raises RulesError listing every problem."""
    path = Path(path)
    ruleset, problems = read_rules(path)
    if problems:
        raise RulesError(problems)
    assert ruleset is not None
    with RulesEngine(ruleset) as engine:
        results = run_tests(engine)
    failed = [Problem(str(path), case.line, f"test {case.name!r} fails: {'; '.join(result.problems)}")
              for case, result in zip(ruleset.tests, results, strict=True) if not result.passed]
    if failed:
        raise RulesError(failed)
    tables = {os.path.relpath(t.file, path.parent): Path(t.file).read_text(encoding="utf-8") for t in ruleset.tables}
    return Candidate(ruleset, path.read_text(encoding="utf-8"), tables)


def info(published: PublishedRules | None) -> RulesetInfo:
    """What callers see of a version (None: the shipped defaults)."""
    if published is None:
        engine_set = default_ruleset()
        return RulesetInfo(engine_set.id, engine_set.full_version, True)
    return RulesetInfo(published.ruleset_id, published.version, False, published.id, published.published_by,
                       published.published_at, published.diff, published.active, published.note,
                       diff_summary(published.diff))


def diff_summary(diff: str) -> str:
    """A unified diff in one line: lines added and removed per file ("rules.yaml +1 -1; flags.csv +3")."""
    counts: dict[str, list[int]] = {}
    name = ""
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:].split("/", 1)[-1].strip()
            counts.setdefault(name, [0, 0])
        elif line.startswith("--- ") or not name:
            continue
        elif line.startswith("+"):
            counts[name][0] += 1
        elif line.startswith("-"):
            counts[name][1] += 1
    parts = [f"{n} " + " ".join(x for x in (f"+{a}" if a else "", f"-{r}" if r else "") if x)
             for n, (a, r) in counts.items() if a or r]
    return "; ".join(parts) or "no changes"


def same_as(candidate: Candidate, active: PublishedRules | None) -> bool:
    """The candidate's text and tables are exactly those of the active rules (None: the shipped defaults)."""
    return {"rules.yaml": candidate.text, **candidate.tables} == _texts(active) if active is not None else \
        not candidate.tables and candidate.text == default_rules_text()


def stored_candidate(published: PublishedRules) -> Candidate:
    """A stored version checked and tested again as it would be published today (raises RulesError, the
    problems' file named as the version)."""
    with tempfile.TemporaryDirectory(prefix="adaptive-rules-") as folder:
        _write_tables(folder, published.tables)
        path = Path(folder) / "rules.yaml"
        path.write_text(published.text, encoding="utf-8")
        try:
            candidate = check_candidate(path)
        except RulesError as exc:
            label = f"version {published.id}"
            raise RulesError([Problem(p.file.replace(str(path), label).replace(folder, label), p.line, p.message)
                              for p in exc.problems]) from None
    return Candidate(candidate.ruleset, published.text, dict(published.tables))


def _write_tables(folder: str, tables: dict[str, str]) -> None:
    """Write a stored version's tables into a scratch folder. A name that leads out of it (stored before
    includes had to stay in the rules' folder) is not written: the check then reports it as unreadable."""
    root = Path(folder).resolve()
    for name, text in tables.items():
        target = (root / name).resolve()
        if not target.is_relative_to(root) or Path(name).is_absolute():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def default_ruleset() -> RuleSet:
    return load_default_rules()


def _texts(published: PublishedRules | None) -> dict[str, str]:
    if published is None:
        return {"rules.yaml": default_rules_text()}
    return {"rules.yaml": published.text, **{k: v for k, v in sorted(published.tables.items())}}


def _diff(old: dict[str, str], new: dict[str, str], old_label: str) -> str:
    lines: list[str] = []
    for name in sorted(old.keys() | new.keys()):
        lines += difflib.unified_diff(old.get(name, "").splitlines(keepends=True),
                                      new.get(name, "").splitlines(keepends=True),
                                      f"{old_label}/{name}", f"new/{name}")
    return "".join(lines)


def new_version(candidate: Candidate, previous: PublishedRules | None, by: str, now: datetime,
                note: str | None = None) -> PublishedRules:
    """The version to store for a candidate, with its diff from the ``previous`` active one (None: defaults)."""
    old_label = previous.version if previous else f"default {default_ruleset().full_version}"
    new_texts = {"rules.yaml": candidate.text, **candidate.tables}
    return PublishedRules(candidate.ruleset.id, candidate.ruleset.full_version, candidate.text, candidate.tables,
                          by, now, _diff(_texts(previous), new_texts, old_label), True, note=note)


def engine_of(published: PublishedRules) -> RulesEngine:
    """Compile a stored version (its tables written to a scratch folder so includes resolve)."""
    with tempfile.TemporaryDirectory(prefix="adaptive-rules-") as folder:
        _write_tables(folder, published.tables)
        return RulesEngine(parse_rules(published.text, file=f"published {published.version}", base_dir=folder))


@dataclass
class EngineCache:
    """Engines by published version id (None: the defaults), built once each; one per Tutor."""

    engines: dict[int | None, RulesEngine] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, version_id: int | None,
            load: Callable[[int], PublishedRules | None]) -> tuple[RulesEngine, int | None]:
        """The engine of the active version ``version_id`` (None: the defaults); ``load`` reads a stored
        version when its engine is not built yet."""
        with self.lock:
            engine = self.engines.get(version_id)
            if engine is None:
                published = load(version_id) if version_id is not None else None
                engine = engine_of(published) if published is not None else RulesEngine(default_ruleset())
                # Only the active version is kept; a replaced engine is freed once no caller holds it.
                self.engines = {version_id: engine}
            return engine, version_id

    def close(self) -> None:
        with self.lock:
            for engine in self.engines.values():
                engine.close()
            self.engines = {}
