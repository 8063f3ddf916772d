"""``newsalert serve``: the stack from template.yaml live on 127.0.0.1, driven by real clients over loopback."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from newsalert.tools.cli import main
from newsalert.tools.local.live import LiveStack, rate_seconds
from tests.conftest import PROJECT_ROOT
from tests.integration.test_sweep import PUSHED


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _until(condition: Callable[[], bool], seconds: float = 60) -> bool:
    """Whether ``condition`` comes true within ``seconds`` (a bound on waiting, not a measure of speed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def live() -> Iterator[LiveStack]:
    stack = LiveStack(PROJECT_ROOT, port=_free_port(), api_port=_free_port(), tick_seconds=0.2, say=lambda _: None)
    with stack:
        stack.start()
        yield stack


def _client(live: LiveStack, service: str) -> Any:
    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=live.endpoint,
        region_name=live.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_a_real_client_pushes_an_article_and_the_pipeline_alerts_its_subscriber(
    live: LiveStack, capsys: pytest.CaptureFixture[str]
) -> None:
    queues = _client(live, "sqs").list_queues()["QueueUrls"]
    assert any("ClassifyQueue" in url for url in queues)
    # Every newsalert command finds the stack by its default name through the printed environment.
    assert main(["subscribe", "--email", "desk@example.org", "--topics", "sco"]) == 0
    capsys.readouterr()

    fresh = PUSHED | {"published": datetime.now(UTC).isoformat()}  # breaking news is news of now
    request = urllib.request.Request(f"{live.api_url}/articles", data=json.dumps(fresh).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 202
        [result] = json.loads(response.read())["results"]

    table = live.runtime.stack.outputs["ArticlesTableName"]
    dynamodb = _client(live, "dynamodb")

    def alerted() -> bool:
        key = {"pk": {"S": f"ARTICLE#{result['article_id']}"}, "sk": {"S": "ARTICLE"}}
        item = dynamodb.get_item(TableName=table, Key=key).get("Item", {})
        return item.get("status", {}).get("S") == "alerted"

    assert _until(alerted)
    assert [delivery.endpoint for delivery in live.runtime.mailbox.deliveries] == ["desk@example.org"]
    assert main(["status"]) == 0


def test_a_file_put_in_the_inbox_by_any_client_is_ingested(live: LiveStack) -> None:
    bucket = live.runtime.stack.outputs["IngestBucketName"]
    sample = (PROJECT_ROOT / "events" / "samples" / "xi-putin-sco-astana.txt").read_bytes()

    _client(live, "s3").put_object(Bucket=bucket, Key="inbox/xi-putin.txt", Body=sample)

    def classified() -> bool:
        items = _client(live, "dynamodb").scan(TableName=live.runtime.stack.outputs["ArticlesTableName"])["Items"]
        return any(item["pk"]["S"].startswith("ARTICLE#") and item["status"]["S"] != "received" for item in items)

    assert _until(classified)


def test_an_unknown_route_is_404_and_schedules_read_their_template_rate(live: LiveStack) -> None:
    request = urllib.request.Request(f"{live.api_url}/nothing-here", method="GET")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 404
    assert rate_seconds("rate(5 minutes)") == 300
    assert rate_seconds("rate(1 day)") == 86400
    with pytest.raises(ValueError, match="only rate"):
        rate_seconds("cron(0 * * * ? *)")
