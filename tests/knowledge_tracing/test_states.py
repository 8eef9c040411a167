"""The mastery-state arithmetic without a database: advancing in pieces equals one replay, late answers are
told apart, and the counts follow the answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from adaptive.domain.tracing import Answer, BKTParams, StoredState
from adaptive.knowledge_tracing.online import initial_belief, replay_belief
from adaptive.knowledge_tracing.states import advance_states, advanced, is_late, replayed, starting_beliefs

PARAMS = BKTParams.standard(prior=0.3, learn=0.2, guess=0.25, slip=0.1, forget=0.05)
T0 = datetime(2026, 9, 1, 9, 0)


def _answers(evidence: list[float], start: int = 0, source: str = "practice") -> list[Answer]:
    return [Answer(T0 + timedelta(minutes=start + i), f"k{start + i:03d}", e, source) for i, e in enumerate(evidence)]


def _fresh(student: int = 1, competency: int = 7) -> StoredState:
    p, p_not = starting_beliefs({competency: PARAMS}, [competency])[competency]
    return StoredState(student, competency, p, p_not, 0, 0, 0, None, None, 3, T0)


def test_advancing_in_pieces_equals_one_replay_to_the_bit() -> None:
    evidence = [1.0, 0.0, 0.0, 0.5, 1.0, 0.0, 0.0]
    history = _answers(evidence)
    state = _fresh()
    for piece in (history[:2], history[2:3], history[3:]):
        state = advanced(state, PARAMS, piece)
    whole = replayed(_fresh(), PARAMS, history)
    expected = replay_belief(PARAMS, evidence)
    assert (state.p_mastered, state.p_not_mastered) == (whole.p_mastered, whole.p_not_mastered) == expected
    assert (state.attempts, state.correct_count, state.wrong_streak) == (7, 3, 2)
    assert state.last_success_at == T0 + timedelta(minutes=4)
    assert (state.last_response_at, state.last_response_key) == (history[-1].at, history[-1].key)
    assert state.version == 3  # the store moves the version when it saves


def test_an_answer_at_or_before_the_last_one_applied_is_late() -> None:
    state = advanced(_fresh(), PARAMS, _answers([1.0, 1.0], start=5))
    assert is_late(state, _answers([0.0], start=3)[0])
    assert is_late(state, _answers([0.0], start=6)[0])  # the same time and key as the last one
    assert not is_late(state, _answers([0.0], start=7)[0])
    assert not is_late(_fresh(), _answers([0.0])[0])


def test_advance_states_moves_the_timely_and_leaves_the_late_for_a_replay() -> None:
    timely, late = (1, 7), (2, 7)
    states = {timely: advanced(_fresh(*timely), PARAMS, _answers([1.0], 0)),
              late: advanced(_fresh(*late), PARAMS, _answers([1.0], 10))}
    before = states[late]
    new = {timely: _answers([0.0, 1.0], 5)[::-1], late: _answers([0.0], 2)}  # out of order: sorted there
    assert advance_states(states, new, {7: PARAMS}) == [late]
    assert states[late] is before
    assert (states[timely].p_mastered, states[timely].p_not_mastered) == replay_belief(PARAMS, [1.0, 0.0, 1.0])


def test_a_replay_counts_pretest_answers_and_an_empty_history_is_the_prior() -> None:
    state = replayed(_fresh(), PARAMS, _answers([1.0, 0.0], source="pretest") + _answers([1.0], 5))
    assert (state.pretest_answers, state.attempts) == (2, 3)
    empty = replayed(state, PARAMS, [])
    assert (empty.p_mastered, empty.p_not_mastered) == initial_belief(PARAMS)
    assert (empty.attempts, empty.last_response_at, empty.last_response_key) == (0, None, None)
