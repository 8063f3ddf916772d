"""boto3 clients for the embedded AWS, made once per runtime and on first use."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import boto3


class EmbeddedAwsClients:
    """The clients the local runtime needs, all in one region of moto's embedded AWS."""

    def __init__(self, region: str) -> None:
        self.region = region
        self._session = boto3.session.Session(
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106
        )

    def client(self, service: str) -> Any:
        return self._session.client(service)  # type: ignore[call-overload]

    @cached_property
    def s3(self) -> Any:
        return self.client("s3")

    @cached_property
    def sqs(self) -> Any:
        return self.client("sqs")

    @cached_property
    def sns(self) -> Any:
        return self.client("sns")

    @cached_property
    def dynamodb(self) -> Any:
        return self.client("dynamodb")

    @cached_property
    def lambda_(self) -> Any:
        return self.client("lambda")

    @cached_property
    def cloudformation(self) -> Any:
        return self.client("cloudformation")
