"""Facade methods for the content library: courses and searching content."""

from __future__ import annotations

from adaptive.tutor_base import TutorBase


class ContentMethods(TutorBase):
    """Course and content-library operations of :class:`adaptive.Tutor`."""
