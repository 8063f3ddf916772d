"""moto, made to grow linearly with the number of articles: patches the local runtime applies, and only it.

moto is written for tests of a few items. Driven with thousands of articles, three of its
operations cost time in proportion to everything stored so far, which makes a run quadratic
(docs/load.md has the profiles):

- DynamoDB ``TransactWriteItems`` deep-copies every table it touches, whole, before each
  transaction, so that it can put the copy back if the transaction is cancelled.
- SQS ``ReceiveMessage`` lists every visible message of the queue to take the first ten, and
  for each message it returns reads the queue's attributes, which counts every message three
  times over (visible, in flight, delayed).
- SQS ``DeleteMessage`` looks at every message of the queue and rebuilds the list without the
  deleted one, and ``SendMessage`` reads the queue's attributes, counting every message again.

The patches keep what moto does and change only what it costs:

- A transaction keeps a copy of the items it touches (not of their tables) and puts those back
  when moto rolls the transaction back; a condition that fails still cancels the whole
  transaction, with the same reasons.
- ``ReceiveMessage`` walks the queue's messages in order and stops at the batch; the retention
  period is read from the queue, not from a count of its messages.
- ``DeleteMessage`` stops at the message that had the receipt handle.
- ``SendMessage`` reads one of the queue's attributes (content-based deduplication); while it
  does, the attributes that count the queue's messages are not counted.
- A query by hash key reads that key's items, not the whole table sorted; the table's items are
  sorted by their keys' plain values (a paged scan sorts them again for every page).

``patched_moto()`` applies them for the duration of a ``with`` block (the local runtime's
lifetime) and puts moto back as it was. Never imported by a Lambda function (``newsalert.tools``
is not in the layer). tests/integration/test_moto_patches.py checks each against moto's own
semantics.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.core.utils import unix_time
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.sqs.exceptions import ReceiptHandleIsInvalid
from moto.sqs.models import Queue, SQSBackend

_TouchedItem = tuple[Any, DynamoType, DynamoType | None]
"""A table, and the hash and range key of an item in it."""


class _LiveTable:
    """What ``copy.deepcopy`` gives moto's transaction for a table: the table itself, not a copy.

    moto's ``transact_write_items`` "backs up" each table with ``copy.deepcopy`` and, on rollback,
    puts the backup in the table's place; with this, that is the live table put back in its own
    place, and ``_transact_write_items`` restores the touched items instead.
    """

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        if isinstance(value, Table):
            return value
        return copy.deepcopy(value, memo)

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def _touched_items(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[_TouchedItem]:
    """The items a transaction may write: the table and key of each Put, Update, Delete and ConditionCheck."""
    touched = []
    for entry in transact_items:
        for operation in entry.values():
            try:
                table = backend.get_table(operation["TableName"])
                if "Key" in operation:
                    hash_key, range_key = backend.get_keys_value(table, operation["Key"])
                else:
                    item = operation["Item"]
                    hash_key = DynamoType(item[table.hash_key_attr])
                    range_key = DynamoType(item[table.range_key_attr]) if table.range_key_attr else None
            except Exception:  # noqa: S112 - an operation moto cannot read writes nothing: moto refuses it
                continue
            touched.append((table, hash_key, range_key))
    return touched


def _snapshot(touched: list[_TouchedItem]) -> list[tuple[_TouchedItem, Any, int]]:
    """A copy of each touched item as it is now (None when absent), and its table's stream length."""
    snapshot = []
    for table, hash_key, range_key in touched:
        current = table.get_item(hash_key, range_key)
        stream_length = len(table.stream_shard.items) if table.stream_shard is not None else 0
        snapshot.append(((table, hash_key, range_key), copy.deepcopy(current), stream_length))
    return snapshot


def _restore(snapshot: list[tuple[_TouchedItem, Any, int]]) -> None:
    """Put each touched item back as it was (later duplicates first, so the earliest copy wins)."""
    for (table, hash_key, range_key), original, stream_length in reversed(snapshot):
        if range_key is not None:
            if original is None:
                table.items[hash_key].pop(range_key, None)
                if not table.items[hash_key]:
                    del table.items[hash_key]
            else:
                table.items[hash_key][range_key] = original
        elif original is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = original
        if table.stream_shard is not None:
            del table.stream_shard.items[stream_length:]


def _patched_transact_write_items(original: Any) -> Any:
    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        dynamodb_models: Any = sys.modules[DynamoDBBackend.__module__]
        snapshot = _snapshot(_touched_items(self, transact_items))
        real_copy = dynamodb_models.copy
        dynamodb_models.copy = _LiveTable()
        try:
            original(self, transact_items)
        except BaseException:
            _restore(snapshot)
            raise
        finally:
            dynamodb_models.copy = real_copy

    return transact_write_items


_INDEX_NAME = 6
"""Where ``Table.query`` takes ``index_name`` among its positional arguments after ``hash_key``."""


def _patched_query(original: Any) -> Any:
    def query(self: Any, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[_INDEX_NAME] if len(args) > _INDEX_NAME else None)
        if index_name or hash_key is None:
            return original(self, hash_key, *args, **kwargs)
        # moto filters every item of the table, sorted, for the hash key; give it that key's items only.
        stored = self.items.get(hash_key)
        items = [] if stored is None else list(stored.values()) if self.range_key_attr else [stored]
        self.all_items = lambda: sorted(items, key=_stored_order)
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    return query


def _stored_order(item: Any) -> Any:
    """The order of ``Table.all_items``: its keys' values, which is how moto's ``DynamoType`` compares
    (a key attribute has one type), without building a ``Decimal`` or a ``DynamoType`` comparison per step."""
    return (item.hash_key.cast_value, item.range_key.cast_value) if item.range_key else item.hash_key.cast_value


def _all_items(table: Any) -> list[Any]:
    """``Table.all_items``: every item in key order (a scan reads them all again for each page)."""
    stored = table.items.values()
    items = [item for by_range in stored for item in by_range.values()] if table.range_key_attr else list(stored)
    return sorted(items, key=_stored_order)


class _VisibleMessages:
    """``Queue.messages`` without the list: the visible, undelayed messages, found as they are read."""

    def __init__(self, queue: Queue) -> None:
        self._queue = queue

    def __iter__(self) -> Iterator[Any]:
        # A copy of the list (pointers only), as moto's list was: receiving may move messages.
        return (message for message in list(self._queue._messages) if message.visible and not message.delayed)

    def __bool__(self) -> bool:
        return any(True for _ in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _visible_messages(queue: Queue) -> _VisibleMessages:
    return _VisibleMessages(queue)


def _delete_message(queue: Any, receipt_handle: str) -> None:
    if receipt_handle in queue.deleted_messages:
        return  # deleted already: SQS accepts it again
    for index, message in enumerate(queue._messages):
        if message.had_receipt_handle(receipt_handle):
            del queue._messages[index]
            queue.pending_messages.discard(message)
            queue.deleted_messages.update(message.all_receipt_handles)
            return
    raise ReceiptHandleIsInvalid()


_COUNTS = (
    "approximate_number_of_messages",
    "approximate_number_of_messages_delayed",
    "approximate_number_of_messages_not_visible",
)
"""The queue attributes that count its messages."""


@contextmanager
def _sending_to(queue: Any) -> Iterator[None]:
    queue._newsalert_sending = True
    try:
        yield
    finally:
        del queue._newsalert_sending


def _patched_send_message(original: Any) -> Any:
    def send_message(self: SQSBackend, queue_name: str, *args: Any, **kwargs: Any) -> Any:
        # moto reads the queue's attributes for one of them (ContentBasedDeduplication): not the counts.
        with _sending_to(self.get_queue(queue_name)):
            return original(self, queue_name, *args, **kwargs)

    return send_message


def _uncounted_while_sending(original: property) -> property:
    def count(queue: Any) -> Any:
        return 0 if getattr(queue, "_newsalert_sending", False) else original.fget(queue)  # type: ignore[misc]

    return property(count)


def _within_retention_period(backend: SQSBackend, queue_name: str, message: Any) -> bool:
    queue: Any = backend.get_queue(queue_name)
    retain_until = int(queue.message_retention_period) + message.sent_timestamp / 1000
    return bool(retain_until > unix_time())


@contextmanager
def patched_moto() -> Iterator[None]:
    """moto with the patches above, for the duration."""
    patches: list[tuple[type, str, Any]] = [
        (DynamoDBBackend, "transact_write_items", _patched_transact_write_items),
        (Table, "query", _patched_query),
        (Table, "all_items", lambda _: _all_items),
        (Queue, "messages", lambda _: property(_visible_messages)),
        (Queue, "delete_message", lambda _: _delete_message),
        (SQSBackend, "is_message_valid_based_on_retention_period", lambda _: _within_retention_period),
        (SQSBackend, "send_message", _patched_send_message),
        *((Queue, name, _uncounted_while_sending) for name in _COUNTS),
    ]
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in patches]
    for (owner, name, patch), (_, _, original) in zip(patches, saved, strict=True):
        setattr(owner, name, patch(original))
    try:
        yield
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)
