"""Breaking or not: fresh enough, and a topic whose alert policy is met; the reason says which."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsalert.classify.breaking import decide_breaking
from newsalert.classify.taxonomy import Taxonomy, load_taxonomy, parse_taxonomy
from newsalert.classify.topics import classify
from newsalert.models import Article, TopicMatch

RECEIVED = datetime(2024, 7, 4, 7, 41, tzinfo=UTC)
SIX_HOURS = timedelta(hours=6)
SAMPLE_TITLE = "Xi Jinping holds talks with Vladimir Putin on SCO sidelines in Kazakhstan"
SAMPLE_BODY = (
    "Xi and Putin met in Astana, the capital of Kazakhstan, on the sidelines of the Shanghai Cooperation "
    "Organisation summit, which both leaders are attending."
)

POLICIES = """
version: 1
topics:
  - id: economy
    label: Economy
    kind: category
    threshold: 0.3
    alert: {breaking: true, min_score: 0.8}
    query: inflation
  - id: arts-culture
    label: Arts
    kind: category
    threshold: 0.3
    query: museum
"""


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def policies() -> Taxonomy:
    return parse_taxonomy(POLICIES)


def make_article(
    title: str = SAMPLE_TITLE,
    body: str = SAMPLE_BODY,
    *,
    age: timedelta = timedelta(minutes=12),
    flags: tuple[str, ...] = (),
) -> Article:
    return Article.create(
        title=title,
        body=body,
        source="test",
        published=RECEIVED - age,
        received_at=RECEIVED,
        flags=flags,
    )


def decide(article: Article, taxonomy: Taxonomy, max_age: timedelta = SIX_HOURS) -> tuple[bool, str]:
    return decide_breaking(article, classify(article, taxonomy).topics, taxonomy, max_age=max_age)


def match(topic: str, score: float) -> TopicMatch:
    return TopicMatch(topic=topic, label=topic, score=score)


def test_a_fresh_article_on_a_watch_topic_is_breaking(taxonomy: Taxonomy) -> None:
    breaking, reason = decide(make_article(), taxonomy)

    assert breaking
    assert reason.startswith("breaking: matched ")
    assert "sco (0.9" in reason
    assert reason.endswith("; published 12 min before it was received")


def test_the_reason_lists_alerting_topics_best_first(policies: Taxonomy) -> None:
    matches = [match("economy", 0.85), match("arts-culture", 0.99), match("economy", 0.93)]

    assert decide_breaking(make_article(), matches, policies, max_age=SIX_HOURS) == (
        True,
        "breaking: matched economy (0.93), economy (0.85); published 12 min before it was received",
    )


def test_a_stale_article_is_not_breaking(taxonomy: Taxonomy) -> None:
    breaking, reason = decide(make_article(age=timedelta(days=2 * 365 + 1)), taxonomy)

    assert not breaking
    assert reason == "not breaking: published 2 years before it was received (limit 6 h)"


def test_an_article_exactly_at_the_limit_is_fresh(taxonomy: Taxonomy) -> None:
    breaking, reason = decide(make_article(age=SIX_HOURS), taxonomy)

    assert breaking
    assert reason.endswith("published 6 h before it was received")


def test_no_alerting_topic_names_the_best_candidate_and_its_bar(policies: Taxonomy) -> None:
    matches = [match("economy", 0.42), match("arts-culture", 0.95)]

    assert decide_breaking(make_article(), matches, policies, max_age=SIX_HOURS) == (
        False,
        "not breaking: no alerting topic matched (best: economy 0.42 < 0.8)",
    )


def test_a_score_just_below_the_bar_is_not_rounded_up_in_the_reason(policies: Taxonomy) -> None:
    _, reason = decide_breaking(make_article(), [match("economy", 0.7996)], policies, max_age=SIX_HOURS)

    assert reason == "not breaking: no alerting topic matched (best: economy 0.7996 < 0.8)"


def test_topics_that_never_alert_are_named_as_such(policies: Taxonomy) -> None:
    _, reason = decide_breaking(make_article(), [match("arts-culture", 0.95)], policies, max_age=SIX_HOURS)

    assert reason == "not breaking: no alerting topic matched (matched only topics that never alert: arts-culture 0.95)"


def test_nothing_matched(taxonomy: Taxonomy) -> None:
    assert decide(make_article("Lorem ipsum", "dolor sit amet"), taxonomy) == (
        False,
        "not breaking: no topic matched",
    )


def test_stale_and_off_topic_gives_both_reasons(taxonomy: Taxonomy) -> None:
    _, reason = decide(make_article("Lorem ipsum", "dolor sit amet", age=timedelta(days=3)), taxonomy)

    assert reason == "not breaking: published 3 days before it was received (limit 6 h); no topic matched"


def test_an_undated_article_counts_as_fresh(taxonomy: Taxonomy) -> None:
    article = make_article(age=timedelta(days=400), flags=("published-missing",))

    breaking, reason = decide(article, taxonomy)

    assert breaking
    assert reason.endswith("; publication time unknown, taken as fresh")


def test_an_article_dated_years_ahead_is_from_a_broken_source_and_never_fresh(taxonomy: Taxonomy) -> None:
    # Ingest clamped its year-9999 date to the arrival and flagged it (newsalert.ingest.published)
    article = make_article(age=timedelta(0), flags=("published-in-future", "published-implausible"))

    breaking, reason = decide(article, taxonomy)

    assert not breaking
    assert "dated more than a day after it was received (a broken source)" in reason


def test_an_article_dated_after_it_was_received_counts_as_fresh(taxonomy: Taxonomy) -> None:
    breaking, reason = decide(make_article(age=-timedelta(minutes=5)), taxonomy)

    assert breaking
    assert reason.endswith("; dated 5 min after it was received")


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(seconds=45), "45 s"),
        (timedelta(minutes=1), "1 min"),
        (timedelta(minutes=59, seconds=59), "59 min"),
        (timedelta(hours=1, minutes=30), "1 h 30 min"),
        (timedelta(hours=47), "47 h"),
        (timedelta(days=2), "2 days"),
        (timedelta(days=90), "2 months"),
        (timedelta(days=800), "2 years"),
    ],
)
def test_ages_read_naturally(taxonomy: Taxonomy, age: timedelta, expected: str) -> None:
    _, reason = decide(make_article(age=age), taxonomy, max_age=timedelta(days=3650))

    assert reason.endswith(f"published {expected} before it was received")


def test_the_decision_is_deterministic(taxonomy: Taxonomy) -> None:
    article = make_article()

    assert decide(article, taxonomy) == decide(article, taxonomy)


def test_max_age_must_be_positive(taxonomy: Taxonomy) -> None:
    with pytest.raises(ValueError, match="max_age"):
        decide(make_article(), taxonomy, max_age=timedelta(0))


def test_a_match_from_another_taxonomy_is_refused(policies: Taxonomy) -> None:
    with pytest.raises(KeyError, match="sco"):
        decide_breaking(make_article(), [match("sco", 0.9)], policies, max_age=SIX_HOURS)
