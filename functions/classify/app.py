"""Classify: topics with explained scores for each article, and the breaking decision."""

from __future__ import annotations

from newsalert.cold_start import pause_collector

pause_collector()  # before every other import; the first invocation resumes it (newsalert.cold_start)

import os
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.aws.archive import ArticleArchive
from newsalert.aws.articles_table import ArticlesTable
from newsalert.aws.buckets import Buckets
from newsalert.aws.clients import AwsClients
from newsalert.aws.queues import StageQueue
from newsalert.aws.stories_table import StoriesTable
from newsalert.classify.collector import settle_after_loading
from newsalert.classify.stage import ClassifyStage
from newsalert.classify.stories import StoryGrouper
from newsalert.classify.taxonomy import load_classify_taxonomy
from newsalert.config import ClassifySettings, load_settings
from newsalert.messages import ArticleMessage, batch_model
from newsalert.observability import log_invocation, make_logger, make_tracer

logger = make_logger()
metrics = Metrics()
tracer = make_tracer()
processor = BatchProcessor(event_type=EventType.SQS, model=batch_model(ArticleMessage))


@cache
def stage() -> ClassifyStage:
    settings = load_settings(ClassifySettings, os.environ)
    aws = AwsClients(tracer)
    loaded = load_classify_taxonomy(Buckets(aws.s3), settings.taxonomy_bucket, settings.taxonomy_key)
    if loaded.rejected:
        logger.error("operator taxonomy rejected; using the bundled one", extra={"reason": loaded.rejected})
        metrics.add_metric(name="TaxonomyOverrideRejected", unit=MetricUnit.Count, value=1)
    logger.info("taxonomy loaded", extra={"origin": loaded.origin, "topics": len(loaded.taxonomy.topics)})
    stories = StoryGrouper(
        StoriesTable(aws.dynamodb, settings.articles_table), loaded.taxonomy.entities, clock=lambda: datetime.now(UTC)
    )
    built = ClassifyStage(
        ArticlesTable(aws.dynamodb, settings.articles_table),
        StageQueue(aws.sqs, settings.notify_queue_url),
        loaded.taxonomy,
        max_age=settings.breaking_max_age,
        stories=stories,
        archive=ArticleArchive(aws.s3, settings.archive_bucket),
    )
    # The taxonomy, its compiled queries and patterns, and the imported modules live as long as the
    # execution environment: out of the collector's way from now on (newsalert.classify.collector says why).
    settle_after_loading()
    return built


@tracer.capture_method
def classify_message(record: ArticleMessage) -> None:  # Powertools passes each SQS event record as `record`
    article = record.body
    logger.set_correlation_id(article.id)
    classification = stage().process(article)
    logger.info(
        "classified",
        extra={
            "breaking": classification.breaking,
            "reason": classification.reason,
            "category": classification.category,
            "topics": [match.topic for match in classification.topics],
            **({"story": classification.story.story_id} if classification.story else {}),
            **({"urgency": classification.urgency.value} if classification.breaking else {}),
        },
    )
    metrics.add_metric(
        name="ArticlesBreaking" if classification.breaking else "ArticlesNotBreaking", unit=MetricUnit.Count, value=1
    )


@log_invocation(logger)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    response = process_partial_response(
        event=event, record_handler=classify_message, processor=processor, context=context
    )
    # The breaking articles to notify in batches of ten, the batch's articles to the archive as one
    # object. If either fails the invocation fails and the batch comes back (notify alerts once).
    stage().finish_batch(context.aws_request_id)
    return response
