"""Doing a stage's work once per article, however often SQS delivers the message.

The key is the article id, not the SQS message id: a message redelivered after a
timeout, or the same article sent twice, has a new message id but the same article.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

ResultT = TypeVar("ResultT")

RESULT_RETENTION_SECONDS = 7 * 24 * 3600
"""How long a finished article is remembered: longer than any SQS redelivery can come late."""


def once_per_article(
    function: Callable[..., ResultT],
    *,
    dynamodb: Any,
    table_name: str,
    argument: str,
    article_id_path: str,
    stage: str,
) -> tuple[Callable[..., ResultT], IdempotencyConfig]:
    """Wrap ``function`` so that a second call for the same article returns the first result.

    ``argument`` names the keyword argument holding the record; ``article_id_path`` is the
    JMESPath to the article id inside it. Returns the wrapped function and its config, on
    which the handler registers the Lambda context (for the in-progress timeout).
    """
    config = IdempotencyConfig(
        event_key_jmespath=article_id_path,
        raise_on_no_idempotency_key=True,
        expires_after_seconds=RESULT_RETENTION_SECONDS,
    )
    persistence = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=dynamodb)
    wrapped = idempotent_function(
        data_keyword_argument=argument, persistence_store=persistence, config=config, key_prefix=stage
    )(function)
    return wrapped, config
