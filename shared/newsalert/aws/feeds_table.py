"""The feeds table: the feed registry in DynamoDB, one item per feed keyed by ``feed_id``.

Implements ``newsalert.ingest.feed_registry.FeedRepository``. Writes that decide something
(registering, reserving a due feed) are conditional, so two operators or two overlapping
ticks cannot both win.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newsalert.ingest.feed_registry import FeedEntry, FeedExistsError, UnknownFeedError, feed_id_for

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def _to_item(entry: FeedEntry) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for name, value in entry.model_dump().items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            item[name] = {"S": str(value)}
        else:
            item[name] = {"N": repr(value)}
    return item


def _from_item(item: dict[str, Any]) -> FeedEntry:
    values = {name: float(value["N"]) if "N" in value else value["S"] for name, value in item.items()}
    for counter in ("consecutive_failures", "items_seen"):
        if counter in values:
            values[counter] = int(values[counter])
    return FeedEntry.model_validate(values)


class FeedsTable:
    """DynamoDB access to the feeds table. Receives its client; never creates one."""

    def __init__(self, dynamodb: DynamoDBClient, table_name: str) -> None:
        self._dynamodb = dynamodb
        self._table = table_name

    def add(self, entry: FeedEntry) -> FeedEntry:
        try:
            self._dynamodb.put_item(
                TableName=self._table, Item=_to_item(entry), ConditionExpression="attribute_not_exists(feed_id)"
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            raise FeedExistsError(f"{entry.url} is already registered (as {entry.feed_id})") from None
        return entry

    def _resolve(self, url_or_id: str) -> str:
        return url_or_id if url_or_id.startswith("feed-") else feed_id_for(url_or_id)

    def get(self, url_or_id: str) -> FeedEntry:
        feed_id = self._resolve(url_or_id)
        item = self._dynamodb.get_item(TableName=self._table, Key={"feed_id": {"S": feed_id}}, ConsistentRead=True).get(
            "Item"
        )
        if item is None:
            raise UnknownFeedError(f"no feed {url_or_id} in the registry")
        return _from_item(item)

    def remove(self, url_or_id: str) -> FeedEntry:
        feed_id = self._resolve(url_or_id)
        response = self._dynamodb.delete_item(
            TableName=self._table, Key={"feed_id": {"S": feed_id}}, ReturnValues="ALL_OLD"
        )
        if "Attributes" not in response:
            raise UnknownFeedError(f"no feed {url_or_id} in the registry")
        return _from_item(response["Attributes"])

    def entries(self) -> Iterator[FeedEntry]:
        """Every registered feed, page by page (a scan: the tick reads them all anyway)."""
        kwargs: dict[str, Any] = {"TableName": self._table}
        while True:
            page = self._dynamodb.scan(**kwargs)
            for item in page.get("Items", []):
                yield _from_item(item)
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def reserve(self, entry: FeedEntry, now: datetime) -> bool:
        """Mark a due feed as dispatched, so the next tick does not send it again while it is polled.

        Conditional on the feed still being due: of two overlapping ticks, one dispatches it. The
        reservation carries a token of its own: when DynamoDB made it but its answer was lost (a 500 or
        a timeout), botocore's retry is refused by it, and the token tells it for this tick's own
        rather than another's, which would leave the feed unpolled for an interval.
        """
        token = secrets.token_hex(8)
        try:
            self._dynamodb.update_item(
                TableName=self._table,
                Key={"feed_id": {"S": entry.feed_id}},
                UpdateExpression="SET next_poll_at = :next, reserved_by = :token",
                ConditionExpression="attribute_exists(feed_id) AND next_poll_at <= :now",
                ExpressionAttributeValues={
                    ":next": {"N": repr((now + entry.interval).timestamp())},
                    ":now": {"N": repr(now.timestamp())},
                    ":token": {"S": token},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException as refused:
            standing: Any = refused.response.get("Item", {})
            return bool(standing.get("reserved_by", {}).get("S") == token)
        return True

    def record_success(
        self,
        entry: FeedEntry,
        now: datetime,
        *,
        etag: str | None,
        last_modified: str | None,
        items: int,
        new_items: int,
    ) -> None:
        values: dict[str, Any] = {
            ":now": {"N": repr(now.timestamp())},
            ":zero": {"N": "0"},
            ":items": {"N": str(items)},
            ":next": {"N": repr((now + entry.interval).timestamp())},
        }
        assignments = [
            "last_polled_at = :now",
            "last_success_at = :now",
            "consecutive_failures = :zero",
            "next_poll_at = :next",
            "items_seen = if_not_exists(items_seen, :zero) + :items",
        ]
        removals = ["last_error"]
        for name, value in (("etag", etag), ("last_modified", last_modified)):
            if value:
                values[f":{name}"] = {"S": value}
                assignments.append(f"{name} = :{name}")
        if new_items:
            assignments.append("last_new_item_at = :now")
        self._update(entry.feed_id, "SET " + ", ".join(assignments) + " REMOVE " + ", ".join(removals), values)

    def record_failure(self, entry: FeedEntry, now: datetime, error: str) -> FeedEntry:
        """Count a failed poll and put the next one off (exponential backoff); returns the new state."""
        updated = entry.after_failure(now, error)
        self._update(
            entry.feed_id,
            "SET consecutive_failures = :failures, last_polled_at = :now, last_error = :error, next_poll_at = :next",
            {
                ":failures": {"N": str(updated.consecutive_failures)},
                ":now": {"N": repr(now.timestamp())},
                ":error": {"S": updated.last_error or ""},
                ":next": {"N": repr(updated.next_poll_at)},
            },
        )
        return updated

    def _update(self, feed_id: str, expression: str, values: dict[str, Any]) -> None:
        try:
            self._dynamodb.update_item(
                TableName=self._table,
                Key={"feed_id": {"S": feed_id}},
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(feed_id)",
                ExpressionAttributeValues=values,
            )
        except self._dynamodb.exceptions.ConditionalCheckFailedException:
            # Removed while it was being polled: nothing to record.
            return
