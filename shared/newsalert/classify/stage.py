"""The classify stage: topics and their evidence, the story, urgency, the breaking decision, the hand-over."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import BaseModel

from newsalert.classify.breaking import decide_breaking, may_alert
from newsalert.classify.query import Mention
from newsalert.classify.taxonomy import Taxonomy
from newsalert.classify.topics import classify_document, read_article
from newsalert.classify.urgency import decide_urgency
from newsalert.classify.words import TextIndex
from newsalert.models import AlertRoute, Article, Classification, ClassifiedArticle, Fate, StoryRef, TopicMatch, Urgency
from newsalert.ports import ArticleRepository, MessageQueue


class ArticleKeeper(Protocol):
    """Keeps the articles classify read, a batch at a time (``newsalert.aws.archive.ArticleArchive``)."""

    def keep(self, articles: list[Article], *, batch_id: str, arrived: datetime) -> str | None: ...


class StoryAssigner(Protocol):
    """Puts an article in the story it tells (``newsalert.classify.stories.StoryGrouper``)."""

    def assign(
        self,
        article: Article,
        *,
        index: TextIndex | None = None,
        mentions: Mapping[str, Sequence[Mention]] | None = None,
    ) -> StoryRef: ...


def classify_article(
    article: Article, taxonomy: Taxonomy, *, max_age: timedelta, stories: StoryAssigner | None = None
) -> Classification:
    """What classify decides about ``article``, with the evidence for each topic.

    Pure but for ``stories``: an article that may alert joins its story there (an article that
    could alert no one is not worth a story), and the story's spread counts towards urgency.
    """
    document = read_article(article, taxonomy)
    category, matches = classify_document(document, taxonomy)
    breaking, reason = decide_breaking(article, matches, taxonomy, max_age=max_age)
    alerting = tuple(match for match in matches if may_alert(match, taxonomy))
    story = (
        stories.assign(article, index=document.index, mentions=document.mentions)
        if stories is not None and alerting
        else None
    )
    urgency, urgency_reasons = (
        decide_urgency(article, alerting, story, taxonomy.urgency, bounds=_bounds(alerting, taxonomy))
        if breaking
        else (Urgency.ROUTINE, ())
    )
    routed = alerting if breaking else ()
    return Classification(
        article_id=article.id,
        category=category,
        topics=matches,
        breaking=breaking,
        reason=reason,
        alert_topics=tuple(match.topic for match in routed),
        routes=tuple(_route(match, taxonomy) for match in routed),
        story=story,
        urgency=urgency,
        urgency_reasons=urgency_reasons,
    )


def _route(match: TopicMatch, taxonomy: Taxonomy) -> AlertRoute:
    policy = taxonomy.topic(match.topic).alert
    return AlertRoute(topic=match.topic, label=match.label, max_per_hour=policy.max_per_hour)


def _bounds(alerting: Sequence[TopicMatch], taxonomy: Taxonomy) -> tuple[Urgency, Urgency]:
    """The urgency the alerting topics allow: one alert reaches all their followers, so the most permissive wins."""
    policies = [taxonomy.topic(match.topic).alert for match in alerting]
    least = max((policy.min_urgency for policy in policies), key=lambda level: level.rank, default=Urgency.ROUTINE)
    most = max((policy.max_urgency for policy in policies), key=lambda level: level.rank, default=Urgency.FLASH)
    return least, most


class ClassifyStage:
    """Classify's domain. Receives its adapters; creates no AWS client."""

    def __init__(
        self,
        store: ArticleRepository,
        notify_queue: MessageQueue,
        taxonomy: Taxonomy,
        *,
        max_age: timedelta,
        stories: StoryAssigner | None = None,
        archive: ArticleKeeper | None = None,
    ) -> None:
        self._store = store
        self._queue = notify_queue
        self._taxonomy = taxonomy
        self._max_age = max_age
        self._stories = stories
        self._archive = archive
        self._read: list[Article] = []
        self._to_notify: list[tuple[BaseModel, str]] = []

    def process(self, article: Article) -> Classification:
        classification = classify_article(article, self._taxonomy, max_age=self._max_age, stories=self._stories)
        self._read.append(article)
        details = {
            "reason": classification.reason,
            "category": classification.category or "",
            "topics": json.dumps({match.topic: round(match.score, 3) for match in classification.topics}),
        }
        if classification.story is not None:
            details["story_id"] = classification.story.story_id
        if classification.breaking:
            details["urgency"] = classification.urgency.value
        fate = Fate.BREAKING if classification.breaking else Fate.NOT_BREAKING
        # The fate first: if notify has already alerted this article (a late redelivery),
        # the write is refused and nothing is handed over again.
        if self._store.set_fate(article.id, fate, **details) and classification.breaking:
            self._to_notify.append((ClassifiedArticle(article=article, classification=classification), article.id))
        return classification

    def finish_batch(self, batch_id: str) -> str | None:
        """Hand the breaking articles processed since the last call to notify (``SendMessageBatch``) and
        archive every article read, as one object; returns the archive's key.

        Raises if either fails: the whole batch then comes back, and what was already handed over
        is sent again, never alerted twice (notify's guard).
        """
        to_notify, self._to_notify = self._to_notify, []
        read, self._read = self._read, []
        if to_notify:
            self._queue.send_many(to_notify)
        if self._archive is None or not read:
            return None
        return self._archive.keep(read, batch_id=batch_id, arrived=max(article.received_at for article in read))
