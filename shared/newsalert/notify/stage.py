"""The notify stage: one alert per story, an update when it escalates, hourly digests for what limits held back.

For each breaking article (``notify``): read its story's alert state, decide (first alert,
update, silent join), claim the update, split its topics by their hourly limits, publish once
to the topics still under their limit (every channel in one message), hold it in the digest of
the others, record what was sent, and give the article its fate (alerted, joined or held).
Once an hour (``send_digests``) every topic's held stories go out as one digest.

Nothing is published twice. A publish is retried only when the sink says surely nothing went out
(``PublishNotSentError``); one that got no answer is recorded as sent with its delivery
*unconfirmed*, and a redelivered message finds it there (``newsalert.notify.story_alerts``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsalert.models import Alert, ClassifiedArticle, Digest, DigestEntry, Fate
from newsalert.notify.alerts import build_alert
from newsalert.notify.rate_limits import DigestBox, HeldStory, HourlyCounter, digests_for, hour_of, split_routes
from newsalert.notify.story_alerts import (
    AlertDecision,
    Next,
    PendingAlert,
    StoryAlertLedger,
    StoryAlertState,
    decide_next_alert,
    story_of,
)
from newsalert.ports import AlertSink, ArticleRepository, Publication, PublishNotSentError, RemainingTime

UNCONFIRMED = "unconfirmed"
"""The ``delivery`` an article's item records when its alert's publish got no answer."""


class AlertInProgressError(RuntimeError):
    """Another consumer holds the claim on this story's next update: the message is retried later."""


@dataclass(frozen=True)
class NotifyOutcome:
    """What notify did with one breaking article."""

    fate: Fate
    story_id: str
    reason: str
    alert_id: str | None = None
    message_id: str | None = None
    sent_to: tuple[str, ...] = ()
    """Topics the alert went out to."""
    held_for: tuple[str, ...] = ()
    """Topics whose digest it waits in (their hourly limit was reached)."""
    took_over: bool = False
    """It claimed an update whose earlier claim had run out: that attempt may have published it already."""
    record_failed: bool = False
    """Published, but the ledger could not record it (the story's next article or the sweeper settles it)."""
    unconfirmed: bool = False
    """The publish got no answer (a 5xx, a timeout): the alert may or may not have gone out, and it is
    never published again (``AlertsUnconfirmed`` counts these; see the README's "Guarantees")."""
    already_sent: bool = False
    """A redelivery of the message whose article sent the story's last update: nothing published now."""
    error: str | None = None


@dataclass(frozen=True)
class DigestOutcome:
    digest_id: str
    topic: str
    stories: int
    message_id: str | None = None
    skipped: bool = False
    """Sent before (a repeated schedule): its stories were only cleared."""
    articles: tuple[str, ...] = field(default_factory=tuple)
    unconfirmed: bool = False
    """The publish got no answer: the digest may have gone out, and is never sent again."""


class NotifyStage:
    """Notify's domain. Receives its adapters; creates no AWS client."""

    def __init__(
        self,
        articles: ArticleRepository,
        ledger: StoryAlertLedger,
        counter: HourlyCounter,
        digests: DigestBox,
        topic: AlertSink,
        *,
        render_alert: Callable[[Alert], Publication],
        render_digest: Callable[[Digest], Publication],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._articles = articles
        self._ledger = ledger
        self._counter = counter
        self._digests = digests
        self._topic = topic
        self._render_alert = render_alert
        self._render_digest = render_digest
        self._clock = clock
        self._deadline = 0.0

    def begin_invocation(self, remaining: RemainingTime) -> None:
        """Note when this invocation ends at the latest: the lease on the updates it claims."""
        self._deadline = self._clock() + remaining.get_remaining_time_in_millis() / 1000

    # ---------------------------------------------------------------- alerts
    def notify(self, classified: ClassifiedArticle) -> NotifyOutcome:
        story = story_of(classified)
        now = self._clock()
        state = self._ledger.state(story.story_id)
        if state.abandoned_publish(now):
            # An earlier attempt reached its publish and never said how it ended: the update may have
            # gone out, so it is settled as sent (unconfirmed), never published a second time.
            assert state.pending_update is not None
            self._ledger.settle_unconfirmed(story.story_id, state.pending_update, now=now)
            state = self._ledger.state(story.story_id)
        decision = decide_next_alert(state, classified)
        if decision.next is Next.JOIN:
            return self._join(classified, story.story_id, decision, state)
        if state.in_flight(now):
            raise AlertInProgressError(f"{story.story_id}#{state.pending_update} is being sent by another consumer")
        took_over = state.pending_update is not None  # a claim whose attempt died before its publish
        attempt = self._ledger.claim(story.story_id, decision.update, lease_until=max(self._deadline, now), now=now)
        if attempt is None:
            # Another consumer claimed or sent it in between: decide again on what it left.
            state = self._ledger.state(story.story_id)
            decision = decide_next_alert(state, classified)
            if decision.next is Next.JOIN:
                return self._join(classified, story.story_id, decision, state)
            raise AlertInProgressError(f"{story.story_id}#{decision.update} is being sent by another consumer")
        return self._send(classified, decision, attempt, took_over)

    def _join(
        self, classified: ClassifiedArticle, story_id: str, decision: AlertDecision, state: StoryAlertState
    ) -> NotifyOutcome:
        article_id = classified.article.id
        if state.sent_article == article_id:
            return self._own_alert_again(article_id, story_id, decision, state)
        self._articles.set_fate(article_id, Fate.JOINED, story_id=story_id, reason=decision.reason)
        return NotifyOutcome(Fate.JOINED, story_id, decision.reason)

    def _own_alert_again(
        self, article_id: str, story_id: str, decision: AlertDecision, state: StoryAlertState
    ) -> NotifyOutcome:
        """A redelivered message whose article sent the story's last update: give it that fate again
        (its first delivery may have ended before writing it), publish nothing."""
        alert_id = state.sent_alert_id or f"{story_id}#{decision.update}"
        if state.held:
            self._articles.set_fate(article_id, Fate.HELD, story_id=story_id)
            return NotifyOutcome(Fate.HELD, story_id, "held for the hourly digest", alert_id, already_sent=True)
        details = {"alert_id": alert_id}
        if state.unconfirmed:
            details["delivery"] = UNCONFIRMED
        self._articles.set_fate(article_id, Fate.ALERTED, **details)
        reason = "its alert went out on an earlier delivery of this message"
        return NotifyOutcome(Fate.ALERTED, story_id, reason, alert_id, already_sent=True, unconfirmed=state.unconfirmed)

    def _send(
        self, classified: ClassifiedArticle, decision: AlertDecision, attempt: str, took_over: bool
    ) -> NotifyOutcome:
        article, classification = classified.article, classified.classification
        story = story_of(classified)
        story_id, update = story.story_id, decision.update
        now = datetime.fromtimestamp(self._clock(), UTC)
        try:
            sent_to, held_for = split_routes(classification.routes, classification.urgency, self._counter, hour_of(now))
            for route in held_for:
                entry = DigestEntry(
                    story_id=story_id,
                    article_id=article.id,
                    title=article.title,
                    url=article.url,
                    source=article.source,
                    published=article.published,
                )
                self._digests.hold(HeldStory(route.topic, route.label, now, entry))
            alert = build_alert(classified, story, update, tuple(sent_to))
            pending = PendingAlert(classification.urgency, len(story.outlets), alert.alert_id, article.id)
            held = not sent_to
            if held:
                self._ledger.record_sent(story_id, update, attempt=attempt, alert=pending, held=True)
            else:
                publication = self._render_alert(alert)
                if not self._ledger.mark_publishing(story_id, update, attempt=attempt, alert=pending):
                    raise AlertInProgressError(f"{alert.alert_id}: the claim ran out before the publish")
        except Exception:
            self._ledger.release(story_id, update, attempt=attempt)  # nothing went out: the retry sends it
            raise
        held_topics = tuple(route.topic for route in held_for)
        if held:
            self._articles.set_fate(article.id, Fate.HELD, story_id=story_id, held_for=",".join(held_topics))
            reason = "held for the hourly digest of " + ", ".join(route.label for route in held_for)
            return NotifyOutcome(Fate.HELD, story_id, reason, alert.alert_id, held_for=held_topics)
        fate_details = {
            "alert_id": alert.alert_id,
            "alert_topics": ",".join(alert.topics),
            "alert_reason": decision.reason,
        }
        try:
            message_id = self._topic.publish(publication)
        except PublishNotSentError:
            self._ledger.release(story_id, update, attempt=attempt)
            raise
        except Exception as error:  # no answer: it may have gone out, so it is never published again
            self._settle_after_lost_answer(story_id, update, attempt)
            self._articles.set_fate(article.id, Fate.ALERTED, delivery=UNCONFIRMED, **fate_details)
            return NotifyOutcome(
                Fate.ALERTED,
                story_id,
                decision.reason,
                alert.alert_id,
                sent_to=alert.topics,
                held_for=held_topics,
                took_over=took_over,
                unconfirmed=True,
                error=f"{type(error).__name__}: {error}"[:500],
            )
        record_failed = False
        try:
            self._ledger.record_sent(story_id, update, attempt=attempt, alert=pending, held=False)
        except Exception:
            # The alert went out: failing the message would only bring it back. The publishing mark
            # stays; the story's next article (or the sweeper) settles it, never publishing it again.
            record_failed = True
        self._articles.set_fate(article.id, Fate.ALERTED, message_id=message_id, **fate_details)
        return NotifyOutcome(
            Fate.ALERTED,
            story_id,
            decision.reason,
            alert.alert_id,
            message_id,
            sent_to=alert.topics,
            held_for=held_topics,
            took_over=took_over,
            record_failed=record_failed,
        )

    def _settle_after_lost_answer(self, story_id: str, update: int, attempt: str) -> None:
        try:
            self._ledger.settle_unconfirmed(story_id, update, now=self._clock(), attempt=attempt)
        except Exception:
            return  # the publishing mark stays: the story's next article or the sweeper settles it

    # --------------------------------------------------------------- digests
    def send_digests(self, now: datetime) -> list[DigestOutcome]:
        """Send every topic's held stories as one digest (or a few, for a long one)."""
        outcomes = []
        for digest, stories in digests_for(self._digests.held(), now):
            articles = tuple(entry.article_id for entry in digest.entries)
            if not self._digests.claim_digest(digest.digest_id):
                self._digests.clear(stories)
                outcomes.append(DigestOutcome(digest.digest_id, digest.topic, len(stories), skipped=True))
                continue
            try:
                publication = self._render_digest(digest)
                message_id: str | None = self._topic.publish(publication)
            except PublishNotSentError:
                self._digests.release_digest(digest.digest_id)
                raise
            except Exception:
                # No answer: the digest may have gone out, so its claim stays and it is never sent again.
                message_id = None
            self._digests.clear(stories)
            for article_id in articles:
                self._mark_sent_in_digest(article_id, digest.digest_id, confirmed=message_id is not None)
            outcomes.append(
                DigestOutcome(
                    digest.digest_id,
                    digest.topic,
                    len(digest.entries),
                    message_id,
                    articles=articles,
                    unconfirmed=message_id is None,
                )
            )
        return outcomes

    def _mark_sent_in_digest(self, article_id: str, digest_id: str, *, confirmed: bool) -> None:
        details = {"digest_id": digest_id} if confirmed else {"digest_id": digest_id, "delivery": UNCONFIRMED}
        try:
            self._articles.set_fate(article_id, Fate.ALERTED, **details)
        except LookupError:
            return  # its item has expired: nothing left to record it on
