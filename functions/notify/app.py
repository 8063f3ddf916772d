"""Notify: one alert per breaking article, published to SNS and routed by subscription filter policies."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.aws.alerts_topic import AlertsTopic
from newsalert.aws.articles_table import ArticlesTable
from newsalert.aws.clients import AwsClients
from newsalert.aws.idempotency import IdempotencyGuard
from newsalert.config import NotifySettings, load_settings
from newsalert.messages import ClassifiedArticleMessage
from newsalert.notify.stage import NotifyStage
from newsalert.observability import make_tracer

logger = Logger()
metrics = Metrics()
tracer = make_tracer()
processor = BatchProcessor(event_type=EventType.SQS, model=ClassifiedArticleMessage)


@cache
def stage() -> NotifyStage:
    settings = load_settings(NotifySettings, os.environ)
    aws = AwsClients(tracer)
    return NotifyStage(
        ArticlesTable(aws.dynamodb, settings.articles_table),
        AlertsTopic(aws.sns, settings.alerts_topic_arn),
        IdempotencyGuard(aws.dynamodb, settings.idempotency_table, key_prefix="notify", key_path="article.id"),
    )


@tracer.capture_method
def notify_message(record: ClassifiedArticleMessage) -> None:  # Powertools passes each SQS event record as `record`
    classified = record.body
    logger.set_correlation_id(classified.article.id)
    sent = stage().alert(classified)
    if sent.published_now:
        metrics.add_metric(name="AlertsPublished", unit=MetricUnit.Count, value=1)
    logger.info(
        "alerted",
        extra={
            "alert_id": sent.alert_id,
            "message_id": sent.message_id,
            "topics": [match.topic for match in classified.classification.topics],
        },
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    stage().begin_invocation(context)
    return process_partial_response(event=event, record_handler=notify_message, processor=processor, context=context)
