"""One alert per story, then an update only when the story escalates: the decision, and the ledger it reads.

A story's first breaking article alerts. Later articles of the same story join it silently,
unless the story **escalates**: its urgency rises above the last alert's, or markedly more
outlets carry it (at least twice as many as at the last alert, and at least three more). Then one
update goes out, numbered after the last (``<story>#1``, ``<story>#2``...), with the same
collapse id so that a phone replaces the earlier notification.

The ledger keeps, per story, the last update sent and what it said, and at most one update *in
flight*: an update is claimed (a conditional write, with the attempt's token and a lease) before
it is published, marked *publishing* with what it says just before the publish, and recorded as
sent after. Of two consumers that decide the same update, one claims it and the other waits; a
redelivered message finds the update sent and joins (or, for the article that sent it, finds its
own alert).

An update is published at most once. A claim whose lease ran out before it was marked publishing
belongs to an attempt that died before sending: the next claim takes it over and sends it. A
claim marked publishing whose attempt never recorded the outcome (SNS's answer lost, the function
crashed, the record throttled) may have gone out: it is never published again but *settled* as
sent and **unconfirmed** (counted, alarmed; see the README's "Guarantees").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from newsalert.models import ClassifiedArticle, StoryRef, Urgency

OUTLET_GROWTH_FACTOR = 2
"""An update for spread needs this many times the outlets of the last alert..."""
OUTLET_GROWTH_MINIMUM = 3
"""...and at least this many more (so three outlets on a story alerted at one make no update on their own:
their spread already counts towards its urgency)."""


@dataclass(frozen=True)
class StoryAlertState:
    """What the ledger holds for one story."""

    story_id: str
    sent_update: int | None = None
    """The last update level sent (0: the first alert); None before any."""
    sent_urgency: Urgency | None = None
    sent_outlets: int = 0
    """How many outlets carried the story when the last update was sent."""
    sent_alert_id: str | None = None
    held: bool = False
    """The last update went to the topics' digests, not out on its own (rate limit)."""
    pending_update: int | None = None
    """An update claimed and not yet recorded as sent."""
    pending_until: float | None = None
    """When that claim's lease runs out (epoch seconds)."""
    publishing: bool = False
    """The claim reached its publish: once its lease has run out, it is settled, never sent again."""
    sent_article: str | None = None
    """The article whose alert the last update was (its redelivery finds its own alert, not a story to join)."""
    unconfirmed: bool = False
    """The last update's publish had no answer: it may or may not have reached SNS."""

    def in_flight(self, now: float) -> bool:
        return self.pending_update is not None and (self.pending_until or 0.0) > now

    def abandoned_publish(self, now: float) -> bool:
        """A claim that reached its publish and whose attempt ended without recording the outcome."""
        return self.publishing and self.pending_update is not None and not self.in_flight(now)


@dataclass(frozen=True)
class PendingAlert:
    """What an update says, written with the publishing mark so that settling it can record it."""

    urgency: Urgency
    outlets: int
    alert_id: str
    article_id: str


class StoryAlertLedger(Protocol):
    """Where each story's alert state is kept (``newsalert.aws.alert_ledger`` in AWS)."""

    def state(self, story_id: str) -> StoryAlertState: ...

    def claim(self, story_id: str, update: int, *, lease_until: float, now: float) -> str | None:
        """Claim ``update`` for the story: only when the last one sent is ``update - 1`` (none, for 0)
        and no other claim is in flight, nor one that reached its publish. Returns the attempt's token,
        or None when another consumer got there first."""
        ...

    def mark_publishing(self, story_id: str, update: int, *, attempt: str, alert: PendingAlert) -> bool:
        """Note, just before the publish, that ``attempt`` is publishing ``alert``; False when the
        claim is no longer this attempt's."""
        ...

    def record_sent(self, story_id: str, update: int, *, attempt: str, alert: PendingAlert, held: bool) -> None:
        """The claimed update went out (or, ``held``, to the digests): it is now the story's last.
        Raises ``LookupError`` when the claim is no longer this attempt's."""
        ...

    def settle_unconfirmed(self, story_id: str, update: int, *, now: float, attempt: str | None = None) -> bool:
        """Record a publish whose outcome is unknown as sent, unconfirmed: the publishing claim of
        ``attempt`` or, without one, any publishing claim whose lease ran out before ``now``."""
        ...

    def release(self, story_id: str, update: int, *, attempt: str) -> None:
        """Give up a claim that sent nothing, so that the retry can claim it at once."""
        ...


class Next(StrEnum):
    FIRST = "first"
    UPDATE = "update"
    JOIN = "join"


@dataclass(frozen=True)
class AlertDecision:
    next: Next
    update: int
    """The update level to send (FIRST: 0); for JOIN, the level the story is at."""
    reason: str


def story_of(classified: ClassifiedArticle) -> StoryRef:
    """The article's story; an article classify did not group stands alone in a story of its own."""
    story = classified.classification.story
    if story is not None:
        return story
    article = classified.article
    return StoryRef(
        story_id="story-" + article.id.removeprefix("art-")[:24], new_story=True, articles=1, outlets=(article.source,)
    )


def decide_next_alert(state: StoryAlertState, classified: ClassifiedArticle) -> AlertDecision:
    """First alert, update, or silent join, for a breaking article of the story ``state`` describes."""
    if state.sent_update is None:
        return AlertDecision(Next.FIRST, 0, "the story's first breaking article")
    urgency = classified.classification.urgency
    last = state.sent_urgency or Urgency.ROUTINE
    if urgency.rank > last.rank:
        return AlertDecision(
            Next.UPDATE, state.sent_update + 1, f"the story's urgency rose from {last.value} to {urgency.value}"
        )
    outlets = len(story_of(classified).outlets)
    wanted = max(state.sent_outlets * OUTLET_GROWTH_FACTOR, state.sent_outlets + OUTLET_GROWTH_MINIMUM)
    if outlets >= wanted:
        return AlertDecision(
            Next.UPDATE,
            state.sent_update + 1,
            f"{outlets} outlets now carry the story ({state.sent_outlets} at its last alert)",
        )
    where = "the digest" if state.held else state.sent_alert_id or f"{state.story_id}#{state.sent_update}"
    unconfirmed = " (its delivery unconfirmed)" if state.unconfirmed else ""
    return AlertDecision(Next.JOIN, state.sent_update, f"joined its story, already alerted in {where}{unconfirmed}")
