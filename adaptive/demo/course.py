"""The sample course that ships with the package, read with the curriculum file reader."""

from __future__ import annotations

from importlib import resources

from adaptive.content import Curriculum, parse_curriculum


def sample_course() -> Curriculum:
    """The Grade 6 math course (``grade6_math.yaml``)."""
    text = resources.files("adaptive.demo").joinpath("grade6_math.yaml").read_bytes()
    return parse_curriculum(text, name="grade6_math.yaml")
