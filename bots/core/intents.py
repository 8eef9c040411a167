"""Which intent a message has: slash-style commands always, else a small scikit-learn text classifier (TF-IDF
over words and character n-grams, logistic regression) trained on the phrases shipped in ``phrases.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

COMMANDS = ("goal", "goals", "progress", "next", "checkin", "stuck", "help", "groups", "resolve", "link", "home",
            "checkins", "unlink", "thanks", "bye", "teacher", "move")
ALIASES = {"check-in": "checkin", "check-ins": "checkins", "start": "help", "menu": "help", "group": "groups",
           "flag": "stuck"}
UNSURE = 0.30  # below this probability the message is not understood


@dataclass(frozen=True)
class Intent:
    """What a message asks for: ``name`` (one of :data:`COMMANDS`, or "unknown"), the rest of the text as
    ``args`` for a command, and how sure the classifier is (1.0 for commands)."""

    name: str
    args: str
    confidence: float = 1.0


def command(text: str) -> Intent | None:
    """``/name args`` as an intent (unknown names included, as "unknown"); None when ``text`` is no command."""
    found = re.match(r"\s*/([\w-]+)\s*(.*)", text, flags=re.S)
    if found is None:
        return None
    name = ALIASES.get(found[1].lower(), found[1].lower())
    return Intent(name if name in COMMANDS else "unknown", found[2].strip())


def training_phrases() -> dict[str, list[str]]:
    text = resources.files("bots.core").joinpath("phrases.yaml").read_text(encoding="utf-8")
    return {str(k): [str(p) for p in v] for k, v in YAML(typ="safe").load(text).items()}


class IntentClassifier:
    """Trained on first use and kept; the same phrases always give the same model."""

    def __init__(self, phrases: dict[str, list[str]] | None = None) -> None:
        self._phrases = phrases
        self._model: Any = None

    def _fit(self) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        phrases = self._phrases or training_phrases()
        texts = [p for ps in phrases.values() for p in ps]
        labels = [name for name, ps in phrases.items() for _ in ps]
        features = make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                              TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True))
        model = make_pipeline(features, LogisticRegression(C=20, max_iter=5000))
        model.fit([_normal(t) for t in texts], labels)
        return model

    def classify(self, text: str) -> Intent:
        """A slash command as written, else the most likely intent (``unknown`` when unsure)."""
        found = command(text)
        if found is not None:
            return found
        if self._model is None:
            self._model = self._fit()
        probabilities = self._model.predict_proba([_normal(text)])[0]
        best = int(probabilities.argmax())
        confidence = float(probabilities[best])
        name = str(self._model.classes_[best]) if confidence >= UNSURE else "unknown"
        return Intent(name, text.strip(), confidence)


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())
