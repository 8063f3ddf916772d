"""The notify stage: publish one alert per breaking article and record that it went out."""

from __future__ import annotations

from dataclasses import dataclass

from newsalert.models import ClassifiedArticle, Fate
from newsalert.notify.alerts import build_alert, render_messages, subject_line
from newsalert.ports import AlertSink, ArticleRepository, OncePerArticle, RemainingTime


@dataclass(frozen=True)
class SentAlert:
    alert_id: str
    message_id: str
    """The SNS message id of the publish."""
    published_now: bool
    """False when an earlier delivery of the same article had already published it."""


class NotifyStage:
    """Notify's domain. Receives its adapters; creates no AWS client."""

    def __init__(self, store: ArticleRepository, publisher: AlertSink, once: OncePerArticle) -> None:
        self._store = store
        self._publisher = publisher
        self._once = once

    def begin_invocation(self, remaining: RemainingTime) -> None:
        self._once.begin_invocation(remaining)

    def alert(self, classified: ClassifiedArticle) -> SentAlert:
        """Publish the alert for ``classified``, unless it has been published already."""
        published: list[bool] = []

        def publish(classified: ClassifiedArticle) -> dict[str, str]:
            sent = self._publish(classified)
            published.append(True)
            return sent

        result = self._once.run(publish, classified)
        return SentAlert(result["alert_id"], result["message_id"], published_now=bool(published))

    def _publish(self, classified: ClassifiedArticle) -> dict[str, str]:
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
        return {"alert_id": alert.alert_id, "message_id": message_id}
