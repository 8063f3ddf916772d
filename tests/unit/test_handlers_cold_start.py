"""Importing a handler (the cold start) creates no AWS client and reads no configuration."""

from __future__ import annotations

import importlib.util
import sys

import boto3
import botocore.session
import pytest

from tests.conftest import PROJECT_ROOT


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
