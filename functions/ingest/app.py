"""Ingest: scheduled feed polls, files dropped in the inbox bucket, articles pushed to POST /articles."""

from __future__ import annotations

import os
import time
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser.models import S3Model
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.config import IngestSettings, load_settings
from newsalert.fetch import FetchPolicy, SafeFetcher
from newsalert.ingest import Ingestor
from newsalert.models import IngestOutcome
from newsalert.queues import StageQueue
from newsalert.sources import SourceCatalog, load_source_catalog
from newsalert.store import ArticleStore
from newsalert.triggers import IngestTriggers, ScheduledPoll, parse_ingest_trigger

logger = Logger()
metrics = Metrics()
tracer = Tracer()


@cache
def adapters() -> tuple[IngestSettings, ArticleStore, StageQueue, SourceCatalog, Any, SafeFetcher]:
    """Made once per cold start: settings, clients and configuration files."""
    settings = load_settings(IngestSettings, os.environ)
    return (
        settings,
        ArticleStore(boto3.client("dynamodb"), settings.articles_table),
        StageQueue(boto3.client("sqs"), settings.classify_queue_url),
        load_source_catalog(),
        boto3.client("s3"),
        SafeFetcher(FetchPolicy(allow_loopback=settings.allow_loopback_fetch)),
    )


def triggers(context: LambdaContext) -> IngestTriggers:
    """Made per invocation: its deadline is when a retry may take over what it left unfinished."""
    settings, store, queue, sources, s3, fetcher = adapters()
    deadline = time.time() + context.get_remaining_time_in_millis() / 1000
    return IngestTriggers(
        Ingestor(store, queue, sources, deadline=deadline),
        s3,
        fetcher,
        bucket=settings.ingest_bucket,
        feed_list_key=settings.feed_list_key,
    )


def report(outcomes: list[IngestOutcome]) -> list[dict[str, Any]]:
    """Log and count each outcome (metrics ArticlesQueued, ArticlesDuplicate, ArticlesQuarantined)."""
    documents = []
    for outcome in outcomes:
        document = outcome.model_dump(mode="json", exclude_none=True)
        logger.info("ingest outcome", extra=document)
        metrics.add_metric(name=f"Articles{outcome.fate.value.title()}", unit=MetricUnit.Count, value=1)
        documents.append(document)
    return documents


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    trigger = parse_ingest_trigger(event)
    if isinstance(trigger, ScheduledPoll):
        polls = triggers(context).poll(trigger)
        failures = {poll.feed_url: poll.error for poll in polls if poll.error}
        for feed_url, error in failures.items():
            logger.error("feed failed", extra={"feed_url": feed_url, "error": error})
            metrics.add_metric(name="FeedFailures", unit=MetricUnit.Count, value=1)
        documents = report([outcome for poll in polls for outcome in poll.outcomes])
        return {"outcomes": documents, "feed_failures": failures}
    if isinstance(trigger, S3Model):
        return {"outcomes": report(triggers(context).files(trigger))}
    outcomes, response = triggers(context).push(trigger)
    report(outcomes)
    return response
