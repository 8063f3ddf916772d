"""What the stages' domain code needs from the outside world, as protocols.

The AWS adapters (``store.ArticleStore``, ``queues.StageQueue``) satisfy these, and so do the
in-memory fakes of the unit tests: domain code depends on the protocol, never on boto3.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel

from newsalert.aws.articles_table import ClaimResult
from newsalert.models import Article, Fate, IngestOutcome


class ArticleRepository(Protocol):
    def claim(self, article: Article, *, lease_until: float) -> ClaimResult: ...

    def set_fate(self, article_id: str, fate: Fate, **details: str) -> bool: ...

    def quarantine(self, *, origin: str, reason: str, raw: bytes | str, received_at: datetime) -> str: ...

    def article_record(self, article_id: str) -> dict[str, str] | None: ...

    def record_intake(self, outcome: IngestOutcome, received_at: datetime, occurrence: int = 0) -> None: ...


class RecordQueue(Protocol):
    def send(self, record: BaseModel, *, article_id: str) -> str: ...
