"""The notify stage: one alert per story, an update when it escalates, hourly digests for what limits held back.

For each breaking article (``notify``): read its story's alert state, decide (first alert,
update, silent join), claim the update, split its topics by their hourly limits, publish once
to the topics still under their limit (every channel in one message), hold it in the digest of
the others, record what was sent, and give the article its fate (alerted, joined or held).
Once an hour (``send_digests``) every topic's held stories go out as one digest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsalert.models import Alert, ClassifiedArticle, Digest, DigestEntry, Fate
from newsalert.notify.alerts import build_alert
from newsalert.notify.rate_limits import DigestBox, HeldStory, HourlyCounter, digests_for, hour_of, split_routes
from newsalert.notify.story_alerts import AlertDecision, Next, StoryAlertLedger, decide_next_alert, story_of
from newsalert.ports import AlertSink, ArticleRepository, Publication, RemainingTime


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
    """Published, but the ledger could not record it (the sweeper and the alarm see it)."""


@dataclass(frozen=True)
class DigestOutcome:
    digest_id: str
    topic: str
    stories: int
    message_id: str | None = None
    skipped: bool = False
    """Sent before (a repeated schedule): its stories were only cleared."""
    articles: tuple[str, ...] = field(default_factory=tuple)


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
        decision = decide_next_alert(state, classified)
        if decision.next is Next.JOIN:
            return self._join(classified, story.story_id, decision)
        if state.in_flight(now):
            raise AlertInProgressError(f"{story.story_id}#{state.pending_update} is being sent by another consumer")
        took_over = state.pending_update is not None  # a claim whose lease has run out
        if not self._ledger.claim(story.story_id, decision.update, lease_until=max(self._deadline, now), now=now):
            # Another consumer claimed or sent it in between: decide again on what it left.
            decision = decide_next_alert(self._ledger.state(story.story_id), classified)
            if decision.next is Next.JOIN:
                return self._join(classified, story.story_id, decision)
            raise AlertInProgressError(f"{story.story_id}#{decision.update} is being sent by another consumer")
        try:
            return self._send(classified, decision, took_over)
        except Exception:
            self._ledger.release(story.story_id, decision.update)
            raise

    def _join(self, classified: ClassifiedArticle, story_id: str, decision: AlertDecision) -> NotifyOutcome:
        self._articles.set_fate(classified.article.id, Fate.JOINED, story_id=story_id, reason=decision.reason)
        return NotifyOutcome(Fate.JOINED, story_id, decision.reason)

    def _send(self, classified: ClassifiedArticle, decision: AlertDecision, took_over: bool) -> NotifyOutcome:
        article, classification = classified.article, classified.classification
        story = story_of(classified)
        now = datetime.fromtimestamp(self._clock(), UTC)
        sent_to, held_for = split_routes(classification.routes, classification.urgency, self._counter, hour_of(now))
        for route in held_for:
            entry = DigestEntry(
                story_id=story.story_id,
                article_id=article.id,
                title=article.title,
                url=article.url,
                source=article.source,
                published=article.published,
            )
            self._digests.hold(HeldStory(route.topic, route.label, now, entry))
        alert = build_alert(classified, story, decision.update, tuple(sent_to))
        held = not sent_to
        message_id = None if held else self._topic.publish(self._render_alert(alert))
        record_failed = False
        try:
            self._ledger.record_sent(
                story.story_id,
                decision.update,
                urgency=classification.urgency,
                outlets=len(story.outlets),
                alert_id=alert.alert_id,
                held=held,
            )
        except Exception:
            if held:
                raise  # nothing went out: retrying is safe
            # The alert went out: failing the message would publish it again. The claim stays; it
            # runs out, and the next article of the story takes it over (counted as ``took_over``).
            record_failed = True
        held_topics = tuple(route.topic for route in held_for)
        if held:
            self._articles.set_fate(article.id, Fate.HELD, story_id=story.story_id, held_for=",".join(held_topics))
            reason = "held for the hourly digest of " + ", ".join(route.label for route in held_for)
            return NotifyOutcome(Fate.HELD, story.story_id, reason, alert.alert_id, held_for=held_topics)
        assert message_id is not None
        self._articles.set_fate(
            article.id,
            Fate.ALERTED,
            alert_id=alert.alert_id,
            message_id=message_id,
            alert_topics=",".join(alert.topics),
            alert_reason=decision.reason,
        )
        return NotifyOutcome(
            Fate.ALERTED,
            story.story_id,
            decision.reason,
            alert.alert_id,
            message_id,
            sent_to=alert.topics,
            held_for=held_topics,
            took_over=took_over,
            record_failed=record_failed,
        )

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
                message_id = self._topic.publish(self._render_digest(digest))
            except Exception:
                self._digests.release_digest(digest.digest_id)
                raise
            self._digests.clear(stories)
            for article_id in articles:
                self._mark_sent_in_digest(article_id, digest.digest_id)
            outcomes.append(
                DigestOutcome(digest.digest_id, digest.topic, len(digest.entries), message_id, articles=articles)
            )
        return outcomes

    def _mark_sent_in_digest(self, article_id: str, digest_id: str) -> None:
        try:
            self._articles.set_fate(article_id, Fate.ALERTED, digest_id=digest_id)
        except LookupError:
            return  # its item has expired: nothing left to record it on
