"""A simulated class: 28 students work through the course, answering as BKT says they would.

Each competency has hidden "true" parameters; each student a learning pace. A student starts a
competency with a pre-test question, then practises until three right in a row (or ten attempts), and
moves on in scope-and-sequence order. Missing prerequisites slow learning. Everything is seeded, and the
idempotency keys are fixed, so recording the same class again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from adaptive.content import Curriculum
from adaptive.knowledge_tracing.params import BKTParams
from adaptive.store.records import ResponseIn, Student

FIRST_NAMES = (
    "Ava", "Mateo", "Zoe", "Liam", "Aaliyah", "Noah", "Sofia", "Elijah", "Mia", "Jayden", "Isabella", "Lucas",
    "Amara", "Ethan", "Chloe", "Diego", "Harper", "Malik", "Layla", "Owen", "Priya", "Caleb", "Nora", "Julian",
    "Yusuf", "Grace", "Hiro", "Camila",
)  # fmt: skip
LAST_INITIALS = "MTRKBGWLPSDHCNAFJOVEYIZQRBLT"
START = datetime(2026, 9, 8, 13, 30, tzinfo=UTC)


@dataclass(frozen=True)
class SimulatedClass:
    students: tuple[Student, ...]
    responses: tuple[ResponseIn, ...]
    true_params: dict[str, BKTParams]


def simulate_class(course: Curriculum, n_students: int = 28, seed: int = 2026) -> SimulatedClass:
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
    pretest = {
        c.code: next(i.code for i in course.items if i.competencies[0] == c.code and i.kind == "assessment")
        if any(i.competencies[0] == c.code and i.kind == "assessment" for i in course.items)
        else practice[c.code][0]
        for c in course.competencies
    }
    students, responses = [], []
    for s in range(n_students):
        code = f"stu-{s + 1:02d}"
        students.append(Student(code, f"{FIRST_NAMES[s % len(FIRST_NAMES)]} {LAST_INITIALS[s % 28]}."))
        pace = float(rng.lognormal(0.0, 0.45))
        # Slower students get through fewer competencies in the six weeks simulated.
        reach = int(np.clip(round(len(course.competencies) * min(1.0, 0.45 + 0.4 * pace)), 5, len(course.competencies)))
        mastered: dict[str, bool] = {}
        clock = START + timedelta(minutes=int(rng.integers(0, 20)))
        n = 0
        for competency in course.competencies[:reach]:
            p = true_params[competency.code]
            ready = all(mastered.get(q, False) for q in competency.prerequisites)
            learn = min(0.9, p.learns[0] * pace * (1.0 if ready else 0.4))
            knows = bool(rng.random() < p.prior)
            streak, attempts = 0, 0
            while attempts < 10 and streak < 3:
                right = bool(rng.random() < (1 - p.slips[0] if knows else p.guesses[0]))
                first = attempts == 0
                items = practice[competency.code]
                item = pretest[competency.code] if first else items[attempts % len(items)]
                n += 1
                responses.append(
                    ResponseIn(
                        student=code,
                        competency=competency.code,
                        item=item,
                        correct=int(right),
                        at=clock,
                        source="pretest" if first else "practice",
                        attempt=attempts + 1,
                        idempotency_key=f"demo-{code}-{n:04d}",
                    )
                )
                attempts += 1
                streak = streak + 1 if right else 0
                knows = knows or bool(rng.random() < learn)
                clock += timedelta(minutes=int(rng.integers(2, 9)))
                if clock.hour >= 15:  # class is over: the next school day
                    clock = (clock + timedelta(days=1 if clock.weekday() < 4 else 3)).replace(hour=13, minute=30)
            mastered[competency.code] = knows
    return SimulatedClass(tuple(students), tuple(responses), true_params)
