"""The articles table: one record per article, its dedup keys, and quarantined input.

Layout (one table, ``pk``/``sk``):

- ``ARTICLE#<id>`` / ``ARTICLE``: the article, its fate (``status``) and why.
- ``DEDUP#<content hash>`` / ``DEDUP``: claims a text for the first article that carried it,
  so the same story under another URL is a duplicate too.
- ``QUARANTINE#<id>`` / ``QUARANTINE``: input that could not be used, with its reason and
  the raw bytes or payload (cut to ``QUARANTINE_RAW_LIMIT``).

Duplicates are refused by conditional writes in one transaction, never by read-then-write,
so two concurrent ingests of one item cannot both pass.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from newsalert.models import Article, Fate

RETENTION = timedelta(days=30)
QUARANTINE_RAW_LIMIT = 64 * 1024
_CONDITION_FAILED = "ConditionalCheckFailed"


class Claim(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    UNFINISHED = "unfinished"
    """Stored earlier, but the hand-over to classify never finished: a retry should finish it."""


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    duplicate_of: str | None = None


def _expiry(now: datetime) -> str:
    return str(int((now + RETENTION).timestamp()))


class ArticleStore:
    """DynamoDB access for the articles table. Receives its client; never creates one."""

    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._dynamodb = dynamodb
        self._table = table_name

    def claim(self, article: Article) -> ClaimResult:
        """Store ``article`` unless its id or its text is already known."""
        expires = _expiry(article.received_at)
        article_item = {
            "pk": {"S": f"ARTICLE#{article.id}"},
            "sk": {"S": "ARTICLE"},
            "status": {"S": Fate.RECEIVED.value},
            "title": {"S": article.title},
            "source": {"S": article.source},
            "received_at": {"S": article.received_at.isoformat()},
            "article": {"S": article.model_dump_json()},
            "expires_at": {"N": expires},
        }
        dedup_item = {
            "pk": {"S": f"DEDUP#{article.content_hash}"},
            "sk": {"S": "DEDUP"},
            "article_id": {"S": article.id},
            "expires_at": {"N": expires},
        }
        not_there = "attribute_not_exists(pk)"
        try:
            self._dynamodb.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": self._table, "Item": article_item, "ConditionExpression": not_there}},
                    {"Put": {"TableName": self._table, "Item": dedup_item, "ConditionExpression": not_there}},
                ]
            )
        except self._dynamodb.exceptions.TransactionCanceledException as error:
            reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if _CONDITION_FAILED not in reasons:
                raise
            return self._explain_refusal(article, same_id=reasons[0] == _CONDITION_FAILED)
        return ClaimResult(Claim.NEW)

    def _explain_refusal(self, article: Article, *, same_id: bool) -> ClaimResult:
        if not same_id:
            owner = self._dynamodb.get_item(
                TableName=self._table,
                Key={"pk": {"S": f"DEDUP#{article.content_hash}"}, "sk": {"S": "DEDUP"}},
                ConsistentRead=True,
            ).get("Item", {})
            return ClaimResult(Claim.DUPLICATE, duplicate_of=owner.get("article_id", {}).get("S"))
        record = self.article_record(article.id) or {}
        if record.get("status") == Fate.RECEIVED.value:
            return ClaimResult(Claim.UNFINISHED, duplicate_of=article.id)
        return ClaimResult(Claim.DUPLICATE, duplicate_of=article.id)

    def article_record(self, article_id: str) -> dict[str, str] | None:
        """The stored record of an article as plain strings, or None."""
        item = self._dynamodb.get_item(
            TableName=self._table,
            Key={"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": "ARTICLE"}},
            ConsistentRead=True,
        ).get("Item")
        if item is None:
            return None
        return {key: value.get("S", value.get("N", "")) for key, value in item.items()}

    def set_fate(self, article_id: str, fate: Fate, **details: str) -> None:
        """Record where an article has got to, with any details (reason, topics, message id)."""
        names = {"#status": "status"}
        values = {":status": {"S": fate.value}}
        assignments = ["#status = :status"]
        for index, (name, value) in enumerate(sorted(details.items())):
            names[f"#d{index}"] = name
            values[f":d{index}"] = {"S": value}
            assignments.append(f"#d{index} = :d{index}")
        self._dynamodb.update_item(
            TableName=self._table,
            Key={"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": "ARTICLE"}},
            UpdateExpression="SET " + ", ".join(assignments),
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def quarantine(self, *, origin: str, reason: str, raw: bytes | str, received_at: datetime) -> str:
        """Keep unusable input with the reason it was refused; returns the quarantine id."""
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        quarantine_id = "q-" + hashlib.sha256(origin.encode("utf-8") + b"\0" + data).hexdigest()[:32]
        self._dynamodb.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": f"QUARANTINE#{quarantine_id}"},
                "sk": {"S": "QUARANTINE"},
                "status": {"S": Fate.QUARANTINED.value},
                "origin": {"S": origin},
                "reason": {"S": reason},
                "raw": {"B": data[:QUARANTINE_RAW_LIMIT]},
                "raw_size": {"N": str(len(data))},
                "received_at": {"S": received_at.isoformat()},
                "expires_at": {"N": _expiry(received_at)},
            },
        )
        return quarantine_id


def topics_attribute(topic_ids: list[str]) -> str:
    """Topic ids as stored on an article record (a JSON list, readable in the console)."""
    return json.dumps(topic_ids)
