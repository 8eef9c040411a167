"""Which competency a student means: a code written out ("6.NS.1") or words of its name ("fractions")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from adaptive.domain import Competency

# Words that name no competency: goal talk, and filler words of competency names.
_FILLER_WORDS = """a an and at be better by do for get go good i in is it learn learning make master
mastering me my of on or please set so the this to understand want week with would like goal help stuck
can't cant don't dont get got i'm im on up what how numbers number"""
_FILLER = frozenset(_FILLER_WORDS.split())


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _words(text: str) -> set[str]:
    bare = (w.lower().strip("'\".,!?;:()") for w in re.split(r"[\s/]+", text))
    return {_stem(w) for w in bare if w and w not in _FILLER} - _FILLER


def match(text: str, competencies: Sequence[Competency]) -> list[Competency]:
    """The competencies ``text`` names: the one whose code it contains; else those sharing the most name
    words with it (several when it is ambiguous, none when it names nothing)."""
    lowered = text.lower()
    by_code = [c for c in competencies if re.search(rf"(?<![\w.]){re.escape(c.code.lower())}(?![\w.])", lowered)]
    if by_code:
        return by_code[:1] if len(by_code) == 1 else by_code
    said = _words(text)
    scores = [(len(said & _words(c.name)), c) for c in competencies]
    best = max((s for s, _ in scores), default=0)
    return [c for s, c in scores if s == best] if best else []


def choice(answer: str, choices: Sequence[Competency]) -> Competency | None:
    """A follow-up answer: the number of a listed choice, or words naming exactly one of them."""
    bare = answer.strip().rstrip(".")
    if bare.isdigit() and 1 <= int(bare) <= len(choices):
        return choices[int(bare) - 1]
    found = match(answer, choices)
    return found[0] if len(found) == 1 else None


def named(code: str | None, competencies: Sequence[Competency]) -> str:
    """A competency as a message names it, its name first: "Unit rates (6.RP.2)" (the code alone when it is
    not among ``competencies``)."""
    name = next((c.name for c in competencies if c.code == code), None)
    return f"{name} ({code})" if name else str(code)
