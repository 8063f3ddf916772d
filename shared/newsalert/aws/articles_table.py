"""The articles table: one item per article, its dedup keys, quarantined input and the intake ledger.

Layout (one table, ``pk``/``sk``):

- ``ARTICLE#<id>`` / ``ARTICLE``: the article, its fate (``status``) and why.
- ``DEDUP#<content hash>`` / ``DEDUP``: claims a text for the first article that carried it,
  so the same story under another URL is a duplicate too.
- ``QUARANTINE#<id>`` / ``QUARANTINE``: input that could not be used, with its reason and
  the raw bytes or payload (cut to ``QUARANTINE_RAW_LIMIT``).
- ``INTAKE#<input>`` / ``<origin>|<article or quarantine id>|<occurrence>``: the intake ledger,
  one entry per article that entered through an input (a feed, a file, a request), with what
  ingest did with it. The first outcome stands: a retry, or a later poll that sees the article
  again, does not rewrite how it entered. ``occurrence`` tells apart the copies of one article
  within one document (a feed listing an item twice).

Duplicates are refused by conditional writes in one transaction, never by read-then-write,
so two concurrent ingests of one item cannot both pass.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from newsalert.models import FATES_BEFORE, Article, Fate, IngestOutcome, intake_input
from newsalert.ports import Claim, ClaimResult

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

RETENTION = timedelta(days=30)
QUARANTINE_RAW_LIMIT = 64 * 1024
_CONDITION_FAILED = "ConditionalCheckFailed"


def _expiry(now: datetime) -> str:
    return str(int((now + RETENTION).timestamp()))


class ArticlesTable:
    """The articles table (``newsalert.ports.ArticleRepository``). Receives its client; never creates one."""

    def __init__(self, dynamodb: DynamoDBClient, table_name: str, *, clock: Callable[[], float] = time.time) -> None:
        self._dynamodb = dynamodb
        self._table = table_name
        self._clock = clock

    def claim(self, article: Article, *, lease_until: float) -> ClaimResult:
        """Store ``article`` unless its id or its text is already known.

        ``lease_until`` (epoch seconds) is when the claiming attempt will surely have ended:
        the Lambda invocation's deadline. Until then a second claim of the same article is a
        duplicate (the first attempt is still at work); after it, an article still not handed
        over belongs to a dead attempt, and one later claim takes it over to finish the job.
        """
        expires = _expiry(article.received_at)
        article_item = {
            "pk": {"S": f"ARTICLE#{article.id}"},
            "sk": {"S": "ARTICLE"},
            "status": {"S": Fate.RECEIVED.value},
            "title": {"S": article.title},
            "source": {"S": article.source},
            "received_at": {"S": article.received_at.isoformat()},
            "article": {"S": article.model_dump_json()},
            "lease_until": {"N": f"{lease_until:.3f}"},
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
            return self._explain_refusal(article, same_id=reasons[0] == _CONDITION_FAILED, lease_until=lease_until)
        return ClaimResult(Claim.NEW)

    def _explain_refusal(self, article: Article, *, same_id: bool, lease_until: float) -> ClaimResult:
        if not same_id:
            owner = self._dynamodb.get_item(
                TableName=self._table,
                Key={"pk": {"S": f"DEDUP#{article.content_hash}"}, "sk": {"S": "DEDUP"}},
                ConsistentRead=True,
            ).get("Item", {})
            return ClaimResult(Claim.DUPLICATE, duplicate_of=owner.get("article_id", {}).get("S"))
        if self._take_over(article.id, lease_until):
            return ClaimResult(Claim.UNFINISHED, duplicate_of=article.id)
        return ClaimResult(Claim.DUPLICATE, duplicate_of=article.id)

    def _take_over(self, article_id: str, lease_until: float) -> bool:
        """Take an unfinished article from an attempt whose lease has run out; one taker wins."""
        try:
            self._dynamodb.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": "ARTICLE"}},
                UpdateExpression="SET lease_until = :lease",
                ConditionExpression="#status = :received AND lease_until < :now",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":lease": {"N": f"{lease_until:.3f}"},
                    ":received": {"S": Fate.RECEIVED.value},
                    ":now": {"N": f"{self._clock():.3f}"},
                },
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def article_item(self, article_id: str) -> dict[str, str] | None:
        """The article's item (its fate, why, the stored article) as plain strings, or None."""
        item = self._dynamodb.get_item(
            TableName=self._table,
            Key={"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": "ARTICLE"}},
            ConsistentRead=True,
        ).get("Item")
        if item is None:
            return None
        return {key: value.get("S", value.get("N", "")) for key, value in item.items()}

    def set_fate(self, article_id: str, fate: Fate, **details: str) -> bool:
        """Record where an article has got to, with any details (reason, topics, message id).

        Returns False, changing nothing, when the article has already gone past ``fate``.
        """
        earlier = FATES_BEFORE[fate]
        names = {"#status": "status"}
        values: dict[str, Any] = {":status": {"S": fate.value}}
        values.update({f":from{index}": {"S": previous.value} for index, previous in enumerate(earlier)})
        assignments = ["#status = :status"]
        for index, (name, value) in enumerate(sorted(details.items())):
            names[f"#d{index}"] = name
            values[f":d{index}"] = {"S": value}
            assignments.append(f"#d{index} = :d{index}")
        allowed = ", ".join(f":from{index}" for index in range(len(earlier)))
        try:
            self._dynamodb.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": "ARTICLE"}},
                UpdateExpression="SET " + ", ".join(assignments),
                ConditionExpression=f"attribute_exists(pk) AND #status IN ({allowed})",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            if self.article_item(article_id) is None:
                raise LookupError(f"no article {article_id} in {self._table}: ingest never stored it") from None
            return False
        return True

    def record_intake(self, outcome: IngestOutcome, received_at: datetime, occurrence: int = 0) -> None:
        """Add ``outcome`` to the intake ledger of its input, unless that entry is there already."""
        item = {
            "pk": {"S": f"INTAKE#{intake_input(outcome.origin)}"},
            "sk": {"S": f"{outcome.origin}|{outcome.article_id or ''}|{occurrence}"},
            "outcome": {"S": outcome.model_dump_json()},
            "received_at": {"S": received_at.isoformat()},
            "expires_at": {"N": _expiry(received_at)},
        }
        try:
            self._dynamodb.put_item(TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)")
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            return

    def stored_articles(self) -> Iterator[tuple[str, str | None]]:
        """Every article item, as ``(where, the stored Article JSON or None)``: a scan, for the tools."""
        pages = self._dynamodb.get_paginator("scan").paginate(
            TableName=self._table,
            FilterExpression="begins_with(#pk, :prefix)",
            ProjectionExpression="#pk, #article",
            ExpressionAttributeNames={"#pk": "pk", "#article": "article"},
            ExpressionAttributeValues={":prefix": {"S": "ARTICLE#"}},
        )
        for page in pages:
            for item in page.get("Items", []):
                yield f"{self._table}/{item['pk']['S']}", item.get("article", {}).get("S")

    def intake(self, input_name: str) -> list[IngestOutcome]:
        """Every article that entered through ``input_name`` (a feed URL, an S3 URI, an API request)."""
        outcomes: list[IngestOutcome] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"INTAKE#{input_name}"}},
            "ConsistentRead": True,
        }
        while True:
            page = self._dynamodb.query(**kwargs)
            outcomes += [IngestOutcome.model_validate_json(item["outcome"]["S"]) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return outcomes
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

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
