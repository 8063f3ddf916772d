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

The session reads botocore's data files (``endpoints.json``, 1.2 MB, and each service's model and
endpoint rules) with ``PlainJsonFiles``: botocore's own reader makes every JSON object an
``OrderedDict``, which takes twice as long as ``json.loads`` making dicts, ordered as well
(about 30-45 ms of CPU for the first three clients, measured).
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools import Tracer

if TYPE_CHECKING:
    from botocore.loaders import JSONFileLoader
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


class PlainJsonFiles:
    """botocore's data files read as ``json.loads`` reads them: what botocore's ``JSONFileLoader``
    does (``name.json``, else ``name.json.gz``), with dicts instead of ``OrderedDict`` objects.

    Given to botocore's ``Loader`` as its ``file_loader``, which asks only ``exists`` and ``load_file``.
    """

    def exists(self, file_path: str) -> bool:
        return os.path.isfile(file_path + ".json") or os.path.isfile(file_path + ".json.gz")

    def load_file(self, file_path: str) -> Any:
        if os.path.isfile(file_path + ".json"):
            with open(file_path + ".json", "rb") as plain:
                return json.loads(plain.read().decode("utf-8"))
        if os.path.isfile(file_path + ".json.gz"):
            with gzip.open(file_path + ".json.gz", "rb") as compressed:
                return json.loads(compressed.read().decode("utf-8"))
        return None


class AwsClients:
    """One client per service, made when first called; the tracer traces their calls when tracing is on."""

    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer

    @cached_property
    def _session(self) -> Any:
        import botocore.session
        from botocore.loaders import create_loader

        session = botocore.session.get_session()
        loader = create_loader(session.get_config_variable("data_path"))  # as botocore makes it (AWS_DATA_PATH)
        loader.file_loader = cast("JSONFileLoader", PlainJsonFiles())  # what Loader asks of it, it has
        session.register_component("data_loader", loader)
        return session

    def _lazy(self, service: str) -> Any:
        def make() -> Any:
            self._tracer.patch(modules=("botocore",))  # once per process: Powertools remembers what it patched
            return self._session.create_client(service)

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
    def s3(self) -> S3Client:
        return cast("S3Client", self._lazy("s3"))
