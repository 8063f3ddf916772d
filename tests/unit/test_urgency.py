"""Urgency: flash, urgent or routine from the signals an editor weighs, with the reasons kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from newsalert.classify.stage import classify_article
from newsalert.classify.taxonomy import Taxonomy, load_taxonomy, parse_taxonomy
from newsalert.classify.urgency import UrgencyPolicy, decide_urgency
from newsalert.models import Article, SourcePriority, StoryRef, TopicMatch, Urgency

RECEIVED = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)
POLICY = UrgencyPolicy()


def article(
    title: str = "Parliament debates the budget",
    *,
    minutes_old: int = 120,
    summary: str = "",
    priority: SourcePriority = "normal",
) -> Article:
    return Article.create(
        title=title,
        source="Example Wire",
        published=RECEIVED - timedelta(minutes=minutes_old),
        received_at=RECEIVED,
        summary=summary,
        source_priority=priority,
    )


def match(score: float = 0.9, label: str = "Politics") -> TopicMatch:
    return TopicMatch(topic=label.lower(), label=label, score=score)


def story(outlets: int) -> StoryRef:
    return StoryRef(
        story_id="story-" + "0" * 24,
        new_story=outlets == 1,
        articles=outlets,
        outlets=tuple(f"Outlet {n}" for n in range(outlets)),
    )


def test_an_ordinary_breaking_article_is_routine_with_nothing_to_say() -> None:
    assert decide_urgency(article(), [match()], story(1), POLICY) == (Urgency.ROUTINE, ())


def test_an_earthquake_reported_at_once_by_three_outlets_is_a_flash_and_says_why() -> None:
    level, reasons = decide_urgency(
        article("Powerful earthquake kills dozens in the north", minutes_old=8),
        [match(0.97, "Disaster")],
        story(3),
        POLICY,
    )

    assert level is Urgency.FLASH
    assert reasons == (
        "it matches Disaster strongly (0.97)",
        "it was published 8 min before it arrived",
        "'earthquake' is in the headline",
        "3 outlets carry the story",
    )


def test_cues_are_whole_words_in_any_case_and_count_once_each() -> None:
    assert POLICY.cues_in("BREAKING: Warehouse blast; a second Blast felt") == ["breaking", "blast"]
    assert POLICY.cues_in("Wartime memoirs and the warden's deadline") == []  # not "war", not "dead"


def test_a_cue_in_the_lead_counts_when_the_headline_has_none() -> None:
    level, reasons = decide_urgency(
        article("Minister speaks in Dhaka", summary="Two people were killed in an explosion."), [match()], None, POLICY
    )

    assert level is Urgency.ROUTINE  # one point: not enough alone
    assert reasons == ("'killed' is in the lead",)


def test_wide_spread_and_a_high_priority_source_make_it_urgent_not_a_flash() -> None:
    level, reasons = decide_urgency(article(priority="high"), [match()], story(5), POLICY)

    assert level is Urgency.URGENT  # 1 (source) + 2 (five outlets): 3 points, a flash needs 4
    assert "Example Wire is a high-priority source" in reasons
    assert "5 outlets carry the story" in reasons


def test_a_low_priority_source_takes_a_point_away() -> None:
    level, _ = decide_urgency(article("Blast at a warehouse", priority="low"), [match()], story(3), POLICY)

    assert level is Urgency.ROUTINE  # 1 (cue) + 1 (outlets) - 1 (source)


def test_an_undated_article_is_not_counted_as_fresh() -> None:
    undated = Article.create(
        title="Parliament debates the budget",
        source="Example Wire",
        published=RECEIVED,
        received_at=RECEIVED,
        flags=("published-missing",),
    )

    assert decide_urgency(undated, [match()], None, POLICY) == (Urgency.ROUTINE, ())


def test_a_topic_s_policy_bounds_the_level_and_says_so() -> None:
    flash_article = article("Earthquake and tsunami warning", minutes_old=2)

    capped = decide_urgency(flash_article, [match(0.99)], story(5), POLICY, bounds=(Urgency.ROUTINE, Urgency.URGENT))
    raised = decide_urgency(article(), [match()], None, POLICY, bounds=(Urgency.URGENT, Urgency.FLASH))

    assert capped[0] is Urgency.URGENT
    assert capped[1][-1] == "the topic's policy caps it at urgent"
    assert raised == (Urgency.URGENT, ("the topic's policy raises it to urgent",))


def test_the_thresholds_must_be_in_order() -> None:
    with pytest.raises(ValidationError, match="flash_points"):
        UrgencyPolicy(urgent_points=3, flash_points=3)


# ------------------------------------------------------------------ from the taxonomy file

TAXONOMY_WITH_URGENCY = """
version: 1
urgency:
  cues: [séisme, breaking]
  urgent_points: 1
  flash_points: 2
topics:
  - id: sport
    label: Sport
    kind: category
    threshold: 0.3
    alert: {breaking: true, min_score: 0.5, max_urgency: urgent, max_per_hour: 4}
    query: 'final^2 OR match'
"""


def test_operators_tune_urgency_and_bounds_in_the_taxonomy_file() -> None:
    taxonomy = parse_taxonomy(TAXONOMY_WITH_URGENCY)

    assert taxonomy.urgency.cues == ("séisme", "breaking")
    assert taxonomy.urgency.cues_in("Un SÉISME frappe le nord") == ["séisme"]
    assert taxonomy.topic("sport").alert.max_urgency is Urgency.URGENT
    assert taxonomy.topic("sport").alert.max_per_hour == 4


def test_classify_routes_the_alert_with_labels_and_limits_and_bounds_its_urgency() -> None:
    taxonomy = parse_taxonomy(TAXONOMY_WITH_URGENCY)
    final = article("Breaking: final won in the last minute of the final", minutes_old=1)

    classification = classify_article(final, taxonomy, max_age=timedelta(hours=6))

    assert classification.breaking
    assert [(route.topic, route.label, route.max_per_hour) for route in classification.routes] == [
        ("sport", "Sport", 4)
    ]
    assert classification.urgency is Urgency.URGENT  # cue and freshness make a flash here: sport stops at urgent
    assert classification.urgency_reasons[-1] == "the topic's policy caps it at urgent"


def test_an_article_that_is_not_breaking_has_no_urgency_and_no_routes() -> None:
    stale = article("Breaking: final won", minutes_old=60 * 24)

    classification = classify_article(stale, parse_taxonomy(TAXONOMY_WITH_URGENCY), max_age=timedelta(hours=6))

    assert not classification.breaking
    assert (classification.urgency, classification.urgency_reasons, classification.routes) == (Urgency.ROUTINE, (), ())


def test_the_bundled_taxonomy_keeps_sport_and_economy_from_flashes() -> None:
    taxonomy: Taxonomy = load_taxonomy()

    assert taxonomy.topic("sport").alert.max_urgency is Urgency.URGENT
    assert taxonomy.topic("disaster").alert.max_urgency is Urgency.FLASH
