"""Classify: topics with explained scores for each article, and the breaking decision."""

from __future__ import annotations

import gc
import os
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.awsclients import aws_clients
from newsalert.classify import ClassifyStage
from newsalert.config import ClassifySettings, load_settings
from newsalert.queues import StageQueue
from newsalert.records import ArticleRecord
from newsalert.store import ArticleStore
from newsalert.taxonomy_source import load_classify_taxonomy


class _UntracedSegment(BaseSegment):
    """What a subsegment is where nothing is traced: every call does nothing."""

    def close(self, end_time: int | None = None) -> None: ...
    def add_subsegment(self, subsegment: Any) -> None: ...
    def remove_subsegment(self, subsegment: Any) -> None: ...
    def put_annotation(self, key: str, value: Any) -> None: ...
    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None: ...
    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None: ...


class _UntracedProvider(BaseProvider):
    """A tracing provider for where Powertools disables tracing anyway (outside Lambda, SAM local,
    ``POWERTOOLS_TRACE_DISABLED``): the same no-ops, without importing the X-Ray SDK to do them.

    ``Tracer`` imports ``aws_xray_sdk.core`` (and with it botocore, about 200 ms) for its default
    provider even when it is disabled; given a provider, it does not.
    """

    @contextmanager
    def in_subsegment(self, name: str | None = None, **kwargs: Any) -> Generator[BaseSegment, None, None]:
        yield _UntracedSegment()

    in_subsegment_async = in_subsegment  # type: ignore[assignment]  # never used by this handler's sync code

    def put_annotation(self, key: str, value: Any) -> None: ...
    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None: ...
    def patch(self, modules: Sequence[str]) -> None: ...
    def patch_all(self) -> None: ...


def _tracer() -> Tracer:
    # In Lambda with tracing on, Powertools' own rule (``Tracer._is_tracer_disabled``) says False and
    # the tracer gets its default X-Ray provider, exactly as before. Wherever that rule disables
    # tracing, the tracer is disabled with a provider that does not import the X-Ray SDK.
    if Tracer._is_tracer_disabled():
        return Tracer(auto_patch=False, disabled=True, provider=_UntracedProvider())
    return Tracer(auto_patch=False)  # botocore is patched with the first clients: see awsclients


logger = Logger()
metrics = Metrics()
tracer = _tracer()
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
    # execution environment: freezing them moves them out of the collector's generations, so the
    # garbage collections that classifying triggers no longer walk these hundreds of thousands of
    # objects again and again. It frees nothing and changes no result.
    gc.freeze()
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
