"""Notify: one alert per breaking article, published to SNS and routed by subscription filter policies."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.aws.alerts_topic import AlertPublisher
from newsalert.aws.articles_table import ArticleStore
from newsalert.aws.clients import aws_clients, make_tracer
from newsalert.aws.idempotency import once_per_article
from newsalert.config import NotifySettings, load_settings
from newsalert.messages import ClassifiedArticleRecord
from newsalert.models import ClassifiedArticle
from newsalert.notify.stage import Notifier

logger = Logger()
metrics = Metrics()
tracer = make_tracer()
processor = BatchProcessor(event_type=EventType.SQS, model=ClassifiedArticleRecord)


@cache
def alert_once() -> tuple[Callable[..., dict[str, str]], IdempotencyConfig]:
    settings = load_settings(NotifySettings, os.environ)
    dynamodb, sns = aws_clients(tracer, "dynamodb", "sns")
    notifier = Notifier(ArticleStore(dynamodb, settings.articles_table), AlertPublisher(sns, settings.alerts_topic_arn))

    def alert(classified: ClassifiedArticle) -> dict[str, str]:
        sent, message_id = notifier.alert(classified)
        metrics.add_metric(name="AlertsPublished", unit=MetricUnit.Count, value=1)
        return {"alert_id": sent.alert_id, "message_id": message_id}

    return once_per_article(
        alert,
        dynamodb=dynamodb,
        table_name=settings.idempotency_table,
        argument="classified",
        article_id_path="article.id",
        stage="notify",
    )


@tracer.capture_method
def notify_record(record: ClassifiedArticleRecord) -> None:
    classified = record.body
    logger.set_correlation_id(classified.article.id)
    alert, _ = alert_once()
    result = alert(classified=classified)
    logger.info("alerted", extra={**result, "topics": [match.topic for match in classified.classification.topics]})


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    alert_once()[1].register_lambda_context(context)
    return process_partial_response(event=event, record_handler=notify_record, processor=processor, context=context)
