"""The four ways work reaches ingest, told apart by their Lambda events.

- EventBridge Scheduler, with the ``Input`` that template.yaml gives: the tick that fans the
  due feeds out to the poll queue (``polling.PollDispatcher``).
- SQS, from the poll queue: poll these feeds (``polling.FeedPoller``).
- S3 object created under ``inbox/``: a dropped file.
- HTTP API ``POST /articles``: a newsroom system pushing JSON.

Each trigger's time (the scheduled time, the S3 event time, the request time) is the
``received_at`` of the articles it brings, so replaying an archived event replays its clock.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventV2Model, S3Model, SqsRecordModel
from pydantic import AwareDatetime, BaseModel, ConfigDict, Json, ValidationError

from newsalert.ingest.polling import FeedPollRequest
from newsalert.ingest.stage import Ingestor
from newsalert.models import Fate, IngestOutcome

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A dropped file larger than this is quarantined unread: no article is that long."""


class ScheduledPoll(BaseModel):
    """The scheduler's input (template.yaml, ``PollFeeds``)."""

    model_config = ConfigDict(extra="ignore")

    action: Literal["poll-feeds"]
    scheduled_time: AwareDatetime | None = None


class QueuedPolls(BaseModel):
    """An SQS batch from the poll queue; its records are parsed one by one by the batch processor."""

    event: dict[str, Any]


class FeedPollRecord(SqsRecordModel):
    body: Json[FeedPollRequest]


IngestTrigger = ScheduledPoll | QueuedPolls | S3Model | APIGatewayProxyEventV2Model


class UnknownTriggerError(ValueError):
    """An event that is none of ingest's three triggers."""


def parse_ingest_trigger(event: dict[str, Any]) -> IngestTrigger:
    """Tell the trigger by its shape, then validate it fully with its model."""
    try:
        if event.get("action") is not None:
            return ScheduledPoll.model_validate(event)
        records = event.get("Records")
        if isinstance(records, list) and records and records[0].get("eventSource") == "aws:s3":
            return S3Model.model_validate(event)
        if isinstance(records, list) and records and records[0].get("eventSource") == "aws:sqs":
            return QueuedPolls(event=event)
        if event.get("version") == "2.0" and "requestContext" in event:
            return APIGatewayProxyEventV2Model.model_validate(event)
    except ValidationError as error:
        raise UnknownTriggerError(f"malformed ingest event: {error}") from None
    raise UnknownTriggerError(f"not a scheduler, SQS, S3 or HTTP API event (keys: {sorted(event)[:10]})")


def _json_response(status: int, document: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(document),
    }


class InboxAndApi:
    """Dropped files and pushed articles, carried out with the ingest domain. Receives its S3 client."""

    def __init__(self, ingestor: Ingestor, s3: Any) -> None:
        self._ingestor = ingestor
        self._s3 = s3

    def files(self, event: S3Model) -> list[IngestOutcome]:
        outcomes: list[IngestOutcome] = []
        for record in event.Records:
            if record.s3.object is None:  # not an object event: nothing was dropped
                continue
            key = unquote_plus(record.s3.object.key)
            received_at = record.eventTime.astimezone(UTC)
            origin = f"s3://{record.s3.bucket.name}/{key}"
            size = int(record.s3.object.size or 0)
            if size > MAX_FILE_BYTES:
                reason = f"file is {size} bytes; files over {MAX_FILE_BYTES} bytes are not read"
                outcomes.append(self._ingestor.refuse(origin=origin, reason=reason, raw=b"", received_at=received_at))
                continue
            data = self._s3.get_object(Bucket=record.s3.bucket.name, Key=key)["Body"].read(MAX_FILE_BYTES + 1)
            outcomes += self._ingestor.ingest_file(data, key=origin, received_at=received_at)
        return outcomes

    def push(self, event: APIGatewayProxyEventV2Model) -> tuple[list[IngestOutcome], dict[str, Any]]:
        """Ingest pushed articles; returns the outcomes and the HTTP response."""
        context = event.requestContext
        received_at = datetime.fromtimestamp(context.timeEpoch.timestamp(), UTC)
        origin = f"api:{context.requestId}"
        raw = event.body if isinstance(event.body, str) else ""
        body: bytes | str = base64.b64decode(raw) if event.isBase64Encoded else raw
        outcomes = self._ingestor.ingest_pushed(body, origin=origin, received_at=received_at)
        refused = [outcome for outcome in outcomes if outcome.fate is Fate.QUARANTINED]
        document = {
            "accepted": len(outcomes) - len(refused),
            "refused": len(refused),
            "results": [outcome.model_dump(mode="json", exclude_none=True) for outcome in outcomes],
        }
        return outcomes, _json_response(400 if refused else 202, document)
