"""Intents: slash commands always work; free text goes to a classifier trained on the shipped phrases, which
recognises phrasings it never saw."""

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bots.core.intents import COMMANDS, IntentClassifier, command, training_phrases

HELD_OUT = Path(__file__).with_name("heldout_phrases.yaml")


def test_held_out_phrasings_are_recognised(model, capsys):
    held_out = YAML(typ="safe").load(HELD_OUT.read_text())
    shipped = {p.lower() for ps in training_phrases().values() for p in ps}
    cases = [(p, name) for name, ps in held_out.items() for p in ps]
    assert not [p for p, _ in cases if p.lower() in shipped], "held-out phrases must not be training phrases"
    wrong = [(p, name, model.classify(p).name) for p, name in cases if model.classify(p).name != name]
    accuracy = 1 - len(wrong) / len(cases)
    with capsys.disabled():
        print(f"\nintent accuracy on {len(cases)} held-out phrasings: {accuracy:.2%}")
    assert accuracy >= 0.85, wrong


@pytest.mark.parametrize("text,name,args", [
    ("/goal fractions by Friday", "goal", "fractions by Friday"),
    ("/goals", "goals", ""),
    ("/progress ana", "progress", "ana"),
    ("/next", "next", ""),
    ("/checkin", "checkin", ""),
    ("/check-in", "checkin", ""),
    ("/stuck ratios", "stuck", "ratios"),
    ("/help", "help", ""),
    ("/groups", "groups", ""),
    ("/resolve 12", "resolve", "12"),
    ("/link U123 ana", "link", "U123 ana"),
    ("/dance", "unknown", ""),
])
def test_slash_commands_always_work(model, text, name, args):
    intent = model.classify(text)
    assert (intent.name, intent.args, intent.confidence) == (name, args, 1.0)


def test_plain_text_is_no_command():
    assert command("I'm stuck") is None


def test_gibberish_is_not_understood(model):
    assert model.classify("zxq vbnm").name == "unknown"


def test_training_is_deterministic(model):
    again = IntentClassifier()
    for text in ("how's it going with my goal", "next thing please", "stuck stuck stuck"):
        assert again.classify(text) == model.classify(text)


def test_every_intent_has_training_phrases():
    assert set(training_phrases()) <= set(COMMANDS)
