"""Notify: one alert per story (and an update when it escalates) through SNS, and the hourly digests."""

from __future__ import annotations

from newsalert.cold_start import pause_collector

pause_collector()  # before every other import; the first invocation resumes it (newsalert.cold_start)

import os
from dataclasses import asdict
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.aws.alert_ledger import AlertLedger
from newsalert.aws.alerts_topic import AlertsTopic
from newsalert.aws.articles_table import ArticlesTable
from newsalert.aws.clients import AwsClients
from newsalert.config import NotifySettings, load_settings
from newsalert.messages import ClassifiedArticleMessage, batch_model
from newsalert.models import Fate
from newsalert.notify.rendering import render_alert, render_digest
from newsalert.notify.stage import NotifyStage
from newsalert.observability import log_invocation, make_logger, make_tracer

logger = make_logger()
metrics = Metrics()
tracer = make_tracer()
processor = BatchProcessor(event_type=EventType.SQS, model=batch_model(ClassifiedArticleMessage))
OUTCOME_METRICS = {Fate.ALERTED: "AlertsPublished", Fate.JOINED: "ArticlesJoinedStory", Fate.HELD: "AlertsHeld"}


@cache
def stage() -> NotifyStage:
    settings = load_settings(NotifySettings, os.environ)
    aws = AwsClients(tracer)
    ledger = AlertLedger(aws.dynamodb, settings.articles_table)
    return NotifyStage(
        ArticlesTable(aws.dynamodb, settings.articles_table),
        ledger,
        ledger,
        ledger,
        AlertsTopic(aws.sns_publisher, settings.alerts_topic_arn),
        render_alert=render_alert,
        render_digest=render_digest,
    )


@tracer.capture_method
def notify_message(record: ClassifiedArticleMessage) -> None:  # Powertools passes each SQS event record as `record`
    classified = record.body
    logger.set_correlation_id(classified.article.id)
    outcome = stage().notify(classified)
    if not outcome.already_sent:
        metrics.add_metric(name=OUTCOME_METRICS[outcome.fate], unit=MetricUnit.Count, value=1)
        for topic in outcome.sent_to:
            # Per topic too (service and topic dimensions), for the alerts-per-topic alarm: one
            # metric line per topic of an alert, and alerts are a few in a hundred articles.
            with single_metric(name="AlertsPublished", unit=MetricUnit.Count, value=1) as per_topic:
                per_topic.add_dimension(name="topic", value=topic)
    if outcome.took_over:
        metrics.add_metric(name="AlertsTakenOver", unit=MetricUnit.Count, value=1)
    if outcome.unconfirmed and not outcome.already_sent:
        metrics.add_metric(name="AlertsUnconfirmed", unit=MetricUnit.Count, value=1)
        logger.error("alert publish got no answer: recorded as sent, unconfirmed", extra={"error": outcome.error})
    if outcome.record_failed:
        metrics.add_metric(name="AlertRecordFailed", unit=MetricUnit.Count, value=1)
        logger.error(
            "alert published but not recorded",
            extra={"alert_id": outcome.alert_id, "message_id": outcome.message_id},
        )
    logger.info(outcome.fate.value, extra={key: value for key, value in asdict(outcome).items() if value})


def on_digest_schedule(event: dict[str, Any]) -> dict[str, Any]:
    scheduled = event.get("scheduled_time")
    now = datetime.fromisoformat(scheduled) if scheduled else datetime.now(UTC)
    sent = stage().send_digests(now)
    metrics.add_metric(name="DigestsSent", unit=MetricUnit.Count, value=sum(not digest.skipped for digest in sent))
    unconfirmed = sum(digest.unconfirmed for digest in sent)
    if unconfirmed:
        metrics.add_metric(name="AlertsUnconfirmed", unit=MetricUnit.Count, value=unconfirmed)
    logger.info("digests sent", extra={"digests": [asdict(digest) for digest in sent]})
    return {"digests": [asdict(digest) for digest in sent]}


@log_invocation(logger)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> Any:
    stage().begin_invocation(context)
    if event.get("action") == "send-digests":
        return on_digest_schedule(event)
    return process_partial_response(event=event, record_handler=notify_message, processor=processor, context=context)
