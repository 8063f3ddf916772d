"""What each feed listed at its last poll, on the articles table: ``FEEDLISTED#<feed id>`` / ``LISTED``.

The item holds the fingerprints of the feed's items (``newsalert.ingest.admission.item_fingerprint``,
12 hex digits) packed as 6 bytes each in one binary attribute: a hundred items are 600 bytes, one
write unit. It lives apart from the feed's registry entry, which the tick and every poll update:
those updates would otherwise be billed on the memory's size too. Expires with the table's TTL
when a feed is no longer polled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

FINGERPRINT_BYTES = 6
RETENTION = timedelta(days=30)


def _key(feed_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": f"FEEDLISTED#{feed_id}"}, "sk": {"S": "LISTED"}}


class FeedMemoryTable:
    """``newsalert.ingest.feed_registry.FeedMemory`` on the articles table. Receives its client."""

    def __init__(self, dynamodb: DynamoDBClient, table_name: str) -> None:
        self._dynamodb = dynamodb
        self._table = table_name

    def listed(self, feed_id: str) -> frozenset[str]:
        """The fingerprints the feed listed at its last poll (none for a feed never polled)."""
        item = self._dynamodb.get_item(TableName=self._table, Key=_key(feed_id), ConsistentRead=True).get("Item")
        if item is None:
            return frozenset()
        packed = bytes(item["listed"]["B"])
        return frozenset(
            packed[start : start + FINGERPRINT_BYTES].hex() for start in range(0, len(packed), FINGERPRINT_BYTES)
        )

    def remember(self, feed_id: str, fingerprints: Sequence[str], now: datetime) -> None:
        """Replace what the feed listed with ``fingerprints``."""
        self._dynamodb.put_item(
            TableName=self._table,
            Item={
                **_key(feed_id),
                "listed": {"B": b"".join(bytes.fromhex(fingerprint) for fingerprint in fingerprints)},
                "remembered_at": {"S": now.isoformat()},
                "expires_at": {"N": str(int((now + RETENTION).timestamp()))},
            },
        )
