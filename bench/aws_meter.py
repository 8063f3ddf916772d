"""Metering the pipeline on embedded AWS: every AWS call each function makes, and what AWS would bill for it.

moto answers the calls but bills nothing, and its consumed-capacity figures are constants. The
meter works them out the way DynamoDB, SQS and SNS document their billing:

- DynamoDB on-demand: a write unit per 1 KB of the item written (the larger of the item before
  and after, for an update; twice that inside a transaction; a failed conditional write still
  costs its item's units), a read unit per 4 KB read strongly consistently (half for eventually
  consistent reads; a query or scan pays for the items it returns, rounded up per call). Item
  sizes follow DynamoDB's rule: attribute names plus values.
- SQS and SNS: one request per 64 KB chunk of each message's payload.
- Lambda: invocations, and time inside the handlers (the embedded AWS's own time excluded, a
  round trip per AWS call added from a stated latency table), at the function's memory size.

Calls made outside any function (the local runtime playing Lambda's SQS poller) are metered as
``platform``: their requests are billed too, except receives that find nothing (a poller long-polls
an empty queue all day long: a fixed cost per queue and month, not a cost per article).
"""

from __future__ import annotations

import base64
import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.client import BaseClient

from newsalert.tools.local.invoker import FunctionInvoker

KB = 1024
SQS_CHUNK = 64 * KB
PLATFORM = "platform"
ROUND_TRIP_SECONDS = {"dynamodb": 0.006, "sqs": 0.010, "sns": 0.015, "s3": 0.015}
"""What one call costs in time from inside Lambda (same region): the typical round trip, an assumption."""


def value_size(value: dict[str, Any]) -> int:
    """DynamoDB's size of one attribute value (in its JSON form: ``{"S": ...}``, ``{"N": ...}``...)."""
    kind, content = next(iter(value.items()))
    if kind == "S":
        return len(content.encode("utf-8"))
    if kind == "N":
        digits = len(str(content).lstrip("-").replace(".", "").lstrip("0")) or 1
        return math.ceil(digits / 2) + 1
    if kind == "B":
        return len(content if isinstance(content, bytes | bytearray) else base64.b64decode(content))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return 3 + sum(value_size(inner) + 1 for inner in content)
    if kind == "M":
        return 3 + sum(len(name.encode("utf-8")) + value_size(inner) + 1 for name, inner in content.items())
    if kind in ("SS", "NS", "BS"):
        return sum(value_size({kind[0]: inner}) for inner in content)
    return 0


def item_size(item: dict[str, Any] | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def write_units(size: int) -> int:
    return max(1, math.ceil(size / KB))


def read_units(size: int, *, consistent: bool) -> float:
    units = max(1, math.ceil(size / (4 * KB)))
    return float(units) if consistent else units / 2


@dataclass
class FunctionMeter:
    calls: Counter[str] = field(default_factory=Counter)
    write_units: float = 0.0
    read_units: float = 0.0
    sqs_requests: int = 0
    sns_publishes: int = 0
    s3_puts: int = 0
    s3_gets: int = 0
    invocations: int = 0
    handler_seconds: float = 0.0
    aws_seconds: float = 0.0
    """Time spent inside AWS calls (the embedded AWS's): taken out of the billed duration."""
    round_trips: float = 0.0
    """Seconds the calls would take from Lambda, by the latency table: put into the billed duration."""


class Meter:
    """Patches botocore and the local invoker while ``metering()`` lasts; ``functions`` holds the figures."""

    def __init__(self, client_of_table: Any) -> None:
        """``client_of_table`` is a DynamoDB client on the embedded AWS, used (unmetered) to read items' sizes."""
        self.functions: dict[str, FunctionMeter] = defaultdict(FunctionMeter)
        self._dynamodb = client_of_table
        self._current: str | None = None
        self._reading = False

    @property
    def current(self) -> FunctionMeter:
        return self.functions[self._current or PLATFORM]

    @contextmanager
    def metering(self) -> Iterator[Meter]:
        clients: Any = BaseClient
        invoker: Any = FunctionInvoker
        original_call, original_invoke = clients._make_api_call, invoker.invoke
        meter = self

        def call(client: BaseClient, operation: str, parameters: dict[str, Any]) -> Any:
            if meter._reading:
                return original_call(client, operation, parameters)
            service = client.meta.service_model.service_name
            before = meter._before(service, operation, parameters)
            started = time.perf_counter()
            try:
                response = original_call(client, operation, parameters)
            except Exception:
                meter._account(service, operation, parameters, None, before)
                raise
            finally:
                meter.current.aws_seconds += time.perf_counter() - started
            meter._account(service, operation, parameters, response, before)
            return response

        def invoke(runner: FunctionInvoker, spec: Any, event: dict[str, Any]) -> Any:
            meter._current = spec.logical_id
            figures = meter.current
            figures.invocations += 1
            started, aws_before = time.perf_counter(), figures.aws_seconds
            try:
                return original_invoke(runner, spec, event)
            finally:
                figures.handler_seconds += (time.perf_counter() - started) - (figures.aws_seconds - aws_before)
                meter._current = None

        clients._make_api_call, invoker.invoke = call, invoke
        try:
            yield self
        finally:
            clients._make_api_call, invoker.invoke = original_call, original_invoke

    # ------------------------------------------------------------------ DynamoDB
    def _item(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        self._reading = True
        try:
            found: dict[str, Any] | None = self._dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get(
                "Item"
            )
            return found
        finally:
            self._reading = False

    def _before(self, service: str, operation: str, parameters: dict[str, Any]) -> Any:
        if service != "dynamodb":
            return None
        if operation in ("UpdateItem", "DeleteItem"):
            return item_size(self._item(parameters["TableName"], parameters["Key"]))
        if operation == "TransactWriteItems":
            sizes = []
            for entry in parameters["TransactItems"]:
                ((kind, body),) = entry.items()
                if kind == "Put":
                    sizes.append(item_size(body["Item"]))
                elif kind in ("Update", "Delete"):
                    sizes.append(item_size(self._item(body["TableName"], body["Key"])))
                else:  # ConditionCheck
                    sizes.append(item_size(self._item(body["TableName"], body["Key"])))
            return sizes
        return None

    def _account(self, service: str, operation: str, parameters: dict[str, Any], response: Any, before: Any) -> None:
        figures = self.current
        figures.calls[f"{service}:{operation}"] += 1
        figures.round_trips += ROUND_TRIP_SECONDS.get(service, 0.0)
        if service == "dynamodb":
            self._dynamodb_units(figures, operation, parameters, response, before)
        elif service == "sqs":
            if operation == "ReceiveMessage" and not (response or {}).get("Messages"):
                return  # Lambda's pollers long-poll empty queues all the time: a cost per queue and month
            figures.sqs_requests += _sqs_requests(operation, parameters)
        elif service == "sns" and operation == "Publish":
            figures.sns_publishes += max(1, math.ceil(len(str(parameters.get("Message", "")).encode()) / SQS_CHUNK))
        elif service == "s3":
            if operation in ("PutObject", "CopyObject", "ListObjectsV2"):
                figures.s3_puts += 1
            elif operation in ("GetObject", "HeadObject"):
                figures.s3_gets += 1

    def _dynamodb_units(
        self, figures: FunctionMeter, operation: str, parameters: dict[str, Any], response: Any, before: Any
    ) -> None:
        consistent = bool(parameters.get("ConsistentRead"))
        if operation == "PutItem":
            figures.write_units += write_units(item_size(parameters["Item"]))
        elif operation in ("UpdateItem", "DeleteItem"):
            after = (
                item_size(self._item(parameters["TableName"], parameters["Key"])) if operation == "UpdateItem" else 0
            )
            figures.write_units += write_units(max(before or 0, after))
        elif operation == "TransactWriteItems":
            figures.write_units += 2 * sum(write_units(size) for size in before or [])
        elif operation == "BatchWriteItem":
            for requests in parameters["RequestItems"].values():
                for request in requests:
                    if "PutRequest" in request:
                        figures.write_units += write_units(item_size(request["PutRequest"]["Item"]))
                    else:
                        figures.write_units += 1
        elif operation == "GetItem":
            item = (response or {}).get("Item")
            figures.read_units += read_units(item_size(item), consistent=consistent)
        elif operation in ("Query", "Scan"):
            items = (response or {}).get("Items", [])
            figures.read_units += read_units(sum(item_size(item) for item in items), consistent=consistent)
        elif operation == "BatchGetItem":
            for table, request in parameters["RequestItems"].items():
                found = (response or {}).get("Responses", {}).get(table, [])
                for item in found:
                    figures.read_units += read_units(item_size(item), consistent=bool(request.get("ConsistentRead")))
                figures.read_units += 0.5 * max(0, len(request["Keys"]) - len(found))


def _sqs_requests(operation: str, parameters: dict[str, Any]) -> int:
    if operation == "SendMessage":
        return max(1, math.ceil(len(str(parameters["MessageBody"]).encode()) / SQS_CHUNK))
    if operation == "SendMessageBatch":
        total = sum(len(str(entry["MessageBody"]).encode()) for entry in parameters["Entries"])
        return max(1, math.ceil(total / SQS_CHUNK))
    if operation in ("ReceiveMessage", "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility"):
        return 1
    return 1
