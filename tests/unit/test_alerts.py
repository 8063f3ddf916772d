"""Alerts: one per story and update level, to the routes given, with the article's text as written."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newsalert.models import Alert, AlertRoute, Article, Classification, ClassifiedArticle, StoryRef, TopicMatch
from newsalert.notify.alerts import build_alert
from newsalert.notify.story_alerts import story_of

PUBLISHED = datetime(2024, 7, 4, 7, 29, tzinfo=UTC)


def classified(
    *,
    title: str = "Earthquake strikes off the coast of Japan",
    url: str | None = "https://news.example.com/world/quake?id=9",
    topics: tuple[str, ...] = ("earthquakes",),
    category: str | None = "world",
    reason: str = "Fresh report of a magnitude 7.1 earthquake",
    source: str = "Example Wire",
    alerting: tuple[str, ...] | None = None,
) -> ClassifiedArticle:
    article = Article.create(
        title=title,
        source=source,
        published=PUBLISHED,
        received_at=datetime(2024, 7, 4, 7, 40, tzinfo=UTC),
        url=url,
        summary="A magnitude 7.1 earthquake struck on Thursday.",
    )
    return ClassifiedArticle(
        article=article,
        classification=Classification(
            article_id=article.id,
            category=category,
            topics=tuple(TopicMatch(topic=topic, label=topic.title(), score=0.9) for topic in topics),
            breaking=True,
            reason=reason,
            alert_topics=topics if alerting is None else alerting,
        ),
    )


def routes_of(source: ClassifiedArticle) -> tuple[AlertRoute, ...]:
    return tuple(
        AlertRoute(topic=topic, label=topic.title(), max_per_hour=12) for topic in source.classification.alert_topics
    )


def alert(**overrides: Any) -> Alert:
    source = classified(**overrides)
    return build_alert(source, story_of(source), 0, routes_of(source))


# ------------------------------------------------------------------------ build_alert


def test_an_alert_goes_to_the_routes_it_is_given_in_their_order_with_their_labels() -> None:
    source = classified(topics=("world", "earthquakes"), alerting=("world", "earthquakes"))

    built = build_alert(source, story_of(source), 0, routes_of(source)[1:])

    assert (built.topics, built.topic_labels) == (("earthquakes",), ("Earthquakes",))


def test_alert_carries_the_article_and_its_place_in_the_story() -> None:
    source = classified()
    story = StoryRef(
        story_id="story-" + "a" * 24, new_story=False, articles=3, outlets=("Example Wire", "Desk Two", "Desk Three")
    )

    built = build_alert(source, story, 2, routes_of(source))

    assert built.article_id == source.article.id
    assert (built.story_id, built.update, built.alert_id) == (story.story_id, 2, story.story_id + "#2")
    assert (built.title, built.url, built.source) == (source.article.title, source.article.url, "Example Wire")
    assert built.published == PUBLISHED
    assert built.other_outlets == ("Desk Two", "Desk Three")  # the alert's own outlet is not "another"


def test_an_article_without_a_story_stands_alone_with_a_stable_alert_id() -> None:
    # Retries of notify must not alert twice: the alert id follows the story, here the article's own.
    assert alert().alert_id == alert(reason="another wording").alert_id
    assert alert().alert_id.endswith("#0")
