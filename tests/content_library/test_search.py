"""Searching the content library: what a student or teacher types finds the right items, best first."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adaptive import ContentItem, StoreError, UnknownRecord
from adaptive.content import parse_curriculum


def codes(hits) -> list[str]:
    return [h.code for h in hits]


def test_the_item_titled_equivalent_fractions_comes_first(library):
    hits = library.search_content("equivalent fractions")
    assert hits[0].code == "nf1-practice"
    # items tagged to the "Equivalent fractions" competency are found too, below the title match
    assert {"nf1-strips", "nf1-video"} <= set(codes(hits))
    assert hits[0].score > hits[-1].score
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_hit_carries_what_a_teacher_needs_to_choose_an_item(library):
    (hit,) = library.search_content("same amount")
    assert (hit.code, hit.title, hit.kind, hit.competencies) == (
        "nf1-video", "Same amount different names", "video", ("5.NF.1",))  # fmt: skip
    assert (hit.grade_level, hit.minutes, hit.difficulty, hit.url) == ("5", 6.0, 0.2, "https://example.org/v/nf1")
    assert hit.score > 0


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ("fraction", "nf2-line"),  # singular finds "Fractions on a number line"
        ("divide", "nbt6-video"),  # finds "Dividing with area models"
        ("measure", "md1-kitchen"),  # finds "Measuring cups"
        ("compare", "nf2-lesson"),  # finds "Comparing fractions"
    ],
)
def test_words_are_matched_by_their_stem(library, typed, finds):
    assert finds in codes(library.search_content(typed))


def test_competency_codes_names_descriptions_and_kinds_are_searched(library):
    assert set(codes(library.search_content("5.NBT.6"))) == {"nbt6-video", "nbt6-practice"}
    assert set(codes(library.search_content("coordinate"))) == {"g1-game", "g1-quiz"}
    assert "nf1-video" in codes(library.search_content("visual models"))  # the competency's description
    assert set(codes(library.search_content("video"))) == {"nf1-video", "nbt6-video"}
    assert set(codes(library.search_content("offline activity"))) == {"nf1-strips", "md1-kitchen"}


def test_filters_narrow_the_results(library):
    assert set(codes(library.search_content("fractions", competency="5.NF.2"))) == {"nf2-lesson", "nf2-line"}
    assert set(codes(library.search_content("", grade="6"))) == {"g1-game", "g1-quiz"}
    assert codes(library.search_content("fractions", kind="offline activity")) == ["nf1-strips"]
    assert codes(library.search_content("practice", kind="practice", competency="5.NBT.6")) == ["nbt6-practice"]
    assert library.search_content("fractions", grade="6") == []


def test_an_empty_query_lists_the_items_filtered(library):
    assert len(library.search_content("", limit=None)) == 11
    assert set(codes(library.search_content(None, competency="5.NF.1"))) == {"nf1-practice", "nf1-strips",
                                                                              "nf1-video"}  # fmt: skip
    assert all(h.score == 0 for h in library.search_content("   "))
    assert len(library.search_content("", limit=3)) == 3


def test_pretest_items_are_left_out_unless_asked_for(library):
    assert "pre-nf1" not in codes(library.search_content("equivalent"))
    assert "pre-nf1" in codes(library.search_content("equivalent", include_pretest=True))


def test_unknown_filters_are_clear_errors(library):
    with pytest.raises(UnknownRecord, match="unknown competency '9.ZZ.1'"):
        library.search_content("x", competency="9.ZZ.1")
    with pytest.raises(StoreError, match="unknown kind 'podcast'"):
        library.search_content("x", kind="podcast")
    with pytest.raises(StoreError, match="limit"):
        library.search_content("x", limit=0)


HOSTILE = [
    '"', '""', "'", "*", "fract*", "a:b", "title:fractions", "-fractions", "NOT fractions", "fractions AND",
    "OR", "NEAR(equivalent fractions, 2)", "NEAR", "^fractions", "(", ")", "{title}: x", "a + b", "'; DROP TABLE x;--",
    "!!", "&|", "<->", "fractions:*", "\\", "\x00", "frac\x00tions", "\ud800", "é", "分数", "🙂", "%", "_", "a" * 5000,
    " ".join(["fractions"] * 300),
]  # fmt: skip


@pytest.mark.parametrize("typed", HOSTILE)
def test_anything_a_user_types_is_a_valid_query(library, typed):
    hits = library.search_content(typed, grade=typed, competency=None)
    assert isinstance(hits, list)
    library.search_content(typed)


def test_operators_are_searched_as_plain_words(library):
    assert codes(library.search_content('"equivalent fractions"'))[0] == "nf1-practice"
    assert codes(library.search_content("equivalent NEAR fractions*"))[0] == "nf1-practice"
    assert "nbt6-video" in codes(library.search_content("-divide"))  # not "without divide"
    assert "nbt6-video" in codes(library.search_content("NOT divide"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_random_text_never_breaks_the_search(library, typed):
    assert isinstance(library.search_content(typed), list)


def test_results_follow_a_reimported_title(library, library_text):
    changed = library_text.replace("Fraction strips", "Paper folding halves")
    library.import_curriculum(parse_curriculum(changed, name="math5.yaml"))
    assert "nf1-strips" in codes(library.search_content("folding"))
    assert "nf1-strips" not in codes(library.search_content("strips"))


def test_results_follow_tags_competency_renames_and_new_items(library):
    library.add_content_item("extra", "Mystery item", competencies=["5.MD.1"])
    assert codes(library.search_content("mystery")) == ["extra"]
    assert "extra" in codes(library.search_content("measurements"))  # via its competency's name
    library.add_content_items([ContentItem("extra", "Mystery item", competencies=("5.G.1",))])
    assert "extra" not in codes(library.search_content("measurements"))
    assert "extra" in codes(library.search_content("coordinate"))
    library.add_competency("5.G.1", "Graphing points", grade_level="6")
    assert "extra" in codes(library.search_content("graphing"))
    assert "extra" not in codes(library.search_content("coordinate plane", competency="5.G.1"))
