"""Classify: topics with explained scores for each article, and the breaking decision."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.aws.articles_table import ArticleStore
from newsalert.aws.clients import aws_clients, make_tracer
from newsalert.aws.queues import StageQueue
from newsalert.classify.collector import settle_after_loading
from newsalert.classify.stage import ClassifyStage
from newsalert.classify.taxonomy_source import load_classify_taxonomy
from newsalert.config import ClassifySettings, load_settings
from newsalert.messages import ArticleRecord

logger = Logger()
metrics = Metrics()
tracer = make_tracer()
processor = BatchProcessor(event_type=EventType.SQS, model=ArticleRecord)


@cache
def stage() -> ClassifyStage:
    settings = load_settings(ClassifySettings, os.environ)
    s3, dynamodb, sqs = aws_clients(tracer, "s3", "dynamodb", "sqs")
    loaded = load_classify_taxonomy(s3, settings.taxonomy_bucket, settings.taxonomy_key)
    if loaded.rejected:
        logger.error("operator taxonomy rejected; using the bundled one", extra={"reason": loaded.rejected})
        metrics.add_metric(name="TaxonomyOverrideRejected", unit=MetricUnit.Count, value=1)
    logger.info("taxonomy loaded", extra={"origin": loaded.origin, "topics": len(loaded.taxonomy.topics)})
    built = ClassifyStage(
        ArticleStore(dynamodb, settings.articles_table),
        StageQueue(sqs, settings.notify_queue_url),
        loaded.taxonomy,
        max_age=settings.breaking_max_age,
    )
    # The taxonomy, its compiled queries and patterns, and the imported modules live as long as the
    # execution environment: out of the collector's way from now on (newsalert.classify.collector says why).
    settle_after_loading()
    return built


@tracer.capture_method
def classify_record(record: ArticleRecord) -> None:
    article = record.body
    logger.set_correlation_id(article.id)
    classification = stage().process(article)
    logger.info(
        "classified",
        extra={
            "category": classification.category,
            "topics": [match.topic for match in classification.topics],
            "breaking": classification.breaking,
            "reason": classification.reason,
        },
    )
    metrics.add_metric(
        name="ArticlesBreaking" if classification.breaking else "ArticlesNotBreaking", unit=MetricUnit.Count, value=1
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=classify_record, processor=processor, context=context)
