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

from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import unquote_plus

from pydantic import AwareDatetime, BaseModel, ConfigDict, Json, NonNegativeFloat, ValidationError

from newsalert.ingest.polling import FeedPollRequest
from newsalert.ingest.stage import DroppedFile
from newsalert.messages import SqsRecord

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


class FeedPollMessage(SqsRecord):
    """A message on the poll queue: one feed to poll."""

    body: Json[FeedPollRequest]  # type: ignore[assignment]  # the body's JSON, parsed


# What ingest reads of an S3 event notification (the fields of Powertools' ``S3Model`` that it
# uses, checked the same way; its other models are not built on a cold start for nothing).
class _S3Object(BaseModel):
    key: str
    size: NonNegativeFloat | None = None


class _S3Bucket(BaseModel):
    name: str


class _S3Entity(BaseModel):
    bucket: _S3Bucket
    object: _S3Object | None = None  # absent from some events (a test event, a bucket-level one)


class _S3Record(BaseModel):
    eventSource: Literal["aws:s3"] = "aws:s3"
    eventTime: datetime
    s3: _S3Entity


class S3Notification(BaseModel):
    """An S3 event notification (``Records``), as Lambda delivers it."""

    Records: list[_S3Record]


def scheduled_poll(event: dict[str, Any]) -> ScheduledPoll:
    try:
        return ScheduledPoll.model_validate(event)
    except ValidationError as error:
        raise UnknownTriggerError(f"malformed ingest event: {error}") from None


def dropped_files(event: dict[str, Any]) -> list[DroppedFile]:
    """The files an S3 notification announces (entries that are not object events are skipped)."""
    try:
        notification = S3Notification.model_validate(event)
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
