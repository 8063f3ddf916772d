"""The notify stage: publish one alert per breaking article and record that it went out."""

from __future__ import annotations

from newsalert.aws.alerts_topic import AlertPublisher
from newsalert.models import Alert, ClassifiedArticle, Fate
from newsalert.notify.alerts import build_alert, render_messages, subject_line
from newsalert.ports import ArticleRepository


class Notifier:
    """Notify's domain. Receives its adapters; creates no AWS client."""

    def __init__(self, store: ArticleRepository, publisher: AlertPublisher) -> None:
        self._store = store
        self._publisher = publisher

    def alert(self, classified: ClassifiedArticle) -> tuple[Alert, str]:
        """Publish the alert for ``classified``; returns it with the SNS message id."""
        alert = build_alert(classified)
        summary = classified.article.summary or classified.article.body[:400]
        message_id = self._publisher.publish(
            alert, subject=subject_line(alert), messages=render_messages(alert, summary)
        )
        self._store.set_fate(
            alert.article_id,
            Fate.ALERTED,
            alert_id=alert.alert_id,
            message_id=message_id,
            alert_topics=",".join(alert.topics),
        )
        return alert, message_id
