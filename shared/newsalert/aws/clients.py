"""The AWS clients a handler needs, each made when first called, with its calls traced.

Nothing here runs at import time: importing the SDK and patching botocore for X-Ray cost about
a third of a handler's import, so they are paid once, when the first invocation builds its
stage (see ``newsalert.observability``). The clients are botocore's, made by one botocore session:
the same clients ``boto3.client`` returns, without importing boto3 itself (its resources, docs
and s3transfer, which load multiprocessing: ~20 ms of CPU on every cold start for nothing used).

A stage is built with every adapter its handler has, but a trigger uses only some of them (a
push to ingest's API never reads the inbox bucket): each client here is made on its first call,
not when an adapter is given it. Making a client costs 5 ms (SQS, SNS) to 50-100 ms (DynamoDB, S3:
their service models and endpoint rules are large); a client never called is never paid for.

The session loads botocore's data with ``newsalert.aws.botocore_loader`` (faster, the same data).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools import Tracer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient


class LazyClient:
    """Stands for a botocore client, and makes it on the first use of any of its attributes."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make: Callable[[], Any] | None = make
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:  # only for what this object does not have itself
        if self._make is not None:
            self._client, self._make = self._make(), None
        return getattr(self._client, name)


class AwsClients:
    """One client per service, made when first called; the tracer traces their calls when tracing is on."""

    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer

    @cached_property
    def _session(self) -> Any:
        import botocore.session

        from newsalert.aws.botocore_loader import model_loader

        session = botocore.session.get_session()
        session.register_component("data_loader", model_loader(session.get_config_variable("data_path")))
        return session

    def _lazy(self, service: str, *, retries: bool = True) -> Any:
        def make() -> Any:
            self._tracer.patch(modules=("botocore",))  # once per process: Powertools remembers what it patched
            if retries:
                return self._session.create_client(service)
            from botocore.config import Config

            return self._session.create_client(service, config=Config(retries={"total_max_attempts": 1}))

        return LazyClient(make)

    @cached_property
    def dynamodb(self) -> DynamoDBClient:
        return cast("DynamoDBClient", self._lazy("dynamodb"))

    @cached_property
    def sqs(self) -> SQSClient:
        return cast("SQSClient", self._lazy("sqs"))

    @cached_property
    def sns(self) -> SNSClient:
        return cast("SNSClient", self._lazy("sns"))

    @cached_property
    def sns_publisher(self) -> SNSClient:
        """SNS without botocore's retries, for alerts: they would resend a publish after a 500 or a
        timeout that SNS may have accepted (``newsalert.aws.alerts_topic`` retries what is safe)."""
        return cast("SNSClient", self._lazy("sns", retries=False))

    @cached_property
    def s3(self) -> S3Client:
        return cast("S3Client", self._lazy("s3"))
