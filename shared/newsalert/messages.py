"""The SQS messages between the stages, as Powertools' batch processor parses them.

Each is an entry of an SQS event (Powertools' ``SqsRecordModel``) whose body is one of the
models of ``newsalert.models``. Parsing validates the body as strictly as the stage that
produced it wrote it; a body that does not parse fails that message alone.
"""

from __future__ import annotations

from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from pydantic import Json

from newsalert.models import Article, ClassifiedArticle


class ArticleMessage(SqsRecordModel):
    """A message on the classify queue: one article from ingest."""

    body: Json[Article]


class ClassifiedArticleMessage(SqsRecordModel):
    """A message on the notify queue: one breaking article from classify."""

    body: Json[ClassifiedArticle]
