"""Facade methods for decisions: rulesets, playlists, flags and teachers' changes to them."""

from __future__ import annotations

from adaptive.tutor_base import TutorBase


class DecisionMethods(TutorBase):
    """Rules, decisions, playlists and small-group flags of :class:`adaptive.Tutor`."""
