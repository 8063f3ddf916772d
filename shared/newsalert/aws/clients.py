"""The AWS clients a handler needs, each made on first use, with its calls traced.

Nothing here runs at import time: importing the SDK and patching botocore for X-Ray cost about
a third of a handler's import, so they are paid once, when the first invocation builds its
stage (see ``newsalert.observability``). The clients are botocore's, made by a botocore session:
the same clients ``boto3.client`` returns, without importing boto3 itself (its resources, docs
and s3transfer, which load multiprocessing: ~20 ms of CPU on every cold start for nothing used).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Tracer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient


class AwsClients:
    """One client per service, made when first asked for; the tracer traces their calls when tracing is on."""

    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer

    @cached_property
    def _session(self) -> Any:
        import botocore.session

        return botocore.session.get_session()

    def _client(self, service: str) -> Any:
        self._tracer.patch(modules=("botocore",))  # once per process: Powertools remembers what it patched
        return self._session.create_client(service)

    @cached_property
    def dynamodb(self) -> DynamoDBClient:
        client: DynamoDBClient = self._client("dynamodb")
        return client

    @cached_property
    def sqs(self) -> SQSClient:
        client: SQSClient = self._client("sqs")
        return client

    @cached_property
    def sns(self) -> SNSClient:
        client: SNSClient = self._client("sns")
        return client

    @cached_property
    def s3(self) -> S3Client:
        client: S3Client = self._client("s3")
        return client
