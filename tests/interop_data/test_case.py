"""Importing CASE frameworks: the full Common Core math package, the small multi-association sample,
CASE 1.0 field names, ordering by prerequisites, and broken packages."""

from __future__ import annotations

import json

import pytest

from adaptive.interop.case import CaseError

CONTENT = "CCSS.Math.Content."


def by_code(tutor) -> dict:
    return {c.code: c for c in tutor.competencies()}


def test_the_common_core_math_framework_becomes_664_competencies_three_levels_deep(tutor, ccss_file):
    report = tutor.import_case(ccss_file, course_code="CCSS-MATH")
    # 393 standards + 147 clusters + 124 components; the 33 domains and 6 categories have no code.
    assert (report.competencies, report.grouping_items, report.top_level, report.depth) == (664, 39, 155, 3)
    assert (report.prerequisites, report.associations, report.ignored) == (0, {"isChildOf": 703}, {})
    comps = by_code(tutor)
    assert len(comps) == 664
    standard = comps[f"{CONTENT}6.NS.A.1"]
    assert standard.parent == f"{CONTENT}6.NS.A"  # its cluster; the cluster's domain is structure only
    assert comps[f"{CONTENT}6.NS.A"].parent is None
    assert comps[f"{CONTENT}1.NBT.B.2a"].parent == f"{CONTENT}1.NBT.B.2"
    assert (standard.grade_level, standard.subject) == ("06", "Math")
    assert standard.description.startswith("Interpret and compute quotients of fractions")
    assert len(standard.name) <= 100 and standard.name.endswith("…")
    assert standard.description.startswith(standard.name[:-1])
    (course,) = tutor.courses()
    assert (course.code, course.name, course.grade_level) == (
        "CCSS-MATH", "Common Core State Standards for Mathematics", "KG-09")
    order = course.competencies
    assert len(order) == 664 and order[0] == "CCSS.Math.Practice.MP1"
    kcc = [f"{CONTENT}K.CC.A", f"{CONTENT}K.CC.A.1", f"{CONTENT}K.CC.A.2", f"{CONTENT}K.CC.A.3", f"{CONTENT}K.CC.B"]
    assert order[8:13] == tuple(kcc)  # tree order: a cluster, then its standards by list enumeration


def test_importing_a_framework_again_changes_nothing(tutor, ccss_file):
    tutor.import_case(ccss_file)
    first = (tutor.competencies(), tutor.courses())
    again = tutor.import_case(ccss_file)
    assert again.course == "Common-Core-State-Standards-for-Mathematics"
    assert (tutor.competencies(), tutor.courses()) == first


def test_the_small_sample_gives_prerequisites_from_precedes(tutor, rp_file):
    report = tutor.import_case(rp_file, course_code="RP")
    assert (report.competencies, report.top_level, report.depth, report.prerequisites) == (16, 2, 3, 2)
    assert report.ignored == {
        "exactMatchOf (not used)": 16, "exemplar (not used)": 2, "isRelatedTo (not used)": 2,
        "precedes with an end that is not a competency of the package": 1,  # it points into another framework
    }  # fmt: skip
    comps = by_code(tutor)
    assert comps[f"{CONTENT}6.RP.A.2"].prerequisites == (f"{CONTENT}6.RP.A.1",)
    assert comps[f"{CONTENT}7.RP.A.3"].prerequisites == (f"{CONTENT}6.RP.A.3",)
    (course,) = tutor.courses()
    assert course.grade_level == "06-07"
    assert course.competencies[:5] == tuple(f"{CONTENT}6.RP.A{s}" for s in ("", ".1", ".2", ".3", ".3a"))
    assert course.competencies[8] == f"{CONTENT}7.RP.A"  # sequenceNumber 2 under the document


DOC = "9a3e5c1e-0000-4000-8000-000000000000"


def item(n: int, code: str | None, **fields) -> dict:
    out = {"identifier": f"item-{n}", "fullStatement": f"Statement {n}", "educationLevel": ["04", "05"], **fields}
    if code is not None:
        out["humanCodingScheme"] = code
    return out


def link(n: int, kind: str, origin: str, destination: str, **fields) -> dict:
    return {"identifier": f"link-{n}", "associationType": kind, "originNodeURI": {"identifier": origin},
            "destinationNodeURI": {"identifier": destination}, **fields}  # fmt: skip


def package(items: list[dict], links: list[dict]) -> dict:
    return {"CFDocument": {"identifier": DOC, "title": "Grade 4-5 Fractions", "subject": ["Math"]},
            "CFItems": items, "CFAssociations": links}  # fmt: skip


def write(tmp_path, data: dict):
    path = tmp_path / "package.json"
    path.write_text(json.dumps(data))
    return path


def test_case_1_0_names_and_prerequisites_that_reorder_the_sequence(tutor, tmp_path):
    items = [item(1, "NF"), item(2, "NF.1"), item(3, "NF.2"), item(4, None, fullStatement="A leaf without a code"),
             item(5, "NF.3", abbreviatedStatement="Add fractions")]  # fmt: skip
    links = [
        link(1, "isChildOf", "item-1", DOC, sequenceNumber=1),
        link(2, "isChildOf", "item-2", "item-1", sequenceNumber=1),
        link(3, "isChildOf", "item-3", "item-1", sequenceNumber=2),
        link(4, "isChildOf", "item-5", "item-1", sequenceNumber=3),
        link(5, "isChildOf", "item-4", DOC, sequenceNumber=2),
        link(6, "precedes", "item-5", "item-2"),  # NF.3 must come before NF.1
        link(7, "ext:hasPrerequisite", "item-3", "item-2"),
        link(8, "isPeerOf", "item-2", "item-3"),
    ]
    report = tutor.import_case(write(tmp_path, package(items, links)))
    assert (report.course, report.competencies, report.prerequisites, report.reordered) == ("Grade-4-5-Fractions", 5,
                                                                                             2, 3)  # fmt: skip
    assert report.ignored == {"isPeerOf (not used)": 1}
    (course,) = tutor.courses()
    assert course.competencies == ("NF", "NF.3", "NF.1", "NF.2", "item-4")
    comps = by_code(tutor)
    assert comps["NF.1"].prerequisites == ("NF.3",) and comps["NF.2"].prerequisites == ("NF.1",)
    assert (comps["NF.3"].name, comps["NF.3"].description) == ("Add fractions", "Statement 5")
    assert (comps["item-4"].grade_level, comps["item-4"].subject, comps["NF.2"].parent) == ("04,05", "Math", "NF")


def test_a_broken_package_lists_every_problem_and_writes_nothing(tutor, tmp_path):
    items = [item(1, "A"), {"identifier": "item-2", "humanCodingScheme": "B"}, item(3, "A")]
    links = [link(1, "isChildOf", "item-1", DOC), {"identifier": "link-2", "associationType": "precedes",
                                                   "originNodeURI": {"identifier": "item-1"}}]  # fmt: skip
    f = write(tmp_path, package(items, links))
    with pytest.raises(CaseError) as caught:
        tutor.import_case(f)
    assert caught.value.problems == (
        f"{f}: CFItems[1] (identifier item-2): fullStatement: Field required",
        f"{f}: CFAssociations[1] (identifier link-2): destinationNodeURI.identifier is missing",
    )
    with pytest.raises(CaseError, match=r"CFItems\[1\] \(identifier item-3\): humanCodingScheme 'A' is also the "
                                        r"code of item-1; competency codes must be unique"):  # fmt: skip
        tutor.import_case(write(tmp_path, package([item(1, "A"), item(3, "A")], [])))
    with pytest.raises(CaseError, match="CFDocument: missing"):
        tutor.import_case(write(tmp_path, {"CFItems": []}))
    assert tutor.competencies() == [] and tutor.courses() == []


def test_prerequisite_and_hierarchy_cycles_are_errors_naming_the_identifiers(tutor, tmp_path):
    items = [item(1, "A"), item(2, "B"), item(3, "C")]
    links = [link(1, "precedes", "item-1", "item-2"), link(2, "precedes", "item-2", "item-3"),
             link(3, "precedes", "item-3", "item-1")]  # fmt: skip
    f = write(tmp_path, package(items, links))
    with pytest.raises(CaseError) as caught:
        tutor.import_case(f)
    assert caught.value.problems == (
        f"{f}: prerequisite cycle: item-1 (A) -> item-2 (B) -> item-3 (C) -> item-1 (A) (each comes before the next)",
    )
    tree = [link(1, "isChildOf", "item-1", "item-2"), link(2, "isChildOf", "item-2", "item-1")]
    with pytest.raises(CaseError, match=r"isChildOf cycle: item-1 -> item-2 -> item-1"):
        tutor.import_case(write(tmp_path, package(items, tree)))
    assert tutor.competencies() == []
