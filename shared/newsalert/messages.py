"""The SQS messages between the stages, as Powertools' batch processor parses them.

Each is an entry of an SQS event (``SqsRecord``) whose body is one of the models of
``newsalert.models``. Parsing validates the body as strictly as the stage that produced it wrote
it; a body that does not parse fails that message alone.

``SqsRecord`` is this project's own model of the record rather than Powertools' ``SqsRecordModel``:
the batch processor needs only ``model_validate`` and ``messageId``, and Powertools' model (with its
attribute models, and the event models its import brings) is 10-20 ms of every SQS handler's cold
start for fields nothing here reads. The envelope is checked as Lambda delivers it (every field
present, from SQS); ``attributes`` and ``messageAttributes`` are kept unparsed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import BaseModel, Json

from newsalert.models import Article, ClassifiedArticle

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parser.models import SqsRecordModel


class SqsRecord(BaseModel):
    """An entry of an SQS event as Lambda delivers it; the body is for subclasses to type."""

    messageId: str
    receiptHandle: str
    body: str
    attributes: dict[str, Any]
    messageAttributes: dict[str, Any]
    md5OfBody: str
    eventSource: Literal["aws:sqs"]
    eventSourceARN: str
    awsRegion: str


def batch_model(model: type[SqsRecord]) -> type[SqsRecordModel]:
    """``model`` typed as what Powertools' ``BatchProcessor(model=...)`` is annotated to take: it calls
    ``model_validate`` on each record and reads ``messageId`` of those that fail, which ``SqsRecord`` has."""
    return cast("type[SqsRecordModel]", model)


class ArticleMessage(SqsRecord):
    """A message on the classify queue: one article from ingest."""

    body: Json[Article]  # type: ignore[assignment]  # the body's JSON, parsed: what a subclass is for


class ClassifiedArticleMessage(SqsRecord):
    """A message on the notify queue: one breaking article from classify."""

    body: Json[ClassifiedArticle]  # type: ignore[assignment]
