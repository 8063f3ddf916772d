"""Ingest: the feed-poll tick, polls from the poll queue, files dropped in the inbox, articles pushed to the API."""

from __future__ import annotations

from newsalert.cold_start import pause_collector

pause_collector()  # before every other import; the first invocation resumes it (newsalert.cold_start)

import json
import os
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.aws.articles_table import ArticlesTable
from newsalert.aws.buckets import Buckets
from newsalert.aws.clients import AwsClients
from newsalert.aws.feed_memory import FeedMemoryTable
from newsalert.aws.feeds_table import FeedsTable
from newsalert.aws.queues import StageQueue
from newsalert.config import IngestSettings, load_settings
from newsalert.ingest.fetch import FetchPolicy, SafeFetcher
from newsalert.ingest.polling import FeedHealthPolicy
from newsalert.ingest.sources import load_source_catalog
from newsalert.ingest.stage import IngestStage
from newsalert.ingest.triggers import FeedPollMessage, dropped_files, scheduled_poll, trigger_of
from newsalert.messages import batch_model
from newsalert.models import Fate, IngestOutcome, intake_input
from newsalert.observability import log_invocation, make_logger, make_tracer

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

logger = make_logger()
metrics = Metrics()
tracer = make_tracer()
poll_processor = BatchProcessor(event_type=EventType.SQS, model=batch_model(FeedPollMessage))


@cache
def stage() -> IngestStage:
    settings = load_settings(IngestSettings, os.environ)
    aws = AwsClients(tracer)
    return IngestStage(
        articles=ArticlesTable(aws.dynamodb, settings.articles_table),
        classify_queue=StageQueue(aws.sqs, settings.classify_queue_url),
        sources=load_source_catalog(),
        feeds=FeedsTable(aws.dynamodb, settings.feeds_table),
        feed_memory=FeedMemoryTable(aws.dynamodb, settings.articles_table),
        poll_queue=StageQueue(aws.sqs, settings.poll_queue_url),
        fetcher=SafeFetcher(FetchPolicy(allow_loopback=settings.allow_loopback_fetch, total_timeout=20)),
        health=FeedHealthPolicy(settings.feed_failing_after, timedelta(hours=settings.feed_silent_after_hours)),
        objects=Buckets(aws.s3),
    )


def report(outcomes: list[IngestOutcome]) -> list[dict[str, Any]]:
    """Count each outcome (metrics ArticlesQueued, ArticlesDuplicate, ArticlesQuarantined) and log them:
    one line per input with the ids it gave, and a warning with the reason for each refusal."""
    by_input: dict[str, list[IngestOutcome]] = {}
    for outcome in outcomes:
        metrics.add_metric(name=f"Articles{outcome.fate.value.title()}", unit=MetricUnit.Count, value=1)
        by_input.setdefault(intake_input(outcome.origin), []).append(outcome)
        if outcome.fate is Fate.QUARANTINED:
            logger.warning(
                "quarantined", extra={"origin": outcome.origin, "id": outcome.article_id, "reason": outcome.reason}
            )
    for input_name, given in by_input.items():
        ids: dict[str, list[str | None]] = {}
        for outcome in given:
            ids.setdefault(outcome.fate.value, []).append(outcome.article_id)
        logger.info("admitted", extra={"input": input_name, **ids})
    return [outcome.model_dump(mode="json", exclude_none=True) for outcome in outcomes]


def on_schedule(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    tick = scheduled_poll(event)
    dispatched = stage().tick(tick.scheduled_time or datetime.now(UTC))
    for name, value in (("FeedsFailing", dispatched.failing), ("FeedsSilent", dispatched.silent)):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    logger.info("feeds dispatched", extra=asdict(dispatched))
    return asdict(dispatched)


@tracer.capture_method
def poll_feed(record: FeedPollMessage) -> dict[str, Any]:  # Powertools passes each SQS event record as `record`
    result = stage().poll(record.body)
    metrics.add_metric(name="FeedPolls", unit=MetricUnit.Count, value=1)
    if result.status == "failed":
        logger.warning("feed failed", extra={"feed_url": result.url, "error": result.error})
        metrics.add_metric(name="FeedFailures", unit=MetricUnit.Count, value=1)
    if result.status == "not-modified":
        metrics.add_metric(name="FeedsNotModified", unit=MetricUnit.Count, value=1)
    return {"feed_id": result.feed_id, "status": result.status, "outcomes": report(result.outcomes)}


def on_poll_messages(event: dict[str, Any], context: LambdaContext) -> Any:
    return process_partial_response(event=event, record_handler=poll_feed, processor=poll_processor, context=context)


def on_dropped_files(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return {"outcomes": report(stage().dropped(dropped_files(event)))}


@cache
def http_api() -> APIGatewayHttpResolver:
    """The HTTP API's routes, made on the first request (an invocation that polls never pays for them)."""
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types

    api = APIGatewayHttpResolver()

    @api.post("/articles")
    def push_articles() -> Response[str]:
        request = api.current_event
        received_at = datetime.fromtimestamp(request.request_context.time_epoch / 1000, UTC)
        pushed = stage().pushed(
            request.body or "",
            base64_encoded=bool(request.is_base64_encoded),
            request_id=request.request_context.request_id,
            received_at=received_at,
        )
        report(pushed.outcomes)
        return Response(pushed.status, content_types.APPLICATION_JSON, json.dumps(pushed.document))

    return api


def on_http_request(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return http_api().resolve(event, context)


TRIGGERS = {
    "schedule": on_schedule,
    "poll-queue": on_poll_messages,
    "inbox": on_dropped_files,
    "http-api": on_http_request,
}


@log_invocation(logger)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Any:
    on_trigger = TRIGGERS[trigger_of(event)]
    stage().begin_invocation(context)
    return on_trigger(event, context)
