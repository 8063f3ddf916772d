"""In-memory stand-ins for the articles table and a stage queue, for testing the domain without AWS.

They keep the contracts of ``newsalert.aws.articles_table.ArticlesTable`` and ``newsalert.aws.queues.StageQueue``
that the stages rely on (dedup by id and by text, leases, fates that only move forward,
quarantine ids) and expose what they hold so that tests can look inside.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel

# The domain's rule of which fate may follow which, as the real table applies it.
from newsalert.models import FATES_BEFORE, Article, Fate, IngestOutcome, intake_input
from newsalert.ports import Claim, ClaimResult


@dataclass
class StoredArticle:
    article: Article
    status: Fate
    lease_until: float
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QuarantinedInput:
    origin: str
    reason: str
    raw: bytes
    received_at: datetime


class FakeArticlesTable:
    """The articles table in memory, with ``ArticlesTable``'s semantics."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.articles: dict[str, StoredArticle] = {}
        self.text_owners: dict[str, str] = {}
        """Content hash -> id of the first article that carried that text."""
        self.quarantined: dict[str, QuarantinedInput] = {}
        self.ledger: dict[tuple[str, str], IngestOutcome] = {}
        """The intake ledger: (input, entry key) -> the first outcome recorded for it."""
        self._clock = clock

    def record_intake(self, outcome: IngestOutcome, received_at: datetime, occurrence: int = 0) -> None:
        key = (intake_input(outcome.origin), f"{outcome.origin}|{outcome.article_id or ''}|{occurrence}")
        self.ledger.setdefault(key, outcome)

    def intake(self, input_name: str) -> list[IngestOutcome]:
        return [outcome for (name, _), outcome in sorted(self.ledger.items()) if name == input_name]

    def claim(self, article: Article, *, lease_until: float) -> ClaimResult:
        stored = self.articles.get(article.id)
        if stored is not None:
            # As in the real store, a known id decides before a known text does.
            if stored.status is Fate.RECEIVED and stored.lease_until < self._clock():
                stored.lease_until = lease_until  # the attempt that stored it is over: take it over
                return ClaimResult(Claim.UNFINISHED, duplicate_of=article.id)
            return ClaimResult(Claim.DUPLICATE, duplicate_of=article.id)
        owner = self.text_owners.get(article.content_hash)
        if owner is not None:
            return ClaimResult(Claim.DUPLICATE, duplicate_of=owner)
        self.articles[article.id] = StoredArticle(article, Fate.RECEIVED, lease_until)
        self.text_owners[article.content_hash] = article.id
        return ClaimResult(Claim.NEW)

    def set_fate(self, article_id: str, fate: Fate, **details: str) -> bool:
        stored = self.articles.get(article_id)
        if stored is None:
            raise LookupError(f"no article {article_id} in the fake store: ingest never stored it")
        if stored.status not in FATES_BEFORE[fate]:
            return False
        stored.status = fate
        stored.details.update(details)
        return True

    def quarantine(self, *, origin: str, reason: str, raw: bytes | str, received_at: datetime) -> str:
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        # The real id: the same input from the same origin lands on the same record.
        quarantine_id = "q-" + hashlib.sha256(origin.encode("utf-8") + b"\0" + data).hexdigest()[:32]
        self.quarantined[quarantine_id] = QuarantinedInput(origin, reason, data, received_at)
        return quarantine_id

    def article_item(self, article_id: str) -> dict[str, str] | None:
        stored = self.articles.get(article_id)
        if stored is None:
            return None
        article = stored.article
        return {
            "status": stored.status.value,
            "title": article.title,
            "source": article.source,
            "received_at": article.received_at.isoformat(),
            "article": article.model_dump_json(),
            "lease_until": f"{stored.lease_until:.3f}",
            **stored.details,
        }


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    article_id: str
    body: str


class FakeStageQueue:
    """A stage queue in memory: remembers every message, in order."""

    def __init__(self) -> None:
        self.messages: list[SentMessage] = []

    def send(self, record: BaseModel, *, article_id: str) -> str:
        message_id = f"message-{len(self.messages) + 1}"
        self.messages.append(SentMessage(message_id, article_id, record.model_dump_json()))
        return message_id

    def articles(self) -> list[Article]:
        """The articles sent, read back from JSON as the next stage reads them."""
        return [Article.model_validate_json(message.body) for message in self.messages]
