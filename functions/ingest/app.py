"""Ingest: the feed-poll tick, polls from the poll queue, files dropped in the inbox, articles pushed to the API."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.parser.models import S3Model
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.aws.articles_table import ArticleStore
from newsalert.aws.clients import aws_clients, make_tracer
from newsalert.aws.queues import StageQueue
from newsalert.config import IngestSettings, load_settings
from newsalert.ingest.feed_registry import FeedRegistry
from newsalert.ingest.fetch import FetchPolicy, SafeFetcher
from newsalert.ingest.polling import FeedHealthPolicy, FeedPoller, PollDispatcher
from newsalert.ingest.sources import SourceCatalog, load_source_catalog
from newsalert.ingest.stage import Ingestor
from newsalert.ingest.triggers import FeedPollRecord, InboxAndApi, QueuedPolls, ScheduledPoll, parse_ingest_trigger
from newsalert.models import IngestOutcome

logger = Logger()
metrics = Metrics()
tracer = make_tracer()
poll_processor = BatchProcessor(event_type=EventType.SQS, model=FeedPollRecord)


@dataclass(frozen=True)
class Adapters:
    """Made once per cold start: settings, clients and configuration files."""

    settings: IngestSettings
    store: ArticleStore
    classify_queue: StageQueue
    sources: SourceCatalog
    registry: FeedRegistry
    dispatcher: PollDispatcher
    poller: FeedPoller
    s3: Any


@cache
def adapters() -> Adapters:
    settings = load_settings(IngestSettings, os.environ)
    dynamodb, sqs, s3 = aws_clients(tracer, "dynamodb", "sqs", "s3")
    sources = load_source_catalog()
    registry = FeedRegistry(dynamodb, settings.feeds_table)
    health = FeedHealthPolicy(settings.feed_failing_after, timedelta(hours=settings.feed_silent_after_hours))
    fetcher = SafeFetcher(FetchPolicy(allow_loopback=settings.allow_loopback_fetch, total_timeout=20))
    return Adapters(
        settings=settings,
        store=ArticleStore(dynamodb, settings.articles_table),
        classify_queue=StageQueue(sqs, settings.classify_queue_url),
        sources=sources,
        registry=registry,
        dispatcher=PollDispatcher(registry, StageQueue(sqs, settings.poll_queue_url), health),
        poller=FeedPoller(registry, fetcher, sources),
        s3=s3,
    )


def ingestor(context: LambdaContext) -> Ingestor:
    """Made per invocation: its deadline is when a retry may take over what it left unfinished."""
    deadline = time.time() + context.get_remaining_time_in_millis() / 1000
    made = adapters()
    return Ingestor(made.store, made.classify_queue, made.sources, deadline=deadline)


def report(outcomes: list[IngestOutcome]) -> list[dict[str, Any]]:
    """Log and count each outcome (metrics ArticlesQueued, ArticlesDuplicate, ArticlesQuarantined)."""
    documents = []
    for outcome in outcomes:
        document = outcome.model_dump(mode="json", exclude_none=True)
        logger.info("ingest outcome", extra=document)
        metrics.add_metric(name=f"Articles{outcome.fate.value.title()}", unit=MetricUnit.Count, value=1)
        documents.append(document)
    return documents


@tracer.capture_method
def poll_feed(record: FeedPollRecord, lambda_context: LambdaContext) -> dict[str, Any]:
    result = adapters().poller.poll(record.body, ingestor(lambda_context))
    metrics.add_metric(name="FeedPolls", unit=MetricUnit.Count, value=1)
    if result.status == "failed":
        logger.warning("feed failed", extra={"feed_url": result.url, "error": result.error})
        metrics.add_metric(name="FeedFailures", unit=MetricUnit.Count, value=1)
    if result.status == "not-modified":
        metrics.add_metric(name="FeedsNotModified", unit=MetricUnit.Count, value=1)
    return {"feed_id": result.feed_id, "status": result.status, "outcomes": report(result.outcomes)}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Any:
    trigger = parse_ingest_trigger(event)
    if isinstance(trigger, ScheduledPoll):
        dispatched = adapters().dispatcher.dispatch(trigger.scheduled_time or datetime.now(UTC))
        for name, value in (("FeedsFailing", dispatched.failing), ("FeedsSilent", dispatched.silent)):
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
        logger.info("feeds dispatched", extra=asdict(dispatched))
        return asdict(dispatched)
    if isinstance(trigger, QueuedPolls):
        return process_partial_response(
            event=trigger.event, record_handler=poll_feed, processor=poll_processor, context=context
        )
    inbox_and_api = InboxAndApi(ingestor(context), adapters().s3)
    if isinstance(trigger, S3Model):
        return {"outcomes": report(inbox_and_api.files(trigger))}
    outcomes, response = inbox_and_api.push(trigger)
    report(outcomes)
    return response
