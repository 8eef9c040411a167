"""The JSON Schema published in docs is generated from the models and never drifts from them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from adaptive.content import KINDS, curriculum_json_schema
from adaptive.content.curriculum import TOP_LEVEL
from adaptive.content.item_bank import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "docs" / "curriculum.schema.json"


def test_the_published_schema_is_the_generated_one():
    # If this fails: python -m adaptive.content.schema > docs/curriculum.schema.json
    assert json.loads(PUBLISHED.read_text(encoding="utf-8")) == curriculum_json_schema()


def test_the_schema_describes_the_top_level_fields_and_kinds():
    schema = curriculum_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert tuple(schema["properties"]) == TOP_LEVEL == ("course", "competencies", "items", "pretest", "item_banks")
    assert set(schema["required"]) == {"course", "competencies"}
    assert schema["additionalProperties"] is False
    kinds = schema["$defs"]["ItemSpec"]["properties"]["kind"]["enum"]
    assert set(kinds) == {*KINDS, "offline activity"}


def test_the_docs_reference_the_schema_and_describe_every_field_and_column():
    page = (ROOT / "docs" / "curriculum.md").read_text(encoding="utf-8")
    assert "curriculum.schema.json" in page
    documented = set(re.findall(r"^\| `([a-z_]+)`", page, flags=re.M))
    fields = {name for spec in curriculum_json_schema()["$defs"].values() for name in spec["properties"]}
    assert fields - {"url", "minutes", "difficulty", "grade_level"} <= documented | {"course"}
    assert set(COLUMNS) - {"url", "minutes", "difficulty", "grade_level"} <= documented


def test_the_docs_example_is_valid_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    page = (ROOT / "docs" / "curriculum.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```yaml\n(.*?)```", page, flags=re.S)
    jsonschema.validate(YAML(typ="safe").load(example), curriculum_json_schema())
