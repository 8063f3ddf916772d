"""The text index: an article cut into words once, with the zones and offsets queries need."""

# ruff: noqa: RUF001 - typographic apostrophes and dashes are what articles contain.

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsalert.classify import words as word_index
from newsalert.classify.words import BODY, LEAD, TITLE, TextIndex, words_of


def test_words_are_runs_of_letters_and_digits() -> None:
    assert words_of("China–Russia ties: Putin’s “golden age”, 8.5%!") == [
        "China",
        "Russia",
        "ties",
        "Putin",
        "s",
        "golden",
        "age",
        "8",
        "5",
    ]


def test_each_zone_keeps_words_as_written_and_folded() -> None:
    zone = TextIndex("NATO Summit opens").zones[TITLE]

    assert zone.words == ["NATO", "Summit", "opens"]
    assert zone.folded == ["nato", "summit", "opens"]
    assert len(zone) == 3


def test_offsets_point_into_the_field_text() -> None:
    title = "  Xi Jinping meets Putin’s envoy"
    zone = TextIndex(title).zones[TITLE]

    start, end = zone.span(0, 1)
    assert title[start:end] == "Xi Jinping"
    start, end = zone.span(3, 3)
    assert title[start:end] == "Putin"


def test_the_summary_is_the_lead_and_the_whole_body_is_the_body() -> None:
    index = TextIndex("Title", summary="A summary.", body="First paragraph.\n\nSecond paragraph.")

    assert not index.lead_from_body
    assert (index.zones[LEAD].field, index.zones[LEAD].words) == ("summary", ["A", "summary"])
    assert index.zones[BODY].words == ["First", "paragraph", "Second", "paragraph"]
    assert index.scopes["body"] == {BODY}


def test_without_a_summary_the_first_paragraph_is_the_lead_and_is_not_read_twice() -> None:
    body = "First paragraph here.\n\nSecond one."
    index = TextIndex("Title", body=body)
    lead, rest = index.zones[LEAD], index.zones[BODY]

    assert index.lead_from_body
    assert lead.words == ["First", "paragraph", "here"]
    assert rest.words == ["Second", "one"]
    assert (lead.field, rest.field) == ("body", "body")
    start, end = rest.span(0, 1)
    assert body[start:end] == "Second one"
    assert index.scopes["body"] == {LEAD, BODY}  # body: still covers the whole body


def test_a_body_of_one_paragraph_is_all_lead() -> None:
    index = TextIndex("Title", body="Only one paragraph.")

    assert index.zones[LEAD].words == ["Only", "one", "paragraph"]
    assert index.zones[BODY].words == []


def test_links_are_not_words_of_the_article() -> None:
    body = (
        "Live at https://news.example.com/sco/summit-live and www.example.org/SCO-summit, "
        "or example.com/sco/x. Details: www.bangladeshglobal.com"
    )
    zone = TextIndex("T", summary=body).zones[LEAD]

    assert zone.words == ["Live", "at", "and", "or", "Details"]
    start, end = zone.span(4, 4)
    assert body[start:end] == "Details"


def test_slashes_that_are_not_links_keep_their_words() -> None:
    assert TextIndex("Open 24/7 and/or online").zones[TITLE].words == ["Open", "24", "7", "and", "or", "online"]


def test_empty_fields_give_empty_zones() -> None:
    index = TextIndex("Title only")

    assert [len(zone) for zone in index.zones] == [2, 0, 0]


# Articles are cut by one of three roads (ASCII but for typographic marks; other text without a
# Han character; text with one, by the word pattern itself): whichever is taken, the words, their
# folded forms and their offsets are what the word pattern alone gives.
_ASCII_AND_MARKS = (
    "abcXYZ019_ .,;:!?'\"-/()\n\t%&"  # ASCII letters, digits, underscore, punctuation, white space
    "\u00a0\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb\u20ac"  # typographic marks
)
# Letters outside ASCII (ß and İ fold longer, Σ has two lower cases), a combining accent, other
# digits and spaces, Devanagari with its vowel signs and danda, Arabic with a vowel mark, the
# Persian zero-width non-joiner, and a Han character (the third road):
_OUTSIDE_ASCII = _ASCII_AND_MARKS + "éßİΣς\u0301٣\u00b2\u2003\u3000नाटो\u0964بِ\u200c"
_ANY = _OUTSIDE_ASCII + "中"


def _reference(text: str) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    # Links are blanked first, whichever road is taken ("0.0/" reads as a link). The word pattern is
    # \w+ with combining marks kept in the word and each Han character a word.
    found = list(word_index._WORDS.finditer(word_index._without_urls(text)))
    words = [match.group() for match in found]
    return words, [word.casefold() for word in words], [match.span() for match in found]


@given(
    st.text(alphabet=_ASCII_AND_MARKS, max_size=80)
    | st.text(alphabet=_OUTSIDE_ASCII, max_size=80)
    | st.text(alphabet=_ANY, max_size=80)
)
@settings(max_examples=600)
def test_either_way_of_cutting_gives_the_words_and_offsets_of_the_word_pattern(text: str) -> None:
    zone = TextIndex(text).zones[TITLE]

    words, folded, spans = _reference(text)
    assert zone.words == words
    assert zone.folded == folded
    assert [zone.span(number, number) for number in range(len(zone))] == spans


def test_typographic_marks_read_as_fast_are_not_word_characters() -> None:
    for mark in word_index._MARKS_OUTSIDE_ASCII:
        assert re.fullmatch(r"\W", mark), f"U+{ord(mark):04X}"


def test_offsets_of_a_body_zone_count_from_the_start_of_the_body() -> None:
    body = "First “paragraph” here.\n\nSecond paragraph – with a www.example.com/link and €5."
    zone = TextIndex("Title", "", body).zones[BODY]

    assert zone.words[0] == "Second"
    spans = [zone.span(number, number) for number in range(len(zone))]
    assert [body[start:end] for start, end in spans] == zone.words
    assert zone.words == ["Second", "paragraph", "with", "a", "and", "5"]
