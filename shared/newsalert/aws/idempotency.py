"""Doing a stage's work once per article with Powertools' idempotency utility and a DynamoDB table.

Implements ``newsalert.ports.OncePerArticle``. The idempotency key is ``<prefix>#<hash of the
article id>`` (the prefix names the stage), so a message redelivered after a timeout, or the
same article sent twice, finds the first run's record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from pydantic import BaseModel

from newsalert.ports import RemainingTime

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from mypy_boto3_dynamodb import DynamoDBClient

ModelT = TypeVar("ModelT", bound=BaseModel)
ResultT = TypeVar("ResultT")

RESULT_RETENTION_SECONDS = 7 * 24 * 3600
"""How long a finished article is remembered: longer than any SQS redelivery can come late."""


class IdempotencyGuard:
    """Receives its DynamoDB client; never creates one."""

    def __init__(self, dynamodb: DynamoDBClient, table_name: str, *, key_prefix: str, key_path: str) -> None:
        """``key_path`` is the JMESPath to the article id in the item (``article.id`` for a classified article)."""
        self._config = IdempotencyConfig(
            event_key_jmespath=key_path,
            raise_on_no_idempotency_key=True,
            expires_after_seconds=RESULT_RETENTION_SECONDS,
        )
        self._persistence = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=dynamodb)
        self._key_prefix = key_prefix

    def begin_invocation(self, remaining: RemainingTime) -> None:
        self._config.register_lambda_context(cast("LambdaContext", remaining))

    def run(self, action: Callable[[ModelT], ResultT], item: ModelT) -> ResultT:
        def act(item: ModelT) -> Any:
            return action(item)

        guarded = idempotent_function(
            data_keyword_argument="item",
            persistence_store=self._persistence,
            config=self._config,
            key_prefix=self._key_prefix,
        )(act)
        return cast(ResultT, guarded(item=item))
