"""The public xAPI and CASE samples in shared/data/interop (beside the clone), and a course to import into."""

from pathlib import Path

import pytest

INTEROP = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "interop"
ADL_BASE = "http://myschool.edu/xapi/cop-3223/final"
MOODLE_QUIZ = "http://www.example.org/mod/quiz/attempt.php?attempt=1&cmid=1"
MOODLE_QUESTION = "http://www.example.org/question/question.php?cmid=1&id=1"


def sample(*parts: str) -> Path:
    path = INTEROP.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"interop sample not found at {path} (shared/ beside the clone)")
    return path


@pytest.fixture
def adl_file() -> Path:
    return sample("xapi", "adl_xapi_dashboard_generated_final_test.json")


@pytest.fixture
def moodle_file() -> Path:
    return sample("xapi", "moodle_logstore_xapi_test_statements.json")


@pytest.fixture
def ccss_file() -> Path:
    return sample("case", "opensalt_ccss_math_cfpackage_2017.json")


@pytest.fixture
def rp_file() -> Path:
    return sample("case", "opensalt_what_standards_could_be_cfpackage.json")


@pytest.fixture
def cop3223(tutor):
    """The ADL sample's final test as content: questions q0-q49 (even: loops, odd: arrays) and the test
    itself, an assessment tagged to both."""
    from adaptive.domain import ContentItem

    tutor.add_competency("loops", "Loops")
    tutor.add_competency("arrays", "Arrays")
    questions = [
        ContentItem(f"final-q{n}", f"Final, question {n}", "practice", ("loops" if n % 2 == 0 else "arrays",),
                    f"{ADL_BASE}/q{n}")
        for n in range(50)
    ]  # fmt: skip
    tutor.add_content_items([*questions, ContentItem("final", "Final", "assessment", ("loops", "arrays"), ADL_BASE)])
    tutor.add_course("cop3223", "COP 3223", ["loops", "arrays"])
    return tutor
