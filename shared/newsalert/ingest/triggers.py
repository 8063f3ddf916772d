"""The four ways work reaches ingest, told apart by their Lambda events, and what each carries.

- EventBridge Scheduler, with the ``Input`` that template.yaml gives: the tick that fans the
  due feeds out to the poll queue.
- SQS, from the poll queue: poll these feeds (one ``FeedPollMessage`` each).
- S3 object created under ``inbox/``: dropped files.
- HTTP API ``POST /articles``: a newsroom system pushing JSON (routed by the handler).

Each trigger's time (the scheduled time, the S3 event time, the request time) is the
``received_at`` of the articles it brings, so replaying an archived event replays its clock.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any, Literal
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.parser.models import S3Model, SqsRecordModel
from pydantic import AwareDatetime, BaseModel, ConfigDict, Json, ValidationError

from newsalert.ingest.polling import FeedPollRequest
from newsalert.ingest.stage import DroppedFile

Trigger = Literal["schedule", "poll-queue", "inbox", "http-api"]


class UnknownTriggerError(ValueError):
    """An event that is none of ingest's four triggers, or one of them malformed."""


def trigger_of(event: dict[str, Any]) -> Trigger:
    """Which of the four triggers sent ``event``, told by its shape (each is validated when it is read)."""
    if event.get("action") is not None:
        return "schedule"
    records = event.get("Records")
    if isinstance(records, list) and records and isinstance(records[0], dict):
        source = records[0].get("eventSource")
        if source == "aws:s3":
            return "inbox"
        if source == "aws:sqs":
            return "poll-queue"
    if event.get("version") == "2.0" and "requestContext" in event:
        return "http-api"
    raise UnknownTriggerError(f"not a scheduler, SQS, S3 or HTTP API event (keys: {sorted(event)[:10]})")


class ScheduledPoll(BaseModel):
    """The scheduler's input (template.yaml, ``PollTick``)."""

    model_config = ConfigDict(extra="ignore")

    action: Literal["poll-feeds"]
    scheduled_time: AwareDatetime | None = None


class FeedPollMessage(SqsRecordModel):
    """A message on the poll queue: one feed to poll."""

    body: Json[FeedPollRequest]


def scheduled_poll(event: dict[str, Any]) -> ScheduledPoll:
    try:
        return ScheduledPoll.model_validate(event)
    except ValidationError as error:
        raise UnknownTriggerError(f"malformed ingest event: {error}") from None


def dropped_files(event: dict[str, Any]) -> list[DroppedFile]:
    """The files an S3 notification announces (entries that are not object events are skipped)."""
    try:
        notification = S3Model.model_validate(event)
    except ValidationError as error:
        raise UnknownTriggerError(f"malformed ingest event: {error}") from None
    return [
        DroppedFile(
            bucket=entry.s3.bucket.name,
            key=unquote_plus(entry.s3.object.key),
            size=int(entry.s3.object.size or 0),
            dropped_at=entry.eventTime.astimezone(UTC),
        )
        for entry in notification.Records
        if entry.s3.object is not None
    ]
