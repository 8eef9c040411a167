"""A simulated class: 28 students take the start-of-year pre-test, then work through the course, answering
as BKT says they would.

Each competency has hidden "true" parameters; each student a learning pace, and knows each competency at the
start with its prior. On the pre-test a student answers each question right with 1 - slip if they know the
competency, else with the guess rate. Competencies whose pre-test score reaches ``skip_at`` (the default
rules' bar) are skipped, as the tutor's rules will skip them; the others are practised until three right in
a row (or ten attempts), in scope-and-sequence order. Missing prerequisites slow learning. Everything is
seeded, and the idempotency keys and pre-test ids are fixed, so recording the same class again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from adaptive.content import Curriculum
from adaptive.domain import ResponseIn, Student
from adaptive.domain.tracing import BKTParams

FIRST_NAMES = (
    "Ava", "Mateo", "Zoe", "Liam", "Aaliyah", "Noah", "Sofia", "Elijah", "Mia", "Jayden", "Isabella", "Lucas",
    "Amara", "Ethan", "Chloe", "Diego", "Harper", "Malik", "Layla", "Owen", "Priya", "Caleb", "Nora", "Julian",
    "Yusuf", "Grace", "Hiro", "Camila",
)  # fmt: skip
LAST_INITIALS = "MTRKBGWLPSDHCNAFJOVEYIZQRBLT"
START = datetime(2026, 9, 8, 13, 30, tzinfo=UTC)


@dataclass(frozen=True)
class SimulatedPretest:
    """One student's start-of-year pre-test: pre-test item code -> answered right."""

    student: str
    pretest_id: str
    answers: dict[str, bool]
    at: datetime


@dataclass(frozen=True)
class SimulatedClass:
    students: tuple[Student, ...]
    pretests: tuple[SimulatedPretest, ...]
    responses: tuple[ResponseIn, ...]
    true_params: dict[str, BKTParams]


def simulate_class(course: Curriculum, n_students: int = 28, seed: int = 2026,
                   skip_at: float = 0.8) -> SimulatedClass:
    rng = np.random.default_rng(seed)
    true_params = {
        c.code: BKTParams.standard(
            prior=float(rng.uniform(0.05, 0.35)),
            learn=float(rng.uniform(0.12, 0.3)),
            guess=float(rng.uniform(0.1, 0.25)),
            slip=float(rng.uniform(0.05, 0.12)),
        )
        for c in course.competencies
    }
    practice = {
        c.code: [i.code for i in course.items if i.competencies[0] == c.code and i.kind != "lesson"]
        for c in course.competencies
    }
    questions = {c.code: [p.code for p in course.pretest_for(c.code)] for c in course.competencies}
    students, pretests, responses = [], [], []
    for s in range(n_students):
        code = f"stu-{s + 1:02d}"
        students.append(Student(code, f"{FIRST_NAMES[s % len(FIRST_NAMES)]} {LAST_INITIALS[s % 28]}."))
        pace = float(rng.lognormal(0.0, 0.45))
        # Slower students get through fewer competencies in the six weeks simulated.
        reach = int(np.clip(round(len(course.competencies) * min(1.0, 0.45 + 0.4 * pace)), 5, len(course.competencies)))
        knows = {c.code: bool(rng.random() < true_params[c.code].prior) for c in course.competencies}
        answers, skipped = {}, set()
        for competency in course.competencies:
            p = true_params[competency.code]
            right = [bool(rng.random() < (1 - p.slips[0] if knows[competency.code] else p.guesses[0]))
                     for _ in questions[competency.code]]
            answers.update(zip(questions[competency.code], right, strict=True))
            if right and sum(right) / len(right) >= skip_at:
                skipped.add(competency.code)
        pretests.append(SimulatedPretest(code, f"demo-{code}-start", answers, START))
        mastered: dict[str, bool] = {c: True for c in skipped}
        clock = START + timedelta(days=1, minutes=int(rng.integers(0, 20)))
        n = 0
        for competency in course.competencies[:reach]:
            if competency.code in skipped:
                continue
            p = true_params[competency.code]
            ready = all(mastered.get(q, False) for q in competency.prerequisites)
            learn = min(0.9, p.learns[0] * pace * (1.0 if ready else 0.4))
            known = knows[competency.code]
            streak, attempts = 0, 0
            while attempts < 10 and streak < 3:
                right = bool(rng.random() < (1 - p.slips[0] if known else p.guesses[0]))
                items = practice[competency.code]
                n += 1
                responses.append(
                    ResponseIn(
                        student=code,
                        competency=competency.code,
                        item=items[attempts % len(items)],
                        correct=int(right),
                        at=clock,
                        source="practice",
                        attempt=attempts + 1,
                        idempotency_key=f"demo-{code}-{n:04d}",
                    )
                )
                attempts += 1
                streak = streak + 1 if right else 0
                known = known or bool(rng.random() < learn)
                clock += timedelta(minutes=int(rng.integers(2, 9)))
                if clock.hour >= 15:  # class is over: the next school day
                    clock = (clock + timedelta(days=1 if clock.weekday() < 4 else 3)).replace(hour=13, minute=30)
            mastered[competency.code] = known
    return SimulatedClass(tuple(students), tuple(pretests), tuple(responses), true_params)
