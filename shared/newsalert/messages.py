"""SQS records whose body is a newsalert record, for Powertools' batch processor.

Parsing a record into these models validates the body as strictly as the stage that
produced it wrote it; a body that does not parse fails that record alone.
"""

from __future__ import annotations

from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from pydantic import Json

from newsalert.models import Article, ClassifiedArticle


class ArticleRecord(SqsRecordModel):
    """A message on the classify queue: one article from ingest."""

    body: Json[Article]


class ClassifiedArticleRecord(SqsRecordModel):
    """A message on the notify queue: one breaking article from classify."""

    body: Json[ClassifiedArticle]
