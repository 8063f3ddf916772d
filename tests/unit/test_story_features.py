"""What the story grouper reads of an article: figures read whole, stems and synonyms, the lead's weekday,
names; on small invented articles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsalert.classify.entities import load_entities
from newsalert.classify.story_features import (
    NAME_WEIGHT,
    WEEKDAY_PREFIX,
    FeatureReader,
    event_weekday,
    figures,
    names_in,
    stem,
)
from newsalert.classify.words import words_of
from newsalert.models import Article

NOW = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)
READER = FeatureReader(load_entities())


def _terms(title: str, body: str) -> dict[str, float]:
    article = Article.create(title=title, body=body, source="Wire One", published=NOW, received_at=NOW)
    return dict(READER.read(article).terms)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A magnitude 5.9 earthquake", [("5.9", True)]),
        ("a 6.8-magnitude tremor", [("6.8", True)]),
        ("a $3.5T package", [("3.5", True)]),
        ("2,000 homes and 12 schools", [("2000", False), ("12", False)]),
        ("a 1,200.5 km route", [("1200.5", True)]),
        ("a 3-11 start to the 2024 season", [("11", False), ("2024", False)]),
    ],
)
def test_a_figure_is_one_term_never_cut_at_its_point_or_comma(text: str, expected: list[tuple[str, bool]]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "at 11:26 pm",
        "Updated 12:42 GMT",
        "8:44AM BST",
        "at 8.05am",
        "around 2 a.m. local time",
        "at the G20 and the F35",
        "5 dead",
        "see example.com/2021/08/09/story",
    ],
)
def test_times_single_digits_codes_and_links_are_not_figures(text: str) -> None:
    assert figures(text) == []


def test_a_figure_is_not_read_as_its_digits() -> None:
    terms = _terms("Magnitude 5.9 quake hits near Sylhet", "An earthquake of magnitude 5.9 hit the Sylhet region.")

    assert "5.9" in terms
    assert "5" not in terms
    assert "9" not in terms
    # A figure with decimals says more than a whole number, less than a name.
    assert _terms("Storm", "A storm with 5.9 metres of rain")["5.9"] > _terms("Storm", "A storm with 59 dead")["59"]
    assert terms["5.9"] < terms["sylhet"]


@pytest.mark.parametrize(
    "forms",
    [
        ("kill", "kills", "killed", "killing"),
        ("quake", "quakes", "earthquake", "earthquakes", "temblor"),
        ("fire", "fires", "fired", "firing", "sacked", "sacks"),
        ("charge", "charges", "charged", "charging"),
        ("die", "dies", "died", "dying", "dead", "death", "deaths"),
        ("strike", "strikes", "struck", "striking"),
        ("hit", "hits", "hitting"),
        ("city", "cities"),
        ("arrest", "arrests", "arrested"),
    ],
)
def test_the_forms_of_a_news_word_are_one_term(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1


def test_different_words_keep_different_stems() -> None:
    stems = [stem(word) for word in ("fire", "flee", "hire", "kill", "bus", "crisis", "earthquake", "flood")]

    assert len(set(stems)) == len(stems)


def test_a_quake_and_an_earthquake_count_as_one_word() -> None:
    quake = _terms("Quake hits the north", "A strong quake hit the north.")
    earthquake = _terms("Earthquake hits the north", "A strong earthquake hit the north.")

    assert set(quake) == set(earthquake)


def test_the_weekday_the_lead_names_is_a_term_but_never_a_key() -> None:
    article = Article.create(
        title="Earthquake shakes Sylhet",
        body="A magnitude 5.9 earthquake struck near Sylhet on Thursday afternoon, and again on Friday.",
        source="Wire One",
        published=NOW,
        received_at=NOW,
    )

    features = READER.read(article)

    assert WEEKDAY_PREFIX + "thursday" in features.terms
    assert WEEKDAY_PREFIX + "friday" not in features.terms  # the first day named is the event's
    assert all(not key.startswith(WEEKDAY_PREFIX) for key in features.keys)


def test_a_dateline_s_weekday_is_not_the_event_s() -> None:
    assert event_weekday(words_of("tuesday july 9 2024 the bridge closed on sunday")) == "sunday"
    assert event_weekday(words_of("sun 7 jul 2024 no day named")) is None
    assert event_weekday(words_of("police said")) is None


def test_a_sentence_case_headline_s_first_word_is_not_a_name_by_its_capital() -> None:
    headline = _terms("Earthquake shakes Sylhet, residents flee", "An earthquake struck near Sylhet.")
    named = _terms("Sylhet shaken by earthquake", "Sylhet residents fled after an earthquake struck near Sylhet.")

    assert headline[stem("earthquake")] < NAME_WEIGHT  # a word, in the headline
    assert named["sylhet"] >= NAME_WEIGHT  # a name the lead writes as one stays a name


def test_names_are_told_from_words_figures_and_weekdays_by_weight() -> None:
    terms = _terms(
        "Fire at Kestrel Mills kills 4 on Monday",
        "A fire at Kestrel Mills killed four workers on Monday, fire chief Aldo Brenner said; 12 were hurt.",
    )

    names = names_in(terms)

    assert {"kestrel", "mills", "aldo", "brenner"} <= names
    assert not names & {stem("fire"), stem("kills"), "12", WEEKDAY_PREFIX + "monday"}
