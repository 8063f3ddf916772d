"""Notify's state in the articles table: each story's alert ledger, hourly counters per topic, held stories.

Items (one table, ``pk``/``sk``, expiring by ``expires_at``):

- ``STORYALERT#<story>`` / ``STATE``: the last update sent (level, urgency, outlets, alert id,
  whether it went to the digests) and the update in flight with its lease. Implements
  ``newsalert.notify.story_alerts.StoryAlertLedger``; every change is a conditional write on the
  attempt's token, so an attempt whose claim was settled or taken over cannot write over the next.
- ``ALERTRATE#<topic>#<hour>`` / ``COUNT``: alerts sent to a topic in a clock hour
  (``newsalert.notify.rate_limits.HourlyCounter``): an atomic counter, capped by a condition.
- ``DIGEST`` / ``<topic>#<held at>#<story>#<article>``: a story waiting in a topic's digest, and
  ``DIGESTSENT#<digest>`` / ``DIGEST``: a digest claimed or sent
  (``newsalert.notify.rate_limits.DigestBox``). Held stories share one partition, read whole by
  the hourly digest: only what the limits hold back lands there.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from newsalert.models import DigestEntry, Urgency
from newsalert.notify.rate_limits import HeldStory
from newsalert.notify.story_alerts import PendingAlert, StoryAlertState

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

PENDING = (
    "pending_update, pending_attempt, pending_until, publishing,"
    " pending_urgency, pending_outlets, pending_alert_id, pending_article"
)
"""Everything an update in flight holds: removed together when it is recorded, settled or released."""
SENT_FROM_VALUES = (
    "sent_update = :update, sent_urgency = :urgency, sent_outlets = :outlets, sent_alert_id = :alert,"
    " sent_article = :article"
)
LEDGER_RETENTION = timedelta(days=7)
"""How long a story's alert state is kept: longer than any story stays open."""
COUNTER_RETENTION = timedelta(days=2)
DIGEST_PARTITION = "DIGEST"
BATCH_WRITE_LIMIT = 25


class AlertLedger:
    """The ledger, the counters and the digest box. Receives its DynamoDB client; never creates one."""

    def __init__(self, dynamodb: DynamoDBClient, table_name: str, *, clock: Callable[[], float] = time.time) -> None:
        self._dynamodb = dynamodb
        self._table = table_name
        self._clock = clock

    def _expires(self, keep: timedelta) -> dict[str, str]:
        return {"N": str(int(self._clock() + keep.total_seconds()))}

    # -------------------------------------------------------------- the ledger
    @staticmethod
    def _story_key(story_id: str) -> dict[str, Any]:
        return {"pk": {"S": f"STORYALERT#{story_id}"}, "sk": {"S": "STATE"}}

    def state(self, story_id: str) -> StoryAlertState:
        item = self._dynamodb.get_item(TableName=self._table, Key=self._story_key(story_id), ConsistentRead=True).get(
            "Item", {}
        )

        def number(name: str) -> float | None:
            return float(item[name]["N"]) if name in item else None

        def flag(name: str) -> bool:
            return bool(item.get(name, {}).get("BOOL", False))

        sent_update, pending_update = number("sent_update"), number("pending_update")
        return StoryAlertState(
            story_id=story_id,
            sent_update=None if sent_update is None else int(sent_update),
            sent_urgency=Urgency(item["sent_urgency"]["S"]) if "sent_urgency" in item else None,
            sent_outlets=int(number("sent_outlets") or 0),
            sent_alert_id=item.get("sent_alert_id", {}).get("S"),
            held=flag("held"),
            pending_update=None if pending_update is None else int(pending_update),
            pending_until=number("pending_until"),
            publishing=flag("publishing"),
            sent_article=item.get("sent_article", {}).get("S"),
            unconfirmed=flag("unconfirmed"),
        )

    def claim(self, story_id: str, update: int, *, lease_until: float, now: float) -> str | None:
        order = "attribute_not_exists(sent_update)" if update == 0 else "sent_update = :previous"
        attempt = secrets.token_hex(8)
        values: dict[str, Any] = {
            ":update": {"N": str(update)},
            ":attempt": {"S": attempt},
            ":lease": {"N": f"{lease_until:.3f}"},
            ":now": {"N": f"{now:.3f}"},
            ":expires": self._expires(LEDGER_RETENTION),
        }
        if update > 0:
            values[":previous"] = {"N": str(update - 1)}
        # A claim that reached its publish is never taken over, even after its lease: it is settled.
        free = "attribute_not_exists(pending_update) OR (pending_until < :now AND attribute_not_exists(publishing))"
        claimed, standing = self._conditional_write(
            self._story_key(story_id),
            "SET pending_update = :update, pending_attempt = :attempt, pending_until = :lease, expires_at = :expires",
            f"{order} AND ({free})",
            values,
        )
        # Refused by the claim this very call made (its answer lost, botocore's retry refused): ours.
        ours = claimed or standing.get("pending_attempt", {}).get("S") == attempt
        return attempt if ours else None

    def mark_publishing(self, story_id: str, update: int, *, attempt: str, alert: PendingAlert) -> bool:
        return self._conditional_update(
            self._story_key(story_id),
            "SET publishing = :true, pending_urgency = :urgency, pending_outlets = :outlets,"
            " pending_alert_id = :alert, pending_article = :article",
            "pending_update = :update AND pending_attempt = :attempt",
            {
                ":true": {"BOOL": True},
                ":update": {"N": str(update)},
                ":attempt": {"S": attempt},
                **self._alert_values(alert),
            },
        )

    def record_sent(self, story_id: str, update: int, *, attempt: str, alert: PendingAlert, held: bool) -> None:
        recorded, standing = self._conditional_write(
            self._story_key(story_id),
            f"SET {SENT_FROM_VALUES}, held = :held, unconfirmed = :false REMOVE {PENDING}",
            "pending_update = :update AND pending_attempt = :attempt",
            {
                ":update": {"N": str(update)},
                ":attempt": {"S": attempt},
                ":held": {"BOOL": held},
                ":false": {"BOOL": False},
                **self._alert_values(alert),
            },
        )
        # Refused by this very record (its answer lost, botocore's retry refused): it stands.
        recorded_before = (
            standing.get("sent_alert_id", {}).get("S") == alert.alert_id
            and standing.get("sent_article", {}).get("S") == alert.article_id
            and "pending_update" not in standing
            and not standing.get("unconfirmed", {}).get("BOOL", False)  # settled by another: not our record
        )
        if not (recorded or recorded_before):
            raise LookupError(f"{alert.alert_id}: the claim was no longer this attempt's when it was recorded")

    def settle_unconfirmed(self, story_id: str, update: int, *, now: float, attempt: str | None = None) -> bool:
        # What the update says was written with its publishing mark: read it, then move it to "sent"
        # on the condition that the same attempt's mark is still there (and, found by another
        # consumer, out of its lease), so that two settlers or a late recorder cannot both win.
        item = self._dynamodb.get_item(TableName=self._table, Key=self._story_key(story_id), ConsistentRead=True).get(
            "Item", {}
        )
        standing = item.get("pending_attempt", {}).get("S")
        if standing is None or "pending_alert_id" not in item or (attempt is not None and standing != attempt):
            return False
        values: dict[str, Any] = {
            ":update": {"N": str(update)},
            ":attempt": {"S": standing},
            ":true": {"BOOL": True},
            ":false": {"BOOL": False},
            ":urgency": item["pending_urgency"],
            ":outlets": item["pending_outlets"],
            ":alert": item["pending_alert_id"],
            ":article": item["pending_article"],
        }
        condition = "pending_update = :update AND pending_attempt = :attempt AND publishing = :true"
        if attempt is None:
            condition += " AND pending_until < :now"
            values[":now"] = {"N": f"{now:.3f}"}
        return self._conditional_update(
            self._story_key(story_id),
            f"SET {SENT_FROM_VALUES}, held = :false, unconfirmed = :true REMOVE {PENDING}",
            condition,
            values,
        )

    def release(self, story_id: str, update: int, *, attempt: str) -> None:
        self._conditional_update(
            self._story_key(story_id),
            f"REMOVE {PENDING}",
            "pending_update = :update AND pending_attempt = :attempt",
            {":update": {"N": str(update)}, ":attempt": {"S": attempt}},
        )

    @staticmethod
    def _alert_values(alert: PendingAlert) -> dict[str, Any]:
        return {
            ":urgency": {"S": alert.urgency.value},
            ":outlets": {"N": str(alert.outlets)},
            ":alert": {"S": alert.alert_id},
            ":article": {"S": alert.article_id},
        }

    # ------------------------------------------------------------ the counters
    def take(self, topic: str, hour: str, *, limit: int | None) -> bool:
        values: dict[str, Any] = {":one": {"N": "1"}, ":expires": self._expires(COUNTER_RETENTION)}
        condition = None
        if limit is not None:
            values[":limit"] = {"N": str(limit)}
            condition = "attribute_not_exists(sent) OR sent < :limit"
        return self._conditional_update(
            {"pk": {"S": f"ALERTRATE#{topic}#{hour}"}, "sk": {"S": "COUNT"}},
            "ADD sent :one SET expires_at = :expires",
            condition,
            values,
        )

    # ---------------------------------------------------------- the digest box
    def hold(self, held: HeldStory) -> None:
        entry = held.entry
        self._dynamodb.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": DIGEST_PARTITION},
                "sk": {"S": f"{held.topic}#{held.held_at.isoformat()}#{entry.story_id}#{entry.article_id}"},
                "topic": {"S": held.topic},
                "topic_label": {"S": held.topic_label},
                "held_at": {"S": held.held_at.isoformat()},
                "entry": {"S": entry.model_dump_json()},
                "expires_at": self._expires(LEDGER_RETENTION),
            },
        )

    def held(self) -> list[HeldStory]:
        stories = []
        paginator = self._dynamodb.get_paginator("query")
        pages = paginator.paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": DIGEST_PARTITION}},
            ConsistentRead=True,
        )
        for page in pages:
            stories += [
                HeldStory(
                    topic=item["topic"]["S"],
                    topic_label=item["topic_label"]["S"],
                    held_at=datetime.fromisoformat(item["held_at"]["S"]),
                    entry=DigestEntry.model_validate_json(item["entry"]["S"]),
                )
                for item in page.get("Items", [])
            ]
        return sorted(stories, key=lambda story: story.held_at)

    def clear(self, stories: list[HeldStory]) -> None:
        keys = [
            {
                "pk": {"S": DIGEST_PARTITION},
                "sk": {"S": f"{s.topic}#{s.held_at.isoformat()}#{s.entry.story_id}#{s.entry.article_id}"},
            }
            for s in stories
        ]
        for start in range(0, len(keys), BATCH_WRITE_LIMIT):
            requests: Any = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + BATCH_WRITE_LIMIT]]
            while requests:
                response = self._dynamodb.batch_write_item(RequestItems={self._table: requests})
                requests = response.get("UnprocessedItems", {}).get(self._table, [])

    def claim_digest(self, digest_id: str) -> bool:
        try:
            self._dynamodb.put_item(
                TableName=self._table,
                Item={
                    "pk": {"S": f"DIGESTSENT#{digest_id}"},
                    "sk": {"S": "DIGEST"},
                    "expires_at": self._expires(LEDGER_RETENTION),
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def release_digest(self, digest_id: str) -> None:
        self._dynamodb.delete_item(
            TableName=self._table, Key={"pk": {"S": f"DIGESTSENT#{digest_id}"}, "sk": {"S": "DIGEST"}}
        )

    # -------------------------------------------------------------------------
    def _conditional_write(
        self, key: dict[str, Any], expression: str, condition: str | None, values: dict[str, Any]
    ) -> tuple[bool, dict[str, Any]]:
        """An update on ``condition``: whether it was made, and, when refused, the item that stood there."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "Key": key,
            "UpdateExpression": expression,
            "ExpressionAttributeValues": values,
        }
        if condition is not None:
            arguments["ConditionExpression"] = condition
            arguments["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            self._dynamodb.update_item(**arguments)
        except self._dynamodb.exceptions.ConditionalCheckFailedException as refused:
            return False, cast("dict[str, Any]", refused.response.get("Item", {}))
        return True, {}

    def _conditional_update(
        self, key: dict[str, Any], expression: str, condition: str | None, values: dict[str, Any]
    ) -> bool:
        return self._conditional_write(key, expression, condition, values)[0]
