"""The functions' logs say each thing once: the request id on every line, the function's identity once."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

from newsalert.observability import log_invocation, make_logger


@dataclass
class _Context:
    aws_request_id: str
    function_name: str = "newsalert-IngestFunction-ABC"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:newsalert-IngestFunction-ABC"


def test_a_warm_invocation_logs_its_request_id_on_each_line_and_the_function_s_identity_only_once() -> None:
    stream = io.StringIO()
    logger = make_logger(stream)

    @log_invocation(logger)
    def handler(event: dict[str, Any], context: Any) -> str:
        logger.info("admitted", extra={"queued": [event["id"]]})
        return "done"

    requests = [str(uuid.uuid4()) for _ in range(3)]
    results = [handler({"id": f"art-{index}"}, _Context(request)) for index, request in enumerate(requests)]

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert results == ["done"] * 3
    assert [line["message"] for line in lines] == ["cold start", "admitted", "admitted", "admitted"]
    assert [line["request_id"] for line in lines] == [requests[0], *requests]
    assert lines[0]["function_name"] == "newsalert-IngestFunction-ABC"
    assert not any("function_name" in line or "function_arn" in line or "location" in line for line in lines[1:])
