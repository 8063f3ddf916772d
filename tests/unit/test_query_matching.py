"""Each operator of the query language on articles: what matches, what counts as evidence, and why not."""

# ruff: noqa: RUF001 - typographic dashes and apostrophes are what articles contain.

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsalert.classify.entities import EntityCatalog, parse_entities
from newsalert.classify.query.patterns import PatternSet, make_pattern
from newsalert.classify.taxonomy import Taxonomy, parse_taxonomy
from newsalert.classify.topics import TopicVerdict, classify, explain
from newsalert.classify.words import BODY, TextIndex
from newsalert.models import Article, Evidence

ENTITIES = """
version: 1
entities:
  - {id: china, kind: country, label: China, aliases: [China], demonyms: [Chinese], metonyms: [Beijing]}
  - {id: russia, kind: country, label: Russia, aliases: [Russia], demonyms: [Russian], metonyms: [Moscow]}
"""
WHEN = datetime(2024, 7, 4, 7, 29, tzinfo=UTC)


@pytest.fixture(scope="module")
def entities() -> EntityCatalog:
    return parse_entities(ENTITIES)


def topic_taxonomy(query: str, entities: EntityCatalog, threshold: float = 0.0) -> Taxonomy:
    # A JSON string is a valid YAML scalar, whatever quotes the query holds.
    topic = f"{{id: t, label: T, kind: category, threshold: {threshold}, query: {json.dumps(query)}}}"
    text = f"version: 1\ntopics:\n  - {topic}\n"
    return parse_taxonomy(text, entities=entities)


def article(title: str, body: str = "", summary: str = "") -> Article:
    return Article.create(title=title, body=body, summary=summary, source="test", published=WHEN, received_at=WHEN)


def verdict(query: str, entities: EntityCatalog, title: str, body: str = "", summary: str = "") -> TopicVerdict:
    return explain(article(title, body, summary), topic_taxonomy(query, entities))[0]


def matches(query: str, entities: EntityCatalog, title: str, body: str = "", summary: str = "") -> bool:
    return verdict(query, entities, title, body, summary).matched


def evidence(query: str, entities: EntityCatalog, title: str, body: str = "", summary: str = "") -> list[Evidence]:
    return list(verdict(query, entities, title, body, summary).evidence)


# --- terms -------------------------------------------------------------------------------------


def test_words_match_whole_words_in_any_case(entities: EntityCatalog) -> None:
    assert matches("summit", entities, "SUMMIT opens")
    assert matches("summit", entities, "The Summit opens")
    assert not matches("summit", entities, "Summits open")
    assert not matches("sco", entities, "Scotland wins")


def test_capitals_match_only_capitals(entities: EntityCatalog) -> None:
    assert matches("SCO", entities, "SCO leaders meet")
    assert not matches("SCO", entities, "Sco leaders meet")
    assert not matches("SCO", entities, "sco leaders meet")
    assert matches("sco", entities, "SCO leaders meet")  # lower case written: any case


def test_phrases_match_words_in_order_whatever_stands_between(entities: EntityCatalog) -> None:
    assert matches('"China Russia relations"', entities, "China–Russia relations deepen")
    assert matches('"Russia\'s war"', entities, "Russia’s war grinds on")
    assert not matches('"Russia China"', entities, "China and Russia")


def test_a_phrase_does_not_run_across_a_comma_semicolon_or_colon(entities: EntityCatalog) -> None:
    # A clause break between the words: they are not the phrase (dashes, quotes and spaces still are not).
    assert not matches('"Ukraine war"', entities, "Grain leaves Ukraine; war games begin in the Baltic")
    assert not matches('"sin embargo"', entities, "Sin, embargo and other words")
    assert not matches('"peace talks"', entities, "Talks on peace: talks on trade")
    assert not matches('"中俄"', entities, "中，俄两国")
    assert matches('"Ukraine war"', entities, "The Ukraine war enters its fourth winter")
    assert matches('"Ukraine war"', entities, "The Ukraine-war economy")
    # An entity's name is a phrase too.
    assert matches("@china", entities, "China")


def test_prefix_wildcards_match_every_word_that_starts_with_the_prefix(entities: EntityCatalog) -> None:
    assert matches("sanction*", entities, "New sanctions")
    assert matches("sanction*", entities, "Sanctioned banks")
    assert matches("sanction*", entities, "Sanction relief")
    assert not matches("sanction*", entities, "Unsanctioned rally")


def test_prefix_wildcards_in_capitals_keep_the_case(entities: EntityCatalog) -> None:
    assert matches("NATO*", entities, "NATOs meet")
    assert not matches("NATO*", entities, "Natops meet")


def test_evidence_names_the_term_and_points_at_the_text(entities: EntityCatalog) -> None:
    found = evidence("sanction* OR @china", entities, "Beijing faces sanctions", body="New Sanctions on Chinese banks.")

    assert [(e.term, e.text, e.field, e.start) for e in found] == [
        ("@china:Beijing", "Beijing", "title", 0),
        ("sanction*", "sanctions", "title", 14),
        ("sanction*", "Sanctions", "body", 4),
        ("@china:Chinese", "Chinese", "body", 17),
    ]


def test_a_prefix_found_as_several_words_is_found_in_reading_order() -> None:
    # The prefix matches four different words; what is found for it is one list, in reading order.
    body = "Sanctioned banks. New sanctions. Sanction relief, sanctioning rules, more sanctions."
    prefix = make_pattern("sanction", case_sensitive=False, prefix=True)

    found = PatternSet.of([prefix]).find(TextIndex("Banks", "A summary.", body))

    assert found[prefix] == [(BODY, 0, 0), (BODY, 3, 3), (BODY, 4, 4), (BODY, 6, 6), (BODY, 9, 9)]


# --- operators ---------------------------------------------------------------------------------


def test_or_needs_one_side(entities: EntityCatalog) -> None:
    assert matches("a OR b", entities, "b only")
    assert not matches("a OR b", entities, "neither")


def test_and_needs_both_sides_anywhere_in_the_article(entities: EntityCatalog) -> None:
    assert matches("summit Astana", entities, "Summit opens", body="In Astana.")
    assert not matches("summit AND Astana", entities, "Summit opens")


def test_not_excludes_and_never_adds_to_the_score(entities: EntityCatalog) -> None:
    query = 'tennis NOT "Shanghai Masters"'

    assert matches(query, entities, "Tennis final tonight")
    assert not matches(query, entities, "Tennis: Shanghai Masters final")
    with_not = verdict("tennis NOT football", entities, "Tennis news")
    without = verdict("tennis", entities, "Tennis news")
    assert with_not.score == without.score
    assert [e.term for e in with_not.evidence] == ["tennis"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("The summit in Astana", True, id="after"),
        pytest.param("Astana hosts the summit", True, id="before"),
        pytest.param("summit one two three four Astana", True, id="at-the-distance"),
        pytest.param("summit one two three four five Astana", False, id="beyond-the-distance"),
    ],
)
def test_near_matches_either_order_within_the_distance(entities: EntityCatalog, text: str, expected: bool) -> None:
    assert matches("summit NEAR/5 Astana", entities, text) is expected


def test_near_looks_within_one_field(entities: EntityCatalog) -> None:
    assert not matches("summit NEAR/5 Astana", entities, "A summit", body="Astana hosts.")


def test_a_word_is_not_near_itself(entities: EntityCatalog) -> None:
    assert not matches("China NEAR/5 (China OR Beijing)", entities, "China grows")
    assert matches("China NEAR/5 (China OR Beijing)", entities, "China grows as China trades")


def test_near_keeps_only_the_occurrences_that_are_near(entities: EntityCatalog) -> None:
    body = "China far away " + "filler " * 20 + "and China with Russia."

    found = evidence("@china NEAR/3 @russia", entities, "News", body=body)

    assert [(e.text, e.start) for e in found] == [("China", body.rindex("China")), ("Russia", body.index("Russia"))]


def test_near_sides_can_be_alternatives(entities: EntityCatalog) -> None:
    query = "(@china OR Xi) NEAR/30 (@russia OR Putin)"

    assert matches(query, entities, "Xi meets Putin")
    assert matches(query, entities, "Beijing and Moscow agree")
    assert not matches(query, entities, "Beijing and Delhi agree")


def test_near_chains_need_each_link(entities: EntityCatalog) -> None:
    assert matches("a NEAR/1 b NEAR/1 c", entities, "a b c")
    assert not matches("a NEAR/1 b NEAR/1 c", entities, "a b x c")


# --- field scopes ------------------------------------------------------------------------------


def test_title_scope_looks_only_in_the_headline(entities: EntityCatalog) -> None:
    assert matches("title:summit", entities, "Summit opens")
    assert not matches("title:summit", entities, "Leaders meet", body="At the summit.")


def test_lead_scope_looks_in_the_summary_or_else_the_first_paragraph(entities: EntityCatalog) -> None:
    assert matches("lead:summit", entities, "News", summary="The summit opens.", body="Other text.")
    assert not matches("lead:summit", entities, "News", summary="Leaders meet.", body="The summit opens.")
    assert matches("lead:summit", entities, "News", body="The summit opens.\n\nMore later.")
    assert not matches("lead:summit", entities, "News", body="Leaders meet.\n\nThe summit opens.")


def test_body_scope_covers_the_whole_body_first_paragraph_included(entities: EntityCatalog) -> None:
    assert matches("body:summit", entities, "News", body="The summit opens.\n\nMore later.")
    assert matches("body:summit", entities, "News", body="Leaders meet.\n\nThe summit opens.")
    assert not matches("body:summit", entities, "Summit", summary="The summit opens.")


def test_evidence_from_the_first_paragraph_points_into_the_body(entities: EntityCatalog) -> None:
    body = "The summit opens.\n\nThe summit ends."

    found = evidence("summit", entities, "News", body=body)

    assert [(e.field, e.start) for e in found] == [("body", 4), ("body", body.rindex("summit"))]


def test_a_scope_on_a_group_reaches_every_term(entities: EntityCatalog) -> None:
    assert matches("title:(summit OR talks)", entities, "Talks resume")
    assert not matches("title:(summit OR talks)", entities, "News", body="Talks resume")


# --- scores ------------------------------------------------------------------------------------


def test_weights_scale_the_score_but_not_the_match(entities: EntityCatalog) -> None:
    light = verdict("summit", entities, "News", body="A summit.")
    heavy = verdict("summit^3", entities, "News", body="A summit.")

    assert light.matched
    assert heavy.matched
    assert heavy.score > light.score


def test_all_names_of_an_entity_are_one_term_for_repeats(entities: EntityCatalog) -> None:
    one_term = verdict("@china", entities, "News", body="China. Beijing. Chinese.")
    three_terms = verdict("China OR Beijing OR Chinese", entities, "News", body="China. Beijing. Chinese.")

    assert one_term.score < three_terms.score


def test_overlapping_terms_count_once_for_the_longest(entities: EntityCatalog) -> None:
    found = evidence('"prime minister" OR minister', entities, "Prime Minister resigns")

    assert [(e.term, e.text) for e in found] == [("prime minister", "Prime Minister")]


def test_the_same_article_gives_the_same_result(entities: EntityCatalog) -> None:
    taxonomy = topic_taxonomy("(@china OR Xi) NEAR/30 (@russia OR Putin) OR sanction*", entities)
    item = article("Xi meets Putin", body="Beijing and Moscow face sanctions. " * 5)

    first = classify(item, taxonomy)
    assert all(classify(item, taxonomy) == first for _ in range(3))
    assert classify(item, topic_taxonomy("(@china OR Xi) NEAR/30 (@russia OR Putin) OR sanction*", entities)) == first


# --- reasons -----------------------------------------------------------------------------------


def test_a_missing_term_is_named(entities: EntityCatalog) -> None:
    assert verdict("summit", entities, "News").reason == "query did not match: needs summit; not found"


def test_a_near_with_one_side_says_which_side_was_found(entities: EntityCatalog) -> None:
    reason = verdict("(@china OR Xi) NEAR/30 (@russia OR Putin)", entities, "Beijing grows").reason

    assert reason == (
        "query did not match: needs (@china OR Xi) NEAR/30 (@russia OR Putin); found only @china:Beijing (in the title)"
    )


def test_a_near_with_both_sides_too_far_apart_says_so(entities: EntityCatalog) -> None:
    reason = verdict("summit NEAR/2 Astana", entities, "Summit", body="Astana").reason

    assert (
        reason
        == "query did not match: needs summit NEAR/2 Astana; found both sides, but never within 2 words in one field"
    )


def test_an_exclusion_names_what_was_found(entities: EntityCatalog) -> None:
    reason = verdict('tennis NOT "Shanghai Masters"', entities, "Tennis at the Shanghai Masters").reason

    assert reason == 'query did not match: excluded by NOT "Shanghai Masters": found Shanghai Masters (in the title)'


def test_a_scoped_term_found_elsewhere_says_where(entities: EntityCatalog) -> None:
    reason = verdict("title:summit", entities, "News", body="The summit.").reason

    assert reason == "query did not match: needs title:summit; found summit (in the lead) only outside the title"


def test_an_and_names_each_missing_part(entities: EntityCatalog) -> None:
    reason = verdict("summit Astana (Xi OR Putin)", entities, "Summit").reason

    assert reason == "query did not match: needs Astana; not found; needs one of (Xi OR Putin); found none"


def test_a_long_or_names_its_first_alternatives(entities: EntityCatalog) -> None:
    query = " OR ".join(f"alternative{number}" for number in range(20))

    reason = verdict(query, entities, "News").reason

    assert (
        reason == "query did not match: found none of its 20 alternatives (alternative0, alternative1, alternative2, …)"
    )


def test_a_long_alternative_is_cut_where_a_reader_can_see_it(entities: EntityCatalog) -> None:
    long_clause = "(" + " OR ".join(f"title:word{number}" for number in range(40)) + ") AND summit"
    query = " OR ".join([long_clause, *(f"alternative{number}" for number in range(20))])

    reason = verdict(query, entities, "News").reason

    assert reason.startswith("query did not match: found none of its 21 alternatives (((title:word0 OR ")
    assert reason.endswith("…, alternative0, alternative1, …)")
    assert "title:word39" not in reason


def test_a_short_list_of_long_alternatives_is_named_whole_without_an_ellipsis(entities: EntityCatalog) -> None:
    long_clause = " OR ".join(f"word{number}" for number in range(40))
    query = f"(({long_clause}) AND summit) OR alpha OR beta"

    reason = verdict(query, entities, "News").reason

    assert reason.endswith("…, alpha, beta)")


def test_a_score_below_the_threshold_is_reported_with_both_numbers(entities: EntityCatalog) -> None:
    taxonomy = topic_taxonomy("summit", entities, threshold=0.5)

    found = explain(article("News", body="Leaders meet.\n\nA summit."), taxonomy)[0]

    assert not found.matched
    assert found.reason == "score 0.39 below threshold 0.5"
    assert [e.text for e in found.evidence] == ["summit"]


def test_a_match_reports_its_score_and_threshold(entities: EntityCatalog) -> None:
    taxonomy = topic_taxonomy("summit", entities, threshold=0.5)

    found = explain(article("Summit opens"), taxonomy)[0]

    assert (found.matched, found.reason) == (True, "score 0.63 reached threshold 0.5")
