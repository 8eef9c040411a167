"""Where the two public OneRoster samples are: beside the clone, in shared/data/interop/oneroster."""

from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "interop" / "oneroster"
V11 = SAMPLES / "v1p1_edfi_lms_toolkit"
V12 = SAMPLES / "v1p2_moodle_enrol_oneroster_fixture"
