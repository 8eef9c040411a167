"""Publishing rules files: each publish stores a new version (text, tables, who, when, diff) and makes it
the active one. A file that fails its check or its embedded tests is refused and the active one stays.
Until anything is published the shipped default rules are active.
"""

from __future__ import annotations

import difflib
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

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
from adaptive.store import driver
from adaptive.store import models as m
from adaptive.store.state import from_db_time, utcnow


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


def active_row(session: Session) -> m.RulesetVersion | None:
    """The active published version (the newest, should two publishes have raced), or None for the defaults."""
    rv = m.RulesetVersion
    return session.scalar(select(rv).where(rv.active.is_(True)).order_by(rv.id.desc()).limit(1))


def info(row: m.RulesetVersion | None) -> RulesetInfo:
    if row is None:
        engine_set = default_ruleset()
        return RulesetInfo(engine_set.id, engine_set.full_version, True)
    return RulesetInfo(row.ruleset_id, row.version, False, row.id, row.published_by,
                       from_db_time(row.published_at), row.diff, row.active)


def default_ruleset() -> RuleSet:
    return load_default_rules()


def _texts(row: m.RulesetVersion | None) -> dict[str, str]:
    if row is None:
        return {"rules.yaml": default_rules_text()}
    return {"rules.yaml": row.text, **{k: v for k, v in sorted((row.tables or {}).items())}}


def _diff(old: dict[str, str], new: dict[str, str], old_label: str) -> str:
    lines: list[str] = []
    for name in sorted(old.keys() | new.keys()):
        lines += difflib.unified_diff(old.get(name, "").splitlines(keepends=True),
                                      new.get(name, "").splitlines(keepends=True),
                                      f"{old_label}/{name}", f"new/{name}")
    return "".join(lines)


def publish(session: Session, candidate: Candidate, by: str) -> RulesetInfo:
    """Store the candidate as a new version and make it the only active one."""
    previous = active_row(session)
    old_label = previous.version if previous else f"default {default_ruleset().full_version}"
    new_texts = {"rules.yaml": candidate.text, **candidate.tables}
    row = m.RulesetVersion(ruleset_id=candidate.ruleset.id, version=candidate.ruleset.full_version,
                           text=candidate.text, tables=candidate.tables, published_by=by, published_at=utcnow(),
                           diff=_diff(_texts(previous), new_texts, old_label), active=True)
    session.add(row)
    session.flush()
    session.execute(update(m.RulesetVersion).where(m.RulesetVersion.id != row.id).values(active=False))
    return info(row)


def history(session: Session) -> list[RulesetInfo]:
    rows = session.scalars(select(m.RulesetVersion).order_by(m.RulesetVersion.id))
    return [info(r) for r in rows]


def engine_of(row: m.RulesetVersion) -> RulesEngine:
    """Compile a stored version (its tables written to a scratch folder so includes resolve)."""
    with tempfile.TemporaryDirectory(prefix="adaptive-rules-") as folder:
        for name, text in (row.tables or {}).items():
            target = Path(folder) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return RulesEngine(parse_rules(row.text, file=f"published {row.version}", base_dir=folder))


_versions = m.RulesetVersion.__table__
_ACTIVE_ID = (select(_versions.c.id).where(_versions.c.active.is_(True)).order_by(_versions.c.id.desc()).limit(1))


@dataclass
class EngineCache:
    """Engines by published version id (None: the defaults), built once each; one per Tutor."""

    engines: dict[int | None, RulesEngine] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, session: Session) -> tuple[RulesEngine, int | None]:
        rv = m.RulesetVersion
        version_id = driver.scalar(session.connection(), _ACTIVE_ID)
        with self.lock:
            engine = self.engines.get(version_id)
            if engine is None:
                row = session.get(rv, version_id) if version_id is not None else None
                engine = engine_of(row) if row is not None else RulesEngine(default_ruleset())
                # Only the active version is kept; a replaced engine is freed once no caller holds it.
                self.engines = {version_id: engine}
            return engine, version_id

    def close(self) -> None:
        with self.lock:
            for engine in self.engines.values():
                engine.close()
            self.engines = {}
