"""One response at a time: the update a recorded response applies to a student's mastery."""

import math

import numpy as np
import pytest

from adaptive.domain.evidence import EvidenceError
from adaptive.knowledge_tracing import (
    BKTParams,
    MasteryLevels,
    ParamsError,
    ScoreScale,
    evidence_of,
    initial_belief,
    initial_mastery,
    replay,
    replay_belief,
    trace,
    update,
    update_belief,
)

PARAMS = BKTParams.standard(prior=0.3, learn=0.1, guess=0.2, slip=0.1, forget=0.01)


def test_a_correct_answer_raises_mastery_and_a_wrong_one_lowers_it():
    start = initial_mastery(PARAMS)
    _, after_right = update(PARAMS, start, 1.0)
    _, after_wrong = update(PARAMS, start, 0.0)
    assert after_wrong < start < after_right


def test_p_correct_before_a_response_mixes_guess_and_slip():
    p_correct, _ = update(PARAMS, 0.5, 1.0)
    assert p_correct == pytest.approx(0.5 * 0.2 + 0.5 * 0.9)


def test_response_by_response_equals_a_replay_of_the_history():
    answers = [1, 0, 1, 1, 0.5, 1, 0, 1]
    state = initial_mastery(PARAMS)
    for answer in answers:
        state = update(PARAMS, state, answer)[1]
    assert state == pytest.approx(replay(PARAMS, answers), abs=1e-12)


def test_thousands_of_correct_answers_in_a_row_stay_exact():
    # The naive form divides by (1 - P(correct)), which is ~0 here; the joint-term form stays in [0, 1].
    sharp = BKTParams.standard(prior=0.5, learn=0.3, guess=0.0, slip=0.0)
    state = replay(sharp, [1.0] * 5000)
    assert 1 - 1e-12 < state <= 1.0
    values = trace(np.zeros(5000, dtype=int), np.ones(5000), [0.5], 0.3, 0.0, 0.01, 1e-9).state_predictions
    assert np.all((values >= 0) & (values <= 1))


def test_partial_credit_sits_between_wrong_and_right():
    scale = ScoreScale()
    start = initial_mastery(PARAMS)
    wrong, middle, right = (update(PARAMS, start, scale.evidence(s))[1] for s in (1, 3, 5))
    assert wrong < middle < right
    assert update(PARAMS, start, scale.evidence(5))[1] == update(PARAMS, start, 1.0)[1]


def test_a_custom_scale_maps_scores_to_evidence():
    four_point = ScoreScale({1: 0.0, 2: 0.4, 3: 0.8, 4: 1.0})
    assert evidence_of(None, 3, four_point) == 0.8
    with pytest.raises(EvidenceError, match="not on the scale"):
        evidence_of(None, 5, four_point)
    with pytest.raises(EvidenceError, match="exactly one"):
        evidence_of(1, 3, four_point)
    with pytest.raises(EvidenceError, match="0 or 1"):
        evidence_of(2, None, four_point)
    with pytest.raises(EvidenceError, match=r"\[0, 1\]"):
        ScoreScale({1: 1.5})


def test_no_observation_only_applies_learning():
    _, after = update(PARAMS, 0.4, math.nan)
    assert after == pytest.approx(0.1 + 0.4 * (1 - 0.01 - 0.1))


def test_mastery_levels_follow_configurable_cut_points():
    levels = MasteryLevels()
    assert levels.level(0.99, attempts=0) == "not started"
    assert [levels.level(p, 3) for p in (0.1, 0.5, 0.8, 0.97)] == ["attempted", "familiar", "proficient", "mastered"]
    strict = MasteryLevels(familiar=0.5, proficient=0.8, mastered=0.99)
    assert strict.level(0.97, 3) == "proficient"
    with pytest.raises(EvidenceError):
        MasteryLevels(familiar=0.8, proficient=0.7)


def test_parameters_must_be_probabilities_of_matching_lengths():
    with pytest.raises(ParamsError, match="probabilities"):
        BKTParams.standard(prior=1.2, learn=0.1, guess=0.2, slip=0.1)
    with pytest.raises(ParamsError, match="same length"):
        BKTParams(0.2, (0.1, 0.2), (0.2,), (0.1,), (0.0,))
    round_trip = BKTParams.from_dict(PARAMS.to_dict())
    assert round_trip == PARAMS


def test_a_long_run_of_right_answers_does_not_make_mastery_permanent():
    # After 60 right answers P(mastered) rounds to 1.0; the belief keeps P(not mastered) apart, so the
    # wrong answers that follow still count, exactly as in pyBKT.
    params = BKTParams.standard(prior=0.6, learn=0.01, guess=0.4, slip=0.2)
    history = [1.0] * 60 + [0.0] * 40
    belief = initial_belief(params)
    for answer in history[:60]:
        belief = update_belief(params, belief, answer)[1]
    assert belief.mastered == 1.0 and belief.not_mastered > 0
    for answer in history[60:]:
        belief = update_belief(params, belief, answer)[1]
    assert belief.mastered < 0.5
    assert belief == pytest.approx(replay_belief(params, history), abs=1e-12)
