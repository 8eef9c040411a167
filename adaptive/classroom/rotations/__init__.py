"""Rotation schedules for the blended-learning rotation models, built from the day's small groups, each
student's playlist and the devices the class has: one module per model, found here at import.

Each public module of this package declares ``MODEL`` (a :class:`RotationModel`: name, description, where
it is listed, how it builds a schedule). :data:`MODELS` (name -> model, in listing order) is what the Tutor
checks a model against, what ``adaptive rotation --help`` lists and what the docs test compares with
docs/small-groups-and-rotations.md. Adding a rotation model is adding a module here (and its bullet and
example in that doc, which the test checks).

Devices are counted at every block: never more students on devices than ``devices`` (a third of the
section by default). What cannot be done raises :class:`ClassroomError` saying what to change.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from adaptive.classroom.rotations._plan import (
    DEFAULT_BLOCK_MINUTES,
    DEFAULT_STATIONS,
    PLAYLIST_LENGTH,
    Plan,
    Playlists,
    RotationModel,
    station_kind,
)
from adaptive.domain.classroom import ClassroomError, Item, RotationSchedule, SmallGroupList
from adaptive.registry import discover

MODELS: Mapping[str, RotationModel] = discover(__name__, __path__, "MODEL", RotationModel, "rotation models")


def unknown_model(model: str) -> ClassroomError:
    return ClassroomError(f"unknown rotation model {model!r}; choose one of {', '.join(MODELS)}")


def build(section: str, model: str, students: Sequence[str], groups: SmallGroupList,
          playlists: Mapping[str, Sequence[Item]], *, period_minutes: int = 60, block_minutes: int | None = None,
          stations: Sequence[str] | None = None, devices: int | None = None,
          all_groups: bool = False, names: Mapping[str, str] | None = None,
          regroup: Callable[[int], SmallGroupList] | None = None,
          competency_names: Mapping[str, str] | None = None) -> RotationSchedule:
    """The period's schedule for ``model`` (one of :data:`MODELS`). When the teacher cannot see every small
    group in the period, the groups of greatest need are seen and the schedule's notes name the others, or,
    with ``all_groups``, ClassroomError says what to change. ``regroup(n)``: the day's list for at most ``n``
    groups a day (its waiting students seated in today's groups where they fit, as the morning list does),
    whose groups and later ones are then taken instead of cutting ``groups`` after the first ``n``.
    ``names``: the students' names on the roster; ``competency_names``: the competencies' names by code (what
    a student practises is said by name)."""
    chosen_model = MODELS.get(model)
    if chosen_model is None:
        raise unknown_model(model)
    roster = sorted(set(students))
    count = math.ceil(len(roster) / 3) if devices is None else devices
    if stations is not None and not chosen_model.takes_stations:
        raise ClassroomError(f"stations are named for the {_station_models()} model only")
    chosen = tuple(stations) if stations is not None else DEFAULT_STATIONS
    block = block_minutes if block_minutes is not None else chosen_model.block_minutes(period_minutes,
                                                                                        len(roster), count, len(chosen))
    if period_minutes < 1 or block < 1:
        raise ClassroomError("the period and its blocks need 1 minute or more")
    if block > period_minutes:
        raise ClassroomError(f"{block}-minute blocks do not fit in a {period_minutes}-minute period: "
                             f"use shorter blocks")
    if not roster:
        raise ClassroomError(f"section {section!r} has no students to schedule")
    if count < 0:
        raise ClassroomError(f"devices must be 0 or more, not {count}")
    plan = Plan(section, model, roster, groups, Playlists(playlists), period_minutes, block, chosen, count,
                all_groups, names, regroup, competency_names)
    return chosen_model.schedule(plan)


def _station_models() -> str:
    return " and ".join(name for name, m in MODELS.items() if m.takes_stations)


__all__ = ["DEFAULT_BLOCK_MINUTES", "DEFAULT_STATIONS", "MODELS", "PLAYLIST_LENGTH", "Plan", "RotationModel",
           "build", "station_kind", "unknown_model"]
