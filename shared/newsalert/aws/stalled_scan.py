"""The sweeper's scan of the articles table: article items still on their way, alert claims not recorded.

A Scan reads every item of the table (the filter only trims what comes back; the table is read
whole, and billed so: see docs/cost.md), a page at a time. Where a run stopped is kept in the
item ``SWEEP`` / ``CURSOR`` so that the next run goes on from there: a table too large for one
invocation is swept over several.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newsalert.models import Fate
from newsalert.sweep.sweeper import Stalled, StalledAlertClaim, StalledArticle

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

CURSOR_KEY = {"pk": {"S": "SWEEP"}, "sk": {"S": "CURSOR"}}
PAGE_ITEMS = 1000
"""Items read per Scan call (at most 1 MB, whichever comes first)."""
ON_THEIR_WAY = (Fate.RECEIVED, Fate.QUEUED, Fate.BREAKING)


class StalledScan:
    """``newsalert.sweep.sweeper.StalledScan`` on the articles table. Receives its client; never creates one."""

    def __init__(self, dynamodb: DynamoDBClient, table_name: str) -> None:
        self._dynamodb = dynamodb
        self._table = table_name

    def saved_cursor(self) -> str | None:
        item = self._dynamodb.get_item(TableName=self._table, Key=CURSOR_KEY, ConsistentRead=True).get("Item")
        return None if item is None else item["cursor"]["S"]

    def save_cursor(self, cursor: str | None) -> None:
        if cursor is None:
            self._dynamodb.delete_item(TableName=self._table, Key=CURSOR_KEY)
            return
        self._dynamodb.put_item(
            TableName=self._table,
            Item={**CURSOR_KEY, "cursor": {"S": cursor}, "saved_at": {"N": str(int(time.time()))}},
        )

    def page(self, cursor: str | None) -> tuple[list[Stalled], str | None]:
        statuses = {f":s{index}": {"S": fate.value} for index, fate in enumerate(ON_THEIR_WAY)}
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "Limit": PAGE_ITEMS,
            "FilterExpression": (
                f"(sk = :article AND #status IN ({', '.join(statuses)}))"
                " OR (sk = :state AND begins_with(pk, :story) AND attribute_exists(pending_update))"
            ),
            "ProjectionExpression": (
                "pk, #status, received_at, lease_until, pending_update, pending_attempt, pending_until, publishing"
            ),
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":article": {"S": "ARTICLE"},
                ":state": {"S": "STATE"},
                ":story": {"S": "STORYALERT#"},
                **statuses,
            },
        }
        if cursor is not None:
            arguments["ExclusiveStartKey"] = json.loads(cursor)
        response = self._dynamodb.scan(**arguments)
        stalled = [_stalled(item) for item in response.get("Items", [])]
        after = response.get("LastEvaluatedKey")
        return [entry for entry in stalled if entry is not None], None if after is None else json.dumps(after)


def _stalled(item: dict[str, Any]) -> Stalled | None:
    pk = item["pk"]["S"]
    if pk.startswith("ARTICLE#") and "received_at" in item:
        return StalledArticle(
            article_id=pk.removeprefix("ARTICLE#"),
            status=Fate(item["status"]["S"]),
            received_at=datetime.fromisoformat(item["received_at"]["S"]),
            lease_until=float(item.get("lease_until", {}).get("N", "0")),
        )
    if pk.startswith("STORYALERT#") and "pending_attempt" in item:
        return StalledAlertClaim(
            story_id=pk.removeprefix("STORYALERT#"),
            update=int(item["pending_update"]["N"]),
            attempt=item["pending_attempt"]["S"],
            pending_until=float(item.get("pending_until", {}).get("N", "0")),
            publishing=bool(item.get("publishing", {}).get("BOOL", False)),
        )
    return None
