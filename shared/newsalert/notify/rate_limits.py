"""Per-topic hourly limits, and the digest where routine stories over the limit wait.

The overflow rule: each topic allows ``max_per_hour`` routine alerts in a clock hour (UTC).
Beyond it, a routine story is not alerted to that topic's followers on its own: it waits in the
topic's digest, which goes out once an hour with every story held since the last one. An alert
routed to several topics goes to those still under their limit and waits in the digest for the
others. Urgent and flash alerts are never held: they are counted, and go out.

Counting happens before the publish, so a publish that fails and is retried counts twice: the
limit errs towards holding a routine alert back a little early, never towards a flood.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsalert.models import AlertRoute, Digest, DigestEntry, Urgency

MAX_DIGEST_ENTRIES = 30
"""Stories in one digest message; more held stories of a topic make several digests."""


def hour_of(moment: datetime) -> str:
    """The clock hour (UTC) a limit counts in: ``2024070409``."""
    return moment.strftime("%Y%m%d%H")


class HourlyCounter(Protocol):
    """Alerts sent per topic and hour (``newsalert.aws.alert_ledger`` in AWS)."""

    def take(self, topic: str, hour: str, *, limit: int | None) -> bool:
        """Count one alert for ``topic`` in ``hour``; with a ``limit``, only while under it (False, counting
        nothing, once it is reached)."""
        ...


@dataclass(frozen=True)
class HeldStory:
    """A story waiting in one topic's digest."""

    topic: str
    topic_label: str
    held_at: datetime
    entry: DigestEntry


class DigestBox(Protocol):
    """Where held stories wait, and the record of digests sent (``newsalert.aws.alert_ledger`` in AWS)."""

    def hold(self, held: HeldStory) -> None: ...

    def held(self) -> list[HeldStory]:
        """Every story waiting, oldest first."""
        ...

    def clear(self, stories: list[HeldStory]) -> None: ...

    def claim_digest(self, digest_id: str) -> bool:
        """Claim a digest before publishing it; False when it was sent (or is being sent) already."""
        ...

    def release_digest(self, digest_id: str) -> None: ...


def split_routes(
    routes: tuple[AlertRoute, ...], urgency: Urgency, counter: HourlyCounter, hour: str
) -> tuple[list[AlertRoute], list[AlertRoute]]:
    """The routes the alert goes out to now, and those where it waits for the digest."""
    sent: list[AlertRoute] = []
    held: list[AlertRoute] = []
    for route in routes:
        limit = route.max_per_hour if urgency is Urgency.ROUTINE else None
        (sent if counter.take(route.topic, hour, limit=limit) else held).append(route)
    return sent, held


def digests_for(held: list[HeldStory], now: datetime) -> list[tuple[Digest, list[HeldStory]]]:
    """The digests to send for what is held, one or more per topic, each with the held stories it clears.

    A story held twice for one topic (a redelivered message) appears once; its copy is cleared with it.
    """
    by_topic: dict[str, list[HeldStory]] = defaultdict(list)
    for story in sorted(held, key=lambda story: (story.held_at, story.entry.story_id)):
        by_topic[story.topic].append(story)
    digests = []
    for topic, stories in sorted(by_topic.items()):
        first_of: dict[str, HeldStory] = {}
        copies = []
        for story in stories:
            if story.entry.story_id in first_of:
                copies.append(story)
            else:
                first_of[story.entry.story_id] = story
        unique = list(first_of.values())
        for part, start in enumerate(range(0, len(unique), MAX_DIGEST_ENTRIES)):
            chunk = unique[start : start + MAX_DIGEST_ENTRIES]
            digest = Digest(
                digest_id=f"digest-{topic}-{hour_of(now)}-{part}",
                topic=topic,
                topic_label=chunk[0].topic_label,
                period_start=min(story.held_at for story in chunk),
                period_end=now,
                entries=tuple(story.entry for story in chunk),
            )
            digests.append((digest, chunk + (copies if part == 0 else [])))
    return digests
