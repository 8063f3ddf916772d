"""The articles table: one small item per article, its dedup keys, quarantined input and the intake ledger.

Layout (one table, ``pk``/``sk``):

- ``ARTICLE#<id>`` / ``ARTICLE``: the article's fate (``status``) and why, with its title, outlet and
  language for people reading the table; the article itself travels on the queues and is archived
  by classify (``newsalert.aws.archive``). Small, so that each fate change costs one write unit.
- ``DEDUP#<content hash>`` / ``DEDUP``: claims a text for the first article that carried it,
  so the same story under another URL is a duplicate too.
- ``QUARANTINE#<id>`` / ``QUARANTINE``: input that could not be used, with its reason and
  the raw bytes or payload (cut to ``QUARANTINE_RAW_LIMIT``).
- ``INTAKE#<input>`` / ``<arrival time>|<part>``: the intake ledger of an input (a feed, a file, a
  request): what ingest did with each article that entered through it, one item per arrival
  (a poll, a drop, a request) holding its outcomes, compressed. The first outcome of an entry
  stands: a retry, or a later poll that sees the article again, does not rewrite how it
  entered. ``occurrence`` tells apart the copies of one article within one document (a feed
  listing an item twice).

Duplicates are refused by conditional writes, never by read-then-write, so two concurrent
ingests of one item cannot both pass.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from newsalert.models import FATES_BEFORE, Article, Fate, IngestOutcome, intake_input
from newsalert.ports import Claim, ClaimResult

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

RETENTION = timedelta(days=30)
QUARANTINE_RAW_LIMIT = 64 * 1024
LEDGER_CHUNK = 500
"""Outcomes per intake ledger item: about 30 KB compressed, well under DynamoDB's 400 KB item."""


KEPT_TITLE = 200
KEPT_SOURCE = 100
"""The article's item keeps its title and outlet for people reading the table (cut: the item stays small);
the article itself travels on the queues and is archived by classify (``newsalert.aws.archive``)."""


def _expiry(now: datetime) -> str:
    return str(int((now + RETENTION).timestamp()))


def _claimed_by(item: dict[str, Any]) -> str | None:
    token: str | None = item.get("claimed_by", {}).get("S")
    return token


def _article_key(article_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"ARTICLE#{article_id}"}, "sk": {"S": "ARTICLE"}}


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

        Two conditional writes of small items, in order, and no transaction. The text first: a text
        that another article claimed makes this one its duplicate, for one refused write and nothing
        stored (the commonest duplicate, a wire story under another outlet's URL, costs one write
        unit). Then the article's id: a known id is a duplicate, or an unfinished article to take
        over. A refused write returns the item that stood in the way, so a refusal costs no read.
        Of two racing claims of one article each write is won once, so one of them is new.

        Each claim writes a token of its own (``claimed_by``): when a write's answer is lost after
        DynamoDB made it (a 500 or a timeout) and botocore sends it again, the retry is refused by the
        item the first send wrote; the token tells that item for this claim's own, not a duplicate's,
        else the article would be called a duplicate of itself and never handed over.
        """
        token = secrets.token_hex(8)
        expires = _expiry(article.received_at)
        owner_item = self._put_if_new(
            {
                "pk": {"S": f"DEDUP#{article.content_hash}"},
                "sk": {"S": "DEDUP"},
                "article_id": {"S": article.id},
                "expires_at": {"N": expires},
            }
        )
        owner = None if owner_item is None else owner_item.get("article_id", {}).get("S")
        if owner is not None and owner != article.id:
            return ClaimResult(Claim.DUPLICATE, duplicate_of=owner)
        # The text is this article's: claimed now, or by an earlier attempt at the same article.
        standing = self._put_if_new(
            {
                **_article_key(article.id),
                "status": {"S": Fate.RECEIVED.value},
                "title": {"S": article.title[:KEPT_TITLE]},
                "source": {"S": article.source[:KEPT_SOURCE]},
                "language": {"S": article.language},
                "received_at": {"S": article.received_at.isoformat()},
                "content_hash": {"S": article.content_hash},
                "lease_until": {"N": f"{lease_until:.3f}"},
                "claimed_by": {"S": token},
                "expires_at": {"N": expires},
            }
        )
        if standing is None or _claimed_by(standing) == token:
            return ClaimResult(Claim.NEW)
        if standing.get("status", {}).get("S") == Fate.RECEIVED.value:
            if self._take_over(article.id, lease_until, token):
                return ClaimResult(Claim.UNFINISHED, duplicate_of=article.id)
            busy_until = float(standing.get("lease_until", {}).get("N", "0"))
            return ClaimResult(Claim.IN_PROGRESS, duplicate_of=article.id, busy_until=busy_until)
        return ClaimResult(Claim.DUPLICATE, duplicate_of=article.id)

    def _put_if_new(self, item: dict[str, Any]) -> dict[str, Any] | None:
        """Write ``item`` unless its key is taken; returns the item standing there when it is."""
        try:
            self._dynamodb.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException as refused:
            return cast("dict[str, Any]", refused.response.get("Item", {}))
        return None

    def _take_over(self, article_id: str, lease_until: float, token: str) -> bool:
        """Take an unfinished article from an attempt whose lease has run out; one taker wins (and a taker
        whose write was made but its answer lost, refused on botocore's retry, knows its token)."""
        return self._set_lease(article_id, lease_until, expired_before=self._clock(), token=token)

    def release(self, article_id: str) -> None:
        """End the lease of an article this attempt claimed but could not hand over, so that the next
        attempt to meet it (a client's retry, Lambda's) takes it over at once instead of calling it
        a duplicate of itself. Only an article still ``received`` is touched."""
        self._set_lease(article_id, 0.0)

    def _set_lease(
        self, article_id: str, lease_until: float, *, expired_before: float | None = None, token: str | None = None
    ) -> bool:
        """Set the lease of an article still ``received`` (and, given ``expired_before``, whose lease ran out
        before then; given ``token``, now this claim's); False when the condition failed."""
        condition = "#status = :received"
        update = "SET lease_until = :lease"
        values: dict[str, Any] = {":lease": {"N": f"{lease_until:.3f}"}, ":received": {"S": Fate.RECEIVED.value}}
        if expired_before is not None:
            condition += " AND lease_until < :now"
            values[":now"] = {"N": f"{expired_before:.3f}"}
        if token is not None:
            update += ", claimed_by = :token"
            values[":token"] = {"S": token}
        try:
            self._dynamodb.update_item(
                TableName=self._table,
                Key=_article_key(article_id),
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=values,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException as refused:
            # Refused because this very update was made and its answer lost: botocore's retry found it done.
            standing = cast("dict[str, Any]", refused.response.get("Item", {}))
            return token is not None and _claimed_by(standing) == token
        return True

    def article_item(self, article_id: str) -> dict[str, str] | None:
        """The article's item (its fate, why, its title and outlet) as plain strings, or None."""
        item = self._dynamodb.get_item(
            TableName=self._table,
            Key=_article_key(article_id),
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
                Key=_article_key(article_id),
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

    def record_intake(self, entries: Sequence[tuple[IngestOutcome, int]], received_at: datetime) -> None:
        """Add what one input gave, ``(outcome, occurrence)`` pairs, to its intake ledger.

        One item per input and arrival (``LEDGER_CHUNK`` outcomes at most, compressed), not one
        per article: a poll of a hundred items is a few write units, not a hundred. Written only
        if absent, so that a retry of the same arrival leaves the first record standing.
        """
        by_input: dict[str, list[tuple[IngestOutcome, int]]] = {}
        for outcome, occurrence in entries:
            by_input.setdefault(intake_input(outcome.origin), []).append((outcome, occurrence))
        for input_name, pairs in by_input.items():
            for start in range(0, len(pairs), LEDGER_CHUNK):
                lines = "\n".join(
                    json.dumps([occurrence, outcome.model_dump(mode="json", exclude_none=True)], ensure_ascii=False)
                    for outcome, occurrence in pairs[start : start + LEDGER_CHUNK]
                )
                item = {
                    "pk": {"S": f"INTAKE#{input_name}"},
                    "sk": {"S": f"{received_at.isoformat()}|{start // LEDGER_CHUNK}"},
                    "outcomes": {"B": zlib.compress(lines.encode("utf-8"))},
                    "expires_at": {"N": _expiry(received_at)},
                }
                self._put_if_new(item)

    def intake(self, input_name: str) -> list[IngestOutcome]:
        """Every article that entered through ``input_name`` (a feed URL, an S3 URI, an API request).

        The first outcome recorded for each entry stands: a later poll that met the same item
        again does not change how it entered.
        """
        first: dict[tuple[str, str, int], IngestOutcome] = {}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"INTAKE#{input_name}"}},
            "ConsistentRead": True,
        }
        while True:
            page = self._dynamodb.query(**kwargs)
            for item in page.get("Items", []):
                for line in zlib.decompress(item["outcomes"]["B"]).decode("utf-8").splitlines():
                    occurrence, fields = json.loads(line)
                    outcome = IngestOutcome.model_validate(fields)
                    first.setdefault((outcome.origin, outcome.article_id or "", occurrence), outcome)
            if "LastEvaluatedKey" not in page:
                return list(first.values())
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
