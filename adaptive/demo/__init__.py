"""``adaptive demo``: a sample course, a simulated class, parameters fitted with pyBKT, a mastery table."""

from adaptive.demo.course import sample_course
from adaptive.demo.run import DemoResult, run_demo
from adaptive.demo.simulation import SimulatedClass, simulate_class

__all__ = ["DemoResult", "SimulatedClass", "run_demo", "sample_course", "simulate_class"]
