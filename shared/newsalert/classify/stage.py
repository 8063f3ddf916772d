"""The classify stage: topics with explained scores, the breaking decision, the hand-over to notify."""

from __future__ import annotations

import json
from datetime import timedelta

from newsalert.classify.breaking import decide_breaking, may_alert
from newsalert.classify.taxonomy import Taxonomy
from newsalert.classify.topics import classify
from newsalert.models import Article, Classification, ClassifiedArticle, Fate
from newsalert.ports import ArticleRepository, MessageQueue


def classify_article(article: Article, taxonomy: Taxonomy, *, max_age: timedelta) -> Classification:
    """Pure: what classify decides about ``article``, with the evidence for each topic."""
    category, matches = classify(article, taxonomy)
    breaking, reason = decide_breaking(article, matches, taxonomy, max_age=max_age)
    alerting = tuple(match.topic for match in matches if may_alert(match, taxonomy))
    return Classification(
        article_id=article.id,
        category=category,
        topics=matches,
        breaking=breaking,
        reason=reason,
        alert_topics=alerting if breaking else (),
    )


class ClassifyStage:
    """Classify's domain. Receives its adapters; creates no AWS client."""

    def __init__(
        self, store: ArticleRepository, notify_queue: MessageQueue, taxonomy: Taxonomy, *, max_age: timedelta
    ) -> None:
        self._store = store
        self._queue = notify_queue
        self._taxonomy = taxonomy
        self._max_age = max_age

    def process(self, article: Article) -> Classification:
        classification = classify_article(article, self._taxonomy, max_age=self._max_age)
        details = {
            "reason": classification.reason,
            "category": classification.category or "",
            "topics": json.dumps({match.topic: round(match.score, 3) for match in classification.topics}),
        }
        fate = Fate.BREAKING if classification.breaking else Fate.NOT_BREAKING
        # The fate first: if notify has already alerted this article (a late redelivery),
        # the write is refused and nothing is handed over again.
        if self._store.set_fate(article.id, fate, **details) and classification.breaking:
            self._queue.send(ClassifiedArticle(article=article, classification=classification), article_id=article.id)
        return classification
