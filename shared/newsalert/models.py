"""The models that travel between the stages, as strict pydantic models.

Every stage reads and writes these and nothing else: an ``Article`` leaves
ingest, a ``ClassifiedArticle`` leaves classify, an ``Alert`` leaves notify.
They are strict (no silent coercion of types), frozen, and refuse unknown
fields, so that a producer and a consumer that disagree fail loudly at the
boundary instead of passing on half-understood data.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, with_config

from newsalert.fields import IanaZone as IanaZone
from newsalert.fields import LanguageCode as LanguageCode
from newsalert.fields import NonEmptyText as NonEmptyText
from newsalert.fields import SourcePriority as SourcePriority
from newsalert.fields import TopicId as TopicId
from newsalert.fields import Urgency as Urgency
from newsalert.fields import UtcDatetime as UtcDatetime
from newsalert.urls import canonical_url

ARTICLE_ID_PREFIX = "art-"


class StrictModel(BaseModel):
    """Base of every model that travels: strict, immutable, no unknown fields."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")


def content_fingerprint(title: str, body: str) -> str:
    """Hash of what an article says, insensitive to case, spacing and Unicode form.

    Two copies of one text that differ only in white space, letter case or
    composed/decomposed characters get the same fingerprint.
    """
    parts = (" ".join(unicodedata.normalize("NFKC", part).casefold().split()) for part in (title, body))
    # A separator no text holds, so that where the title ends is part of what is hashed.
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def article_id(url: str | None, content_hash: str) -> str:
    """A stable id: from the canonical URL when there is one, else from the content."""
    basis = f"url:{canonical_url(url)}" if url else f"content:{content_hash}"
    return ARTICLE_ID_PREFIX + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


class Article(StrictModel):
    """One news article, normalised: clean text, canonical URL, UTC times."""

    id: Annotated[str, StringConstraints(pattern=r"^art-[0-9a-f]{32}$")]
    title: NonEmptyText
    url: str | None = None
    source: NonEmptyText
    published: UtcDatetime
    received_at: UtcDatetime
    summary: str = ""
    body: str = ""
    language: LanguageCode = "en"
    content_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    flags: tuple[str, ...] = ()
    """Doubts raised while normalising, e.g. ``published-missing``, for operators to see."""
    source_timezone: IanaZone | None = None
    """The outlet's own zone, when known: alerts show the published time in it as well as in UTC."""
    source_priority: SourcePriority = "normal"
    """How much the outlet's word weighs (the feed's or the source's priority): one of the urgency signals."""

    @classmethod
    def create(
        cls,
        *,
        title: str,
        source: str,
        published: datetime,
        received_at: datetime,
        url: str | None = None,
        summary: str = "",
        body: str = "",
        language: str = "en",
        flags: tuple[str, ...] = (),
        source_timezone: str | None = None,
        source_priority: SourcePriority = "normal",
    ) -> Article:
        """Build an article, deriving its canonical URL, content hash and id."""
        canonical = canonical_url(url) if url else None
        fingerprint = content_fingerprint(title, body or summary)
        return cls(
            id=article_id(canonical, fingerprint),
            title=title,
            url=canonical,
            source=source,
            published=published,
            received_at=received_at,
            summary=summary,
            body=body,
            language=language,
            content_hash=fingerprint,
            flags=flags,
            source_timezone=source_timezone,
            source_priority=source_priority,
        )


@with_config(ConfigDict(strict=True, extra="forbid"))
@dataclass(slots=True, unsafe_hash=True)
class Evidence:
    """One reason a topic matched: which term, found as what text, where.

    A slotted dataclass rather than a ``StrictModel``: classify makes one for every piece of evidence
    of every matched topic (over a hundred for a long article), and pydantic's validation of
    each was a quarter of classifying one. Pydantic still validates it, strictly, wherever it
    is read from outside (a ``ClassifiedArticle`` from the queue, JSON from a file); the
    classifier, which builds it from offsets it has just computed, makes it directly.

    Treat it as immutable (it is hashable, and nothing changes one once made); it is not
    ``frozen`` only because a frozen dataclass sets each field through ``object.__setattr__``,
    which made building one more than twice as slow.
    """

    term: str
    """The query term or alias that matched, as the taxonomy spells it."""
    text: str
    """The text as it stands in the article."""
    field: Literal["title", "summary", "body"]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]


class TopicMatch(StrictModel):
    """A topic the article belongs to, how strongly, and why."""

    topic: TopicId
    label: str
    score: Annotated[float, Field(ge=0.0, le=1.0)]
    evidence: tuple[Evidence, ...] = ()


class StoryRef(StrictModel):
    """The story an article belongs to, as classify found it: articles about one event, from any outlet."""

    story_id: Annotated[str, StringConstraints(pattern=r"^story-[0-9a-f]{24}$")]
    new_story: bool
    """This article opened the story."""
    articles: int = Field(ge=1)
    """Articles in the story so far, this one included."""
    outlets: tuple[str, ...] = ()
    """The outlets carrying the story so far, in the order they joined, this article's included (capped)."""


class AlertRoute(StrictModel):
    """A topic an alert goes to, with what notify needs of its policy (notify does not load the taxonomy)."""

    topic: TopicId
    label: str
    max_per_hour: int = Field(ge=1)
    """Routine alerts of the topic in one hour beyond which the rest wait for its digest."""


class Classification(StrictModel):
    """What classify decided about one article."""

    article_id: str
    category: TopicId | None
    """The top-level category (politics, sport...) or None when none fits."""
    topics: tuple[TopicMatch, ...] = ()
    breaking: bool
    reason: str
    """Why the article is, or is not, breaking: shown to operators and in alerts."""
    alert_topics: tuple[TopicId, ...] = ()
    """The topics whose followers the alert goes to: those that matched strongly enough to alert
    on their own (score at least their alert policy's ``min_score``). A topic the article only
    brushes does not bring its followers an alert that is about something else."""
    routes: tuple[AlertRoute, ...] = ()
    """``alert_topics`` with their labels and hourly limits, for notify."""
    story: StoryRef | None = None
    """The story the article joined or opened (None where stories are not tracked)."""
    urgency: Urgency = Urgency.ROUTINE
    urgency_reasons: tuple[str, ...] = ()
    """What made the urgency, as clauses that read after "because" ("3 outlets carry the story")."""


class ClassifiedArticle(StrictModel):
    """What classify hands to notify: the article with its classification."""

    article: Article
    classification: Classification


class Alert(StrictModel):
    """One alert about one story, as notify publishes it: the first, or an update when the story escalates.

    Every text field holds the text as written (no HTML escaping): each channel's renderer
    makes it safe for its own medium.
    """

    alert_id: str
    """``<story id>#<update>``: one alert per story and update level, never two."""
    story_id: str
    update: int = Field(ge=0)
    """0 for the story's first alert, then 1, 2... for each escalation."""
    article_id: str
    """The article that triggered this alert (the story's first, or the one that escalated it)."""
    title: str
    url: str | None
    source: str
    source_timezone: IanaZone | None = None
    published: UtcDatetime
    language: LanguageCode = "en"
    summary: str = ""
    topics: tuple[TopicId, ...]
    """The topics the alert is routed to (the ``topics`` message attribute)."""
    topic_labels: tuple[str, ...] = ()
    """The same topics in words, in the same order."""
    urgency: Urgency = Urgency.ROUTINE
    urgency_reasons: tuple[str, ...] = ()
    other_outlets: tuple[str, ...] = ()
    """Other outlets carrying the story (shown in updates)."""


class DigestEntry(StrictModel):
    """One story held back by a topic's rate limit, waiting for the topic's next digest."""

    story_id: str
    article_id: str
    title: str
    url: str | None
    source: str
    published: UtcDatetime


class Digest(StrictModel):
    """The routine stories of one topic that its rate limit held back, sent together."""

    digest_id: str
    topic: TopicId
    topic_label: str
    period_start: UtcDatetime
    period_end: UtcDatetime
    entries: tuple[DigestEntry, ...] = Field(min_length=1)


class Fate(StrEnum):
    """Where an article that entered the pipeline ended up."""

    RECEIVED = "received"
    """Claimed by ingest and handed to classify, or being handed (the item is not written again for
    the hand-over: while the claiming attempt's lease runs it is at work, after it a retry that meets
    the article finishes the hand-over); classify gives the next fate."""
    QUEUED = "queued"
    """Handed to classify: the fate an intake ledger entry gives a new article (the article's item
    says ``received`` until classify's fate)."""
    NOT_BREAKING = "not_breaking"
    BREAKING = "breaking"
    """Classified as breaking, waiting for notify."""
    ALERTED = "alerted"
    """Its alert, its story's update, or its place in a digest went out."""
    JOINED = "joined"
    """Breaking, but its story had been alerted already and it did not escalate it: no second alert."""
    HELD = "held"
    """A routine alert over its topics' hourly limit: waiting for the next digest."""
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"
    UNFINISHED = "unfinished"
    """Not finished long after it should have been (received but never classified, or breaking but
    never notified): the sweeper marked it, counted it and raised its alarm. Its message may wait in
    a dead-letter queue: a redrive still finishes it, the later stage's fate replacing this one."""


FATES_BEFORE: dict[Fate, tuple[Fate, ...]] = {
    Fate.QUEUED: (Fate.RECEIVED, Fate.QUEUED),
    Fate.NOT_BREAKING: (Fate.RECEIVED, Fate.QUEUED, Fate.NOT_BREAKING, Fate.BREAKING, Fate.UNFINISHED),
    Fate.BREAKING: (Fate.RECEIVED, Fate.QUEUED, Fate.NOT_BREAKING, Fate.BREAKING, Fate.UNFINISHED),
    Fate.JOINED: (Fate.BREAKING, Fate.JOINED, Fate.UNFINISHED),
    Fate.HELD: (Fate.BREAKING, Fate.HELD, Fate.UNFINISHED),
    Fate.ALERTED: (Fate.BREAKING, Fate.HELD, Fate.ALERTED, Fate.UNFINISHED),
    Fate.UNFINISHED: (Fate.RECEIVED, Fate.QUEUED, Fate.BREAKING),
}
"""The fates an article may have when it is given each of these: a fate only moves forward.

SQS delivers at least once, so a stage may see an article again after a later stage has
finished with it; its late write must not undo the later fate."""


class IngestOutcome(StrictModel):
    """What ingest did with one input: the article it made, or why it refused it."""

    fate: Literal[Fate.QUEUED, Fate.DUPLICATE, Fate.QUARANTINED]
    article_id: str | None = None
    title: str | None = None
    origin: str
    """Where the input came from: a feed URL, an S3 object, an API request item."""
    reason: str | None = None
    duplicate_of: str | None = None


def intake_input(origin: str) -> str:
    """The input an origin belongs to: ``<feed URL>#item-3`` and ``api:<id>#0`` name a part of one."""
    return origin.split("#", 1)[0]
