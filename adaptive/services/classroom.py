"""The classroom: the day's small-group list, peer tutoring pairs, rotation schedules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from adaptive.classroom import groups as group_engine
from adaptive.classroom import peers as peer_engine
from adaptive.classroom import rotations as rotation_engine
from adaptive.domain.catalogue import Catalogue
from adaptive.domain.classroom import (
    GROUPS_A_DAY,
    ClassroomError,
    GroupMember,
    Item,
    Need,
    PeerPlan,
    RotationSchedule,
    SmallGroup,
    SmallGroupList,
)
from adaptive.domain.evidence import MasteryLevels
from adaptive.services import audit
from adaptive.services.context import Context
from adaptive.services.decisions import playlist_of
from adaptive.store import classroom as store
from adaptive.store import issued_groups as issued
from adaptive.store.lookups import require
from adaptive.store.models import Student
from adaptive.store.state import utcnow


class ClassroomService:
    """Small groups, peer tutoring and rotation schedules of :class:`adaptive.Tutor`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    @property
    def _levels(self) -> MasteryLevels:
        return self._ctx.settings.levels

    # -- small groups --------------------------------------------------------------------------------------
    def small_groups(self, section: str, *, date: dt.date | None = None, max_size: int = 5,
                     preview: bool = False, max_groups: int | None = None) -> SmallGroupList:
        """The section's "pull for small group" list for a school day (today, UTC, by default): students
        with flags open as of that day and at-risk students, grouped by the competency they most need,
        largest need first, at most ``max_size`` a group. With ``max_groups`` (what one teacher can take, e.g.
        3), the other groups wait in the list's ``later``: not counted as pulled, so they come first tomorrow.
        The list is issued (stored as the day's list, replacing one issued before for the same day) unless
        ``preview``. Unknown section: UnknownRecord."""
        (found,) = self._groups([section], date, max_size, preview, max_groups).values()  # keyed by its code
        _log_groups(self._ctx, [found])
        return found

    def small_groups_all(self, *, date: dt.date | None = None, max_size: int = 5,
                         preview: bool = False, max_groups: int | None = None) -> dict[str, SmallGroupList]:
        """Every section's list for the day (see :meth:`small_groups`), read in one pass over the data (a few
        set-based queries; issued lists are written with COPY on PostgreSQL). The process's garbage collector
        is left as the host set it."""
        found = self._groups(None, date, max_size, preview, max_groups)
        _log_groups(self._ctx, found.values())
        return found

    def _groups(self, sections: Sequence[str] | None, date: dt.date | None, max_size: int,
                preview: bool, max_groups: int | None = None) -> dict[str, SmallGroupList]:
        day = date or utcnow().date()
        if max_size < 1:
            raise ClassroomError(f"max size must be 1 or more, not {max_size}")
        if max_groups is not None and max_groups < 1:
            raise ClassroomError(f"max groups must be 1 or more, not {max_groups}")

        def work(session: Session) -> dict[str, SmallGroupList]:
            people = store.People()
            lists = self._build_groups(session, sections, day, max_size, issued=not preview,
                                       max_groups=max_groups, people=people)
            if not preview:
                cat = self._ctx.catalogue(session)
                issued.issue(session, store.section_ids(session, lists), list(lists.values()), cat, people.ids)
            return lists

        return self._ctx.read(work) if preview else self._ctx.write(work)

    def _build_groups(self, session: Session, sections: Sequence[str] | None, day: dt.date, max_size: int,
                      issued: bool, max_groups: int | None = None,
                      people: store.People | None = None) -> dict[str, SmallGroupList]:
        cat = self._ctx.catalogue(session)
        ids = store.section_ids(session, sections)
        narrowed = None if sections is None else ids
        order = store.sequence(cat)
        people = people if people is not None else store.People()
        pulls = store.last_pulls(session, narrowed, day)
        waits = store.waited(session, narrowed, day, pulls) if max_groups is not None else {}
        names = _names(cat)
        lessons = group_engine.mini_lessons(store.lessons(cat))

        def build(code: str, needs: dict[str, list[Need]], vectors: dict[str, list[float]]) -> SmallGroupList:
            return group_engine.build(code, day, needs, order, names=names, lessons=lessons, pulls=pulls.get(code, {}),
                                      vectors=vectors, max_size=max_size, issued=issued, student_names=people.names,
                                      max_groups=max_groups, waited=waits.get(code, set()))

        # Each list is built as soon as its section's needs are known; only sections with students to cluster
        # wait, for the one query of those students' mastery vectors.
        lists: dict[str, SmallGroupList] = {}
        clustering: dict[str, dict[str, list[Need]]] = {}
        for code, needs in self._needs(session, ids, day, cat, order, every=sections is None, people=people):
            if len(group_engine.unshared(needs)) > 1:
                clustering[code] = needs
            else:
                lists[code] = build(code, needs, {})
        lonely = {s for needs in clustering.values() for s in group_engine.unshared(needs)}
        vectors = store.vectors(session, lonely, order, cat)
        for code, needs in clustering.items():
            lists[code] = build(code, needs, vectors)
        return {code: lists[code] for code in ids}

    def _needs(self, session: Session, ids: Mapping[str, int], day: dt.date, cat: Catalogue, order: list[str], *,
               every: bool = False, people: store.People | None = None) -> Iterator[tuple[str, dict[str, list[Need]]]]:
        """Section by section (``every``: ``ids`` are every section, read without naming them), the listed
        students' unmet needs, most urgent first (see groups.needs_by_student). Each section's needs are made
        when it comes: a district's never all live at once (fewer objects for the host's cycle collector to
        walk)."""
        levels = self._levels
        found = store.needs(session, None if every else ids, day, levels.familiar, cat, levels.mastered,
                            levels.proficient, people)
        before = group_engine.ancestry(store.prerequisites(cat))
        names = _names(cat)
        for code in ids:
            yield code, group_engine.needs_by_student(found.pop(code, ()), order, below=levels.proficient,
                                                      prerequisites=before, names=names)

    def issued_groups(self, section: str, *, date: dt.date | None = None) -> SmallGroupList | None:
        """The section's small-group list as issued for a school day (today, UTC, by default), with the moves
        a teacher made since, each student's mastery now of their group's competency; None when no list was
        issued that day. Unknown section: UnknownRecord."""
        day = date or utcnow().date()
        lst = self._ctx.read(lambda session: _issued(session, section, day, self._ctx.catalogue(session)))
        if lst is not None:
            _log_groups(self._ctx, [lst])
        return lst

    def day_list(self, section: str, *, date: dt.date | None = None) -> SmallGroupList:
        """The section's list for a school day (today, UTC, by default) as the teacher acts on it: as issued,
        with the moves made since, once it is; else a preview of what issuing would give (GROUPS_A_DAY groups,
        the others waiting). The web's morning page and the chat show this one, so they never disagree."""
        return self.issued_groups(section, date=date) or self.small_groups(section, date=date, preview=True,
                                                                           max_groups=GROUPS_A_DAY)

    def move_to_group(self, section: str, student: str, group: int, *, date: dt.date | None = None) -> None:
        """Move a student to another group (its number on the list) of the section's list issued for a school
        day (today, UTC, by default): the teacher's word over the suggestion. ClassroomError when no list was
        issued that day, the student is on none of its groups, or there is no such group; UnknownRecord for an
        unknown section or student."""
        day = date or utcnow().date()

        def work(session: Session) -> None:
            ((_, sid),) = store.section_ids(session, [section]).items()
            issued.move(session, sid, day, require(session, Student, student, "student"), group)

        self._ctx.write(work)

    # -- peers -----------------------------------------------------------------------------------------------
    def peer_pairs(self, section: str, *, date: dt.date | None = None, max_tutees: int = 2) -> PeerPlan:
        """Peer tutoring for a school day: students who have mastered a competency paired with classmates of
        the same section who are flagged or at risk on it, each tutor with at most ``max_tutees`` tutees,
        tutoring spread as evenly as the class allows. Read-only."""
        day = date or utcnow().date()

        def work(session: Session) -> PeerPlan:
            cat = self._ctx.catalogue(session)
            ((code, sid),) = store.section_ids(session, [section]).items()
            order = store.sequence(cat)
            ((_, needs),) = self._needs(session, {code: sid}, day, cat, order)
            masters = store.mastered(session, sid, cat, self._levels.mastered)
            roster = store.roster(session, sid)
            return peer_engine.pair(code, roster, needs, masters, order, max_tutees=max_tutees,
                                    names=store.names(session, roster))

        plan = self._ctx.read(work)
        shown = [s for p in plan.pairs for s in (p.tutor, p.tutee)] + [s for s, _ in plan.unpaired]
        audit.read(self._ctx, "peer pairs", shown, f"section {plan.section}")
        return plan

    # -- rotations --------------------------------------------------------------------------------------------
    def rotation_models(self) -> dict[str, str]:
        """The rotation models :meth:`rotation` can follow (station first), each with what it is in a sentence:
        what an app offers to choose from."""
        return {name: model.description for name, model in rotation_engine.MODELS.items()}

    def rotation(self, section: str, model: str, *, date: dt.date | None = None, period_minutes: int = 60,
                 block_minutes: int | None = None, stations: Sequence[str] | None = None,
                 devices: int | None = None, max_size: int | None = None,
                 all_groups: bool = False) -> RotationSchedule:
        """The period's schedule for a rotation model (station, lab, individual, flex, flipped) built from the
        day's small groups, each student's playlist and the devices available (a third of the section by
        default). The small groups are the day's list as issued, with the teacher's moves, when one was issued
        and ``max_size`` is not given; else a preview of the list with groups of at most ``max_size`` (5 by
        default; nothing is issued). Raises ClassroomError when it cannot be done. When the period has fewer
        teacher blocks than small groups, the groups of greatest need are seen and the schedule's notes name
        the others; ``all_groups`` refuses such a schedule instead."""
        day = date or utcnow().date()
        size = 5 if max_size is None else max_size
        if model not in rotation_engine.MODELS:
            raise ClassroomError(
                f"unknown rotation model {model!r}; choose one of {', '.join(rotation_engine.MODELS)}")

        def work(session: Session) -> tuple[list[str], SmallGroupList, dict[str, list[Item]], dict[str, str],
                                            dict[str, str]]:
            cat = self._ctx.catalogue(session)
            ((code, sid),) = store.section_ids(session, [section]).items()
            students = store.roster(session, sid)
            taken = _issued(session, code, day, cat) if max_size is None else None
            if taken is not None:  # the list the teacher acts on, moves included: today's groups, then the waiting
                lst = replace(taken, groups=(*taken.groups, *taken.later), later=())
            else:
                lst = self._build_groups(session, [code], day, size, issued=False)[code]
            # Each playlist faces the group its student is in on this schedule's list (for its day, as issued
            # or previewed), not today's issued list.
            teacher = store.section_teacher(session, sid)
            grouped: dict[str, list[tuple[int, str | None, bool]]] = {}
            split = taken if taken is not None else lst  # today's groups, then those waiting for tomorrow
            for waits, groups in ((False, split.groups), (True, split.later)):
                for g in groups:
                    for member in g.members:
                        grouped.setdefault(member.student, []).append(
                            (cat.competency_ids[g.competency], teacher, waits))
            playlists = {s: [Item(i.item, i.title, i.kind, i.competency)
                             for i in playlist_of(session, s, rotation_engine.PLAYLIST_LENGTH, self._levels, cat,
                                                  grouped=grouped.get(s, []))]
                         for s in students}
            return students, lst, playlists, store.names(session, students), _names(cat)

        students, lst, playlists, names, competency_names = self._ctx.read(work)
        audit.read(self._ctx, "rotation", students, f"section {lst.section}, model {model}")

        def regroup(n: int) -> SmallGroupList:  # when fewer groups fit than the list has: the day's list for n
            return self._ctx.read(lambda s: self._build_groups(s, [lst.section], day, size, issued=False,
                                                               max_groups=n)[lst.section])

        return rotation_engine.build(lst.section, model, students, lst, playlists, period_minutes=period_minutes,
                                     block_minutes=block_minutes, stations=stations, devices=devices,
                                     all_groups=all_groups, names=names, regroup=None if lst.issued else regroup,
                                     competency_names=competency_names)


def _names(cat: Catalogue) -> dict[str, str]:
    """Each competency's name by its code."""
    return {cat.codes[c]: n for c, n in cat.names.items()}


def _issued(session: Session, section: str, day: dt.date, cat: Catalogue) -> SmallGroupList | None:
    """The section's list as issued for ``day``, with the teacher's moves since (None: none issued)."""
    ((code, sid),) = store.section_ids(session, [section]).items()
    found = issued.groups(session, sid, day)
    if not found:
        return None
    people: dict[int, list[GroupMember]] = {g.id: [] for g in found}
    competency = {g.id: g.competency for g in found}
    recent = group_engine.recently_pulled(store.last_pulls(session, {code: sid}, day).get(code, {}), day)
    for mb in issued.members(session, list(people)):
        p = mb.p_mastered if mb.p_mastered is not None else cat.priors.get(
            cat.competency_ids[competency[mb.group_id]], 0.0)
        people[mb.group_id].append(GroupMember(mb.student, competency[mb.group_id], p, mb.rule_id,
                                               mb.reason, mb.evidence or "{}", mb.flag_id, recent.get(mb.student),
                                               mb.name or mb.student, mb.flagged_on, mb.also, mb.seated))
    names = _names(cat)
    lessons = group_engine.mini_lessons(store.lessons(cat))
    made = [(g.waiting, SmallGroup(g.position, g.competency, names.get(g.competency, g.competency), g.method,
                                   g.need, tuple(people[g.id]), lessons.get(g.competency, ())))
            for g in found]
    return SmallGroupList(code, day, max(len(g.members) for _, g in made), issued=True,
                          groups=tuple(g for waiting, g in made if not waiting),
                          later=tuple(g for waiting, g in made if waiting))


def _log_groups(ctx: Context, lists: Iterable[SmallGroupList]) -> None:
    """Each student on a list (pulled, or waiting for a later day) is read: one entry each."""
    audit.read_grouped(ctx, "small groups", {
        f"section {lst.section}, {lst.date.isoformat()}": [m.student for g in (*lst.groups, *lst.later)
                                                            for m in g.members] for lst in lists})
