"""Importing a handler (the cold start) creates no AWS client and reads no configuration."""

from __future__ import annotations

import importlib.util
import sys

import boto3
import botocore.session
import pytest

from tests.conftest import PROJECT_ROOT
from tests.imports import printed_after_importing


@pytest.mark.parametrize("function", ["ingest", "classify", "notify"])
def test_importing_a_handler_creates_no_aws_client(function: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{function} created an AWS client at import time")  # pragma: no cover

    monkeypatch.setattr(boto3, "client", refuse)
    monkeypatch.setattr(boto3.session.Session, "client", refuse)
    monkeypatch.setattr(botocore.session.Session, "create_client", refuse)
    for name in ("ARTICLES_TABLE", "CLASSIFY_QUEUE_URL", "NOTIFY_QUEUE_URL", "ALERTS_TOPIC_ARN"):
        monkeypatch.delenv(name, raising=False)

    path = PROJECT_ROOT / "functions" / function / "app.py"
    spec = importlib.util.spec_from_file_location(f"_cold_start_{function}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)

    assert callable(module.lambda_handler)


def test_a_client_is_made_on_its_first_call_not_when_an_adapter_is_given_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsalert.aws.buckets import Buckets
    from newsalert.aws.clients import AwsClients
    from newsalert.observability import make_tracer

    made: list[str] = []

    class Client:
        def __init__(self, service: str) -> None:
            self.service = service

        def head_bucket(self, Bucket: str) -> dict[str, str]:  # botocore's parameter name
            return {"Bucket": Bucket}

    def create_client(self: object, service: str) -> Client:
        made.append(service)
        return Client(service)

    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setattr(botocore.session.Session, "create_client", create_client)
    aws = AwsClients(make_tracer())
    Buckets(aws.s3)
    aws.dynamodb, aws.sqs, aws.sns  # noqa: B018  # given out, not called

    assert made == []
    assert aws.s3.head_bucket(Bucket="inbox") == {"Bucket": "inbox"}
    assert aws.s3.head_bucket(Bucket="other") == {"Bucket": "other"}
    assert made == ["s3"]


@pytest.mark.parametrize("name", ["endpoints", "sdk-default-configuration", "dynamodb/2012-08-10/service-2"])
def test_botocore_data_files_read_as_plain_dicts_hold_what_botocore_reads(name: str) -> None:
    from botocore.loaders import JSONFileLoader, Loader

    from newsalert.aws.botocore_loader import PlainJsonFiles

    path, missing = f"{Loader.BUILTIN_DATA_PATH}/{name}", f"{Loader.BUILTIN_DATA_PATH}/no-such-file"
    theirs, ours = JSONFileLoader(), PlainJsonFiles()

    assert ours.exists(path) is theirs.exists(path) is True
    assert ours.load_file(path) == theirs.load_file(path)
    assert ours.exists(missing) is theirs.exists(missing) is False
    assert ours.load_file(missing) is theirs.load_file(missing) is None


@pytest.mark.parametrize("service", ["dynamodb", "sqs", "sns", "s3"])
@pytest.mark.parametrize("type_name", ["service-2", "endpoint-rule-set-1", "paginators-1"])
def test_the_model_loader_loads_what_botocore_loads(service: str, type_name: str) -> None:
    from botocore.loaders import create_loader

    from newsalert.aws.botocore_loader import model_loader

    assert model_loader(None).load_service_model(service, type_name) == create_loader(None).load_service_model(
        service, type_name
    )


def test_the_model_loader_fails_as_botocore_does_for_an_unknown_service_or_model() -> None:
    from botocore.exceptions import DataNotFoundError, UnknownServiceError

    from newsalert.aws.botocore_loader import model_loader

    with pytest.raises(UnknownServiceError, match="dynamodb"):  # the message lists the known services
        model_loader(None).load_service_model("no-such-service", "service-2")
    with pytest.raises(DataNotFoundError):
        model_loader(None).load_service_model("sqs", "waiters-2")


@pytest.mark.parametrize("function", ["ingest", "classify", "notify", "subscriptions"])
def test_importing_a_handler_imports_no_event_model_no_feed_reader_and_no_sdk(function: str) -> None:
    # Powertools' batch utility imports its SQS, DynamoDB-stream, Kinesis and Kafka event models
    # (for type hints) when pydantic is imported before it: about 50 ms that the handlers avoid.
    probe = (
        "import sys; print(sorted(m for m in sys.modules if m.startswith("
        "('aws_lambda_powertools.utilities.parser.models', 'feedparser', 'boto3', 'botocore.'))))"
    )

    assert printed_after_importing(function, probe) == "[]"


def test_subscriptions_builds_no_pipeline_model() -> None:
    # It checks topics, urgencies and languages (newsalert.fields), never an article or an alert:
    # building every model of newsalert.models would be 15-20 ms of its cold start.
    assert printed_after_importing("subscriptions", "import sys; print('newsalert.models' in sys.modules)") == "False"
