"""Reports: the class heatmap and the student report card, as plain records or rendered.

Which competencies a report shows: those of ``course`` when one is given (its scope and sequence). Without
one (sections are not linked to courses), every course in which the section's students (or the student)
have evidence or a skip, in course-code order, then any other competency they have evidence on, by code; when
nobody has any evidence yet, every course.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from adaptive.domain import StoreError, UnknownRecord
from adaptive.domain.catalogue import Catalogue
from adaptive.domain.decisions import FlagInfo
from adaptive.domain.evidence import MasteryLevels
from adaptive.domain.reports import (
    ClassMastery,
    CompetencyLabel,
    GoalInfo,
    MasteryCell,
    ProgressPoint,
    RecentWork,
    Sort,
    StudentReport,
    StudentRow,
)
from adaptive.knowledge_tracing.online import Belief, advance, initial_belief
from adaptive.services import audit
from adaptive.services.context import Context
from adaptive.services.decisions import playlist_of
from adaptive.store import goals as goal_store
from adaptive.store import reports
from adaptive.store.reports import Answered, FlagRow, GoalRow
from adaptive.store.state import from_db_time


class ReportService:
    """Class heatmaps and student report cards of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    @property
    def _levels(self) -> MasteryLevels:
        return self._ctx.settings.levels

    # -- the records -------------------------------------------------------------------------------------
    def class_mastery(self, section: str, *, course: str | None = None, with_evidence: bool = False,
                      competency: str | None = None) -> ClassMastery:
        """The section's students x competencies (see the module doc for which competencies), students sorted
        by name; each cell has P(mastered), the level, attempts, whether it was skipped and whether an open
        small-group flag is on it. Never-practised cells are "not started" at the competency's prior.

        On a big course (a CASE framework of hundreds of competencies) ask for ``with_evidence``: only the
        competencies someone in the section has worked on, been flagged on or skipped (the whole course while
        nobody has); ``competency`` keeps those whose code starts with it (e.g. ``6.RP``)."""
        found = self._class_mastery(section, course, with_evidence, competency)
        _log_class(self._ctx, "class mastery", found)
        return found

    def _class_mastery(self, section: str, course: str | None, with_evidence: bool,
                       competency: str | None) -> ClassMastery:
        def work(session: Session) -> ClassMastery:
            cat = self._ctx.catalogue(session)
            facts = reports.section_facts(session, section)
            roster, states, flagged, skipped = facts.roster, facts.states, facts.flagged, facts.skipped
            practised = {c for by in states.values() for c, (_, n) in by.items() if n} | {c for _, c in skipped}
            courses, everything = _columns(session, cat, course, practised)
            columns, shown = _narrowed(cat, everything, practised | {c for _, c in flagged}, with_evidence,
                                       competency)
            rows = [StudentRow(code, name or code, tuple(
                        self._cell(cat, cid, states.get(sid, {}).get(cid), (sid, cid) in flagged,
                                   (sid, cid) in skipped) for cid in columns))
                    for sid, code, name in roster]  # fmt: skip
            rows.sort(key=lambda r: (r.name.casefold(), r.student))
            return ClassMastery(facts.code, facts.name, courses, _labels(cat, columns), tuple(rows), _now(),
                                len(everything), shown)

        return self._ctx.read(work)

    def student_report(self, student: str, *, course: str | None = None, recent: int = 10,
                       next_steps: int = 3, checkins: bool = True) -> StudentReport:
        """What a report card shows: mastery of each competency (see the module doc for which), P(mastered)
        after each of the student's responses (recomputed from the stored responses with the online tracing
        code: the last point of a competency is its stored mastery), goals, the ``recent`` latest responses,
        the first ``next_steps`` playlist items, the open small-group flags and (unless ``checkins`` is
        False, e.g. for a copy shared beyond the student's teachers) the student's check-in answers."""
        found = self._student_report(student, course, recent, next_steps, checkins)
        audit.read(self._ctx, "report card", [student], "with check-ins" if checkins else "")
        return found

    def _student_report(self, student: str, course: str | None = None, recent: int = 10, next_steps: int = 3,
                        checkins: bool = True) -> StudentReport:
        if recent < 0 or next_steps < 0:
            raise StoreError("recent and next_steps must be 0 or more")

        def work(session: Session) -> StudentReport:
            cat = self._ctx.catalogue(session)
            facts = reports.student_facts(session, student)
            name, sections, states, skipped, responses = (facts.name, facts.sections, facts.states, facts.skipped,
                                                          facts.responses)
            flags = _open_flags(facts.flags, student, cat, states, name, self._levels)
            practised = {c for c, (_, n) in states.items() if n} | skipped
            courses, columns = _columns(session, cat, course, practised)
            flagged = {cat.competency_ids[f.competency] for f in flags}
            cells = tuple(self._cell(cat, cid, states.get(cid), cid in flagged, cid in skipped) for cid in columns)
            playlist = playlist_of(session, student, next_steps, self._levels, cat) if next_steps else []
            answers = tuple(goal_store.checkins(session, None, student, None, None)) if checkins else ()
            return StudentReport(student, name or student, sections, courses, _labels(cat, columns), cells,
                                 _progress(cat, responses), _goals(facts.goals, cat), _recent(cat, responses, recent),
                                 tuple(playlist), tuple(flags), self._levels.mastered, _now(), answers)

        return self._ctx.read(work)

    def _cell(self, cat: Catalogue, cid: int, state: tuple[float, int] | None, flagged: bool,
              skipped: bool) -> MasteryCell:
        p, attempts = state if state and state[1] else (cat.priors[cid], 0)
        return MasteryCell(cat.codes[cid], p, self._levels.level(p, attempts), attempts, flagged, skipped)

    # -- rendered ----------------------------------------------------------------------------------------
    def class_heatmap_png(self, section: str, path: str | Path | None = None, *, course: str | None = None,
                          sort: Sort = "name", with_evidence: bool = True, competency: str | None = None) -> bytes:
        """The class heatmap as PNG bytes, also written to ``path`` when given (``sort``: "name", or
        "mastery" for the fewest competencies mastered first). Readable at any course size: only the
        competencies with evidence in the section (unless not ``with_evidence``; ``competency``: codes starting
        with it), and at most the first image of :meth:`class_heatmap_pngs` (its title says "image 1 of N")."""
        (data,) = self.class_heatmap_pngs(section, course=course, sort=sort, with_evidence=with_evidence,
                                          competency=competency, images=1)
        if path is not None:
            Path(path).write_bytes(data)
        return data

    def class_heatmap_pngs(self, section: str, *, course: str | None = None, sort: Sort = "name",
                           with_evidence: bool = True, competency: str | None = None, per_image: int = 40,
                           images: int | None = None) -> list[bytes]:
        """The class heatmap as PNGs of at most ``per_image`` competency columns each, in scope-and-sequence
        order, the same students in every image (the first ``images`` only, when given). Competencies as in
        :meth:`class_mastery`, with evidence by default; while nobody in the section has any, one image of the
        start of the course (a grey picture of every competency would say nothing more)."""
        from adaptive.reports.heatmap import heatmap_pngs  # matplotlib is imported when a picture is drawn

        data = self._class_mastery(section, course, with_evidence, competency)
        _log_class(self._ctx, "class heatmap", data)
        if with_evidence and data.shown.endswith(NO_EVIDENCE):
            images = 1
        return heatmap_pngs(data, sort=sort, per_image=per_image, images=images)

    def student_report_html(self, student: str, path: str | Path | None = None, *,
                            course: str | None = None, checkins: bool = True) -> str:
        """The student's report card as one self-contained HTML page, also written to ``path`` when given
        (``checkins``: with the student's check-in answers, for their teachers)."""
        from adaptive.reports.report_card import report_card_html

        text = report_card_html(self._student_report(student, course=course, checkins=checkins))
        audit.read(self._ctx, "report card", [student], "page" + (", with check-ins" if checkins else ""))
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def student_progress_png(self, student: str, path: str | Path | None = None, *,
                             course: str | None = None) -> bytes:
        """The report card's progress chart alone, as PNG bytes (also written to ``path`` when given)."""
        from adaptive.reports.report_card import progress_png

        data = progress_png(self._student_report(student, course=course, recent=0, next_steps=0, checkins=False))
        audit.read(self._ctx, "progress chart", [student])
        if path is not None:
            Path(path).write_bytes(data)
        return data


def _log_class(ctx: Context, what: str, data: ClassMastery) -> None:
    """A class read lists every student it showed, one entry each, naming the section."""
    audit.read(ctx, what, [row.student for row in data.students], f"section {data.section}")


def _now() -> datetime:
    return datetime.now(UTC)


def _columns(session: Session, cat: Catalogue, course: str | None,
             practised: set[int]) -> tuple[tuple[str, ...], list[int]]:
    """(course codes, competency ids in order) a report shows (see the module doc)."""
    codes = reports.course_codes(session)
    if course is not None:
        by_code = {code: cid for cid, code in codes.items()}
        if course not in by_code:
            raise UnknownRecord(f"unknown course {course!r}")
        return (course,), list(cat.courses.get(by_code[course], ()))
    chosen = [c for c in codes if practised & set(cat.courses.get(c, ()))] or list(codes)
    columns = list(dict.fromkeys(cid for c in chosen for cid in cat.courses.get(c, ())))
    columns += sorted(practised - set(columns), key=lambda cid: cat.codes[cid])
    return tuple(codes[c] for c in chosen), columns


NO_EVIDENCE = "nobody has evidence yet"


def _narrowed(cat: Catalogue, columns: list[int], worked: set[int], with_evidence: bool,
              prefix: str | None) -> tuple[list[int], str]:
    """The columns kept (order unchanged) and which ones they are, in words ("" for all of them)."""
    said = []
    if prefix:
        columns = [cid for cid in columns if cat.codes[cid].startswith(prefix)]
        said.append(f"codes starting {prefix}")
    if with_evidence and worked & set(columns):
        columns = [cid for cid in columns if cid in worked]
        said.append("with evidence")
    elif with_evidence:
        said.append(NO_EVIDENCE)
    return columns, ", ".join(said)


def _labels(cat: Catalogue, ids: Iterable[int]) -> tuple[CompetencyLabel, ...]:
    return tuple(CompetencyLabel(cat.codes[cid], cat.names[cid]) for cid in ids)


def _item(cat: Catalogue, item_id: int | None, field: str) -> str | None:
    return getattr(cat.by_id[item_id], field) if item_id is not None and item_id in cat.by_id else None


def _progress(cat: Catalogue, responses: list[Answered]) -> tuple[ProgressPoint, ...]:
    """P(mastered) after each response, advancing each competency's belief exactly as recording does."""
    beliefs: dict[int, Belief] = {}
    points = []
    for at, _, cid, _, _, _, evidence, _ in responses:
        params = cat.params[cid]
        belief = beliefs[cid] = advance(params, beliefs.get(cid) or initial_belief(params), (evidence,))
        points.append(ProgressPoint(cat.codes[cid], from_db_time(at), belief.mastered))  # type: ignore[arg-type]
    return tuple(points)


def _recent(cat: Catalogue, responses: list[Answered], n: int) -> tuple[RecentWork, ...]:
    """The latest ``n`` responses, newest first, with their items' titles."""
    latest = responses[len(responses) - n:] if n else []
    return tuple(RecentWork(from_db_time(at), cat.codes[cid], _item(cat, item, "code"),  # type: ignore[arg-type]
                            _item(cat, item, "title"), correct, score, source)
                 for at, _, cid, item, correct, score, _, source in reversed(latest))


def _open_flags(rows: list[FlagRow], student: str, cat: Catalogue, states: dict[int, tuple[float, int]],
                name: str | None, levels: MasteryLevels) -> list[FlagInfo]:
    """The open flags, each with the mastery now beside its reason (a snapshot from when it was raised), and
    whether the student caught up since (:meth:`MasteryLevels.caught_up`)."""
    out = []
    for f in rows:
        p = states[f.competency_id][0] if f.competency_id in states else None
        out.append(FlagInfo(f.id, student, cat.codes[f.competency_id], f.rule_id, f.reason, f.evidence,
                            from_db_time(f.raised_at), name=name,  # type: ignore[arg-type]
                            p_mastered=p, caught_up=p is not None and levels.caught_up(p)))
    return out


def _goals(rows: list[GoalRow], cat: Catalogue) -> tuple[GoalInfo, ...]:
    return tuple(GoalInfo(row.id, row.description, cat.codes.get(row.competency_id) if row.competency_id else None,
                          from_db_time(row.deadline), from_db_time(row.created_at),  # type: ignore[arg-type]
                          from_db_time(row.closed_at)) for row in rows)
