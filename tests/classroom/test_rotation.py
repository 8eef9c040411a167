"""Rotation schedules: one scenario per model, the device limit at every block, and clear messages when
the constraints cannot be met."""

from __future__ import annotations

from collections import Counter

import pytest

from adaptive.classroom.rotations import MODELS
from adaptive.domain.classroom import ClassroomError, RotationSchedule
from tests.classroom.school import school_day

CLASS = [f"s{i:02d}" for i in range(12)]


@pytest.fixture
def period(school):
    """Twelve students: three stuck on division, two on decimals (two small groups), the others fluent in
    division. Four devices by default (a third of the class)."""
    school.enroll("6A", CLASS)
    for s in CLASS[:3]:
        school.stuck(s, "6.NS.2")
    for s in CLASS[3:5]:
        school.stuck(s, "6.NS.3")
    for s in CLASS[5:8]:
        school.fluent(s, "6.NS.2")
    return school.tutor


def _rotation(tutor, model, **options) -> RotationSchedule:
    return tutor.rotation("6A", model, date=school_day(), **options)


def _devices_never_exceeded(schedule: RotationSchedule) -> None:
    for minute in range(schedule.period_minutes):
        assert schedule.devices_in_use(minute) <= schedule.devices, minute


def _everyone_once_per_block(schedule: RotationSchedule, stations: set[str] | None = None) -> None:
    spans = sorted({(b.start, b.end) for b in schedule.blocks if stations is None or b.station in stations})
    for span in spans:
        here = [a.student for b in schedule.blocks if (b.start, b.end) == span
                and (stations is None or b.station in stations) for a in b.students]
        assert sorted(here) == CLASS, span


def _taught(schedule: RotationSchedule) -> dict[str, list[tuple[int, str]]]:
    """Student -> (start minute, competency) of each mini-lesson they get."""
    out: dict[str, list[tuple[int, str]]] = {}
    for b in schedule.blocks:
        for a in b.students:
            if a.activity.startswith("mini-lesson"):
                out.setdefault(a.student, []).append((b.start, a.competency))
    return out


def test_station_rotation_groups_visit_every_station_for_equal_time_and_the_teacher_takes_the_small_groups(period):
    schedule = _rotation(period, "station")
    assert schedule.stations == ("teacher-led", "online", "collaborative")
    assert [(b.start, b.end) for b in schedule.blocks[::3]] == [(0, 20), (20, 40), (40, 60)]
    assert sorted(schedule.rotation_groups) == ["A", "B", "C"]
    for name in schedule.rotation_groups:
        visited = Counter(b.station for b in schedule.blocks if b.group == name)
        assert visited == {"teacher-led": 1, "online": 1, "collaborative": 1}
    _everyone_once_per_block(schedule)
    _devices_never_exceeded(schedule)
    taught = _taught(schedule)
    assert {s: [c for _, c in v] for s, v in taught.items()} == {
        "s00": ["6.NS.2"], "s01": ["6.NS.2"], "s02": ["6.NS.2"], "s03": ["6.NS.3"], "s04": ["6.NS.3"]}
    online = [a for b in schedule.blocks if b.station == "online" for a in b.students]
    assert all(a.item is None or a.activity.startswith("online: " + a.item) for a in online)
    assert any(a.item for a in online)
    # What a student practises with the teacher or on paper is said by name, the code beside it.
    names = {c.code: c.name for c in period.competencies()}
    said = [a for b in schedule.blocks for a in b.students if a.item is None and a.competency is not None
            and not a.activity.startswith("mini-lesson")]
    assert said and all(a.activity.endswith(f" on {names[a.competency]} ({a.competency})") for a in said)


@pytest.mark.parametrize(("minutes", "block"), [(90, 30), (45, 15), (40, 13)])
def test_station_rotation_shares_the_period_out_over_the_stations(period, minutes, block):
    """No block length asked for: a 90-minute period gives three 30-minute blocks (not 20-minute ones with half
    an hour left over), and a 40-minute one three of 13 instead of refusing."""
    schedule = _rotation(period, "station", period_minutes=minutes)
    assert sorted({(b.start, b.end) for b in schedule.blocks}) == [(0, block), (block, 2 * block),
                                                                    (2 * block, 3 * block)]
    assert not any("free" in n for n in schedule.notes)


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize("minutes", [40, 60, 90])
def test_what_a_schedule_says_names_no_command_line_option(period, model, minutes):
    """The web page shows the same notes and refusals as the command line: they speak of shorter blocks and
    more devices, never of --block-minutes or --devices."""
    try:
        said = _rotation(period, model, period_minutes=minutes, max_size=1).notes
    except ClassroomError as refused:
        said = (str(refused),)
    assert not any("--" in line for line in said), said


def test_station_rotation_with_its_own_stations(period):
    schedule = _rotation(period, "station", stations=["teacher table", "chromebooks", "reading corner", "games"],
                         block_minutes=15, devices=3)
    assert schedule.stations == ("teacher table", "chromebooks", "reading corner", "games")
    assert len(schedule.rotation_groups) == 4
    assert {b.station for b in schedule.blocks if b.on_devices} == {"chromebooks"}
    _devices_never_exceeded(schedule)
    assert len(_taught(schedule)) == 5


def test_lab_rotation_groups_alternate_between_the_classroom_and_the_lab(period):
    schedule = _rotation(period, "lab", devices=6)
    assert sorted(schedule.rotation_groups) == ["A", "B"]
    assert [(b.start, b.end, b.group) for b in schedule.blocks if b.station == "computer lab"] == [
        (0, 30, "A"), (30, 60, "B")]
    _devices_never_exceeded(schedule)
    _everyone_once_per_block(schedule)
    lab_at = {(b.start, a.student) for b in schedule.blocks if b.station == "computer lab" for a in b.students}
    for student, lessons in _taught(schedule).items():
        assert all((start, student) not in lab_at for start, _ in lessons)  # taught while in the classroom
    assert len(_taught(schedule)) == 5


def test_individual_rotation_gives_each_student_their_own_stations(period):
    schedule = _rotation(period, "individual")
    _devices_never_exceeded(schedule)
    _everyone_once_per_block(schedule)
    taught = _taught(schedule)
    assert sorted(taught) == CLASS[:5]
    stations = {s: {b.station for b in schedule.blocks for a in b.students if a.student == s} for s in CLASS}
    assert any("teacher-led" not in visited for visited in stations.values())  # not everyone visits every station
    items = [(a.student, a.item) for b in schedule.blocks for a in b.students if a.item]
    assert len(items) == len(set(items))  # each item once a student


def test_flex_gives_each_flagged_student_a_teacher_check_in(period):
    flagged = {f.student for f in period.flags(section="6A")}
    schedule = _rotation(period, "flex")
    checkins = [b for b in schedule.blocks if b.station == "teacher check-in"]
    assert sorted(a.student for b in checkins for a in b.students) == sorted(flagged)
    assert all(b.end - b.start == 5 for b in checkins)
    assert len({b.start for b in checkins}) == len(checkins)  # one at a time
    _devices_never_exceeded(schedule)
    _everyone_once_per_block(schedule, {"online", "offline"})


def test_flipped_sends_new_content_home_and_keeps_class_time_for_practice_and_small_groups(period):
    schedule = _rotation(period, "flipped")
    assert schedule.homework and all(a.activity.startswith("homework: ") for a in schedule.homework)
    kinds = {a.activity.rsplit("(", 1)[-1].rstrip(")") for a in schedule.homework}
    assert kinds <= {"lesson", "video"}
    in_class = [a for b in schedule.blocks if b.station != "teacher-led" for a in b.students]
    assert not any(a.activity.endswith(("(lesson)", "(video)")) for a in in_class)
    assert sorted(_taught(schedule)) == CLASS[:5]
    _devices_never_exceeded(schedule)


def test_with_more_small_groups_than_teacher_led_blocks_the_groups_of_greatest_need_are_seen(period):
    groups = period.small_groups("6A", date=school_day(), max_size=1, preview=True).groups
    schedule = _rotation(period, "station", max_size=1)
    assert sorted(_taught(schedule)) == sorted(g.students[0] for g in groups[:3])
    (note,) = [n for n in schedule.notes if "not seen today" in n]
    assert note.startswith("2 of 5 small groups do not fit in the 3 teacher-led blocks of 60 minutes")
    assert all(f"group {g.number} on {g.competency_name} ({g.competency}) ({g.students[0]})" in note
               for g in groups[3:])
    assert sorted(a.student for b in schedule.blocks for a in b.students) == sorted(CLASS * 3)  # all rotate


def test_more_small_groups_than_teacher_led_blocks_is_refused_when_every_group_must_be_seen(period):
    with pytest.raises(ClassroomError, match=r"^5 small groups but only 3 teacher-led blocks in 60 minutes "
                                             r"\(20-minute blocks\): use shorter blocks or larger small groups$"):
        _rotation(period, "station", max_size=1, all_groups=True)
    assert len(_taught(_rotation(period, "station", max_size=1, block_minutes=10, all_groups=True))) == 5


def test_lab_rotation_with_a_third_of_the_class_on_computers_takes_three_groups(period):
    schedule = _rotation(period, "lab")
    assert schedule.devices == 4 and sorted(schedule.rotation_groups) == ["A", "B", "C"]
    assert [(b.start, b.group) for b in schedule.blocks if b.station == "computer lab"] == [
        (0, "A"), (20, "B"), (40, "C")]
    _devices_never_exceeded(schedule)


def test_too_few_devices_is_refused_with_what_to_change(period):
    with pytest.raises(ClassroomError, match=r"4 students would be on devices in minutes 0-20 but only 2 devices"):
        _rotation(period, "station", devices=2)
    with pytest.raises(ClassroomError, match=r"12 students and 2 lab computers need 6 lab blocks, but 60 minutes "
                                             r"make 3 blocks of 20 minutes: add devices or use shorter blocks$"):
        _rotation(period, "lab", devices=2, block_minutes=20)


def test_other_impossible_requests_are_refused(period):
    with pytest.raises(ClassroomError, match="3 stations need 3 blocks, but 60 minutes make 2 block"):
        _rotation(period, "station", block_minutes=30)
    with pytest.raises(ClassroomError, match="unknown rotation model 'rotating'; choose one of station, lab"):
        _rotation(period, "rotating")
    with pytest.raises(ClassroomError, match="no teacher-led station"):
        _rotation(period, "station", stations=["online", "games"], block_minutes=30)
    with pytest.raises(ClassroomError, match="stations are named for the station model only"):
        _rotation(period, "flex", stations=["online", "games"])
    with pytest.raises(ClassroomError, match="5 flagged students need 25 minutes"):
        _rotation(period, "flex", period_minutes=20, all_groups=True)


@pytest.mark.parametrize("model", list(MODELS))
def test_every_registered_model_builds_a_schedule_within_the_devices(period, model):
    schedule = _rotation(period, model)
    assert schedule.model == model and schedule.blocks
    assert {a.student for b in schedule.blocks for a in b.students} <= set(CLASS)
    _devices_never_exceeded(schedule)


def test_flex_with_too_little_time_checks_in_with_the_most_urgent_and_names_the_others_for_tomorrow(period):
    """Five flagged students and a 20-minute period: four 5-minute check-ins, the groups of greatest need
    first; the fifth student is named in a note for tomorrow instead of the schedule failing."""
    groups = period.small_groups("6A", date=school_day(), preview=True).groups
    urgent = [m.student for g in groups for m in g.members if m.flag_id is not None]
    schedule = _rotation(period, "flex", period_minutes=20)
    checkins = [a.student for b in schedule.blocks if b.station == "teacher check-in" for a in b.students]
    assert checkins == urgent[:4]
    (note,) = [n for n in schedule.notes if "tomorrow" in n]
    assert note.startswith("1 of 5 flagged students do not fit in the 4 5-minute check-ins of 20 minutes")
    last = groups[-1]
    assert note.endswith(
        f"check in with them first tomorrow: {urgent[4]} on {last.competency_name} ({last.competency}).")
    reason = next(a.activity for b in schedule.blocks if b.station == "teacher check-in" for a in b.students)
    assert "(when flagged, " in reason  # the flag's reason is a snapshot, labelled as such


def test_the_rotation_follows_the_issued_list_with_the_teachers_moves(period):
    """Ms Rivera issued the day's list, then moved s00 from the division group to the decimals group: the
    rotation's mini-lessons are the issued list's, s00 in the decimals lesson (a preview would put her back)."""
    issued = period.small_groups("6A", date=school_day())
    (decimals,) = [g.number for g in issued.groups if g.competency == "6.NS.3"]
    period.move_to_group("6A", "s00", decimals, date=school_day())
    taught = _taught(_rotation(period, "station"))
    assert {s: [c for _, c in v] for s, v in taught.items()} == {
        "s00": ["6.NS.3"], "s01": ["6.NS.2"], "s02": ["6.NS.2"], "s03": ["6.NS.3"], "s04": ["6.NS.3"]}
    preview = _taught(_rotation(period, "station", max_size=5))  # a preview asked for: the suggestion
    assert [c for _, c in preview["s00"]] == ["6.NS.2"]


def test_a_rotation_for_another_day_gives_playlists_that_face_that_days_groups(period):
    """Ms Rivera plans next Tuesday: she issues that day's list and moves s00 from the division group to the
    decimals group. In that day's rotation, s00's own work at the online station faces decimals with Ms
    Rivera's mini-lesson does, not the division flag she would work on without that day's list."""
    issued = period.small_groups("6A", date=school_day())
    (decimals,) = [g.number for g in issued.groups if g.competency == "6.NS.3"]
    period.move_to_group("6A", "s00", decimals, date=school_day())

    schedule = _rotation(period, "individual")

    online = [a for b in schedule.blocks if b.station == "online" for a in b.students if a.student == "s00"]
    assert [a.competency for a in online] == ["6.NS.3"]
    assert _taught(schedule)["s00"][0][1] == "6.NS.3"


def test_flex_on_an_issued_list_checks_in_with_the_same_flagged_students(period):
    """Once the day's list is issued (the morning message, the web), flex follows it and still checks in with
    every flagged student, as it does on the suggestion."""
    preview = _rotation(period, "flex")
    period.small_groups("6A", date=school_day())
    issued = _rotation(period, "flex")

    def checked(schedule: RotationSchedule) -> list[str]:
        return sorted(a.student for b in schedule.blocks if b.station == "teacher check-in" for a in b.students)

    assert checked(issued) == checked(preview) == sorted(f.student for f in period.flags(section="6A"))
