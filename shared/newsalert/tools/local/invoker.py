"""Running a function's handler in-process, as the Lambda service would run it.

Each function's handler module is imported once, from the folder its ``CodeUri`` names
and with that function's environment set (that import is its cold start), and every
invocation runs with the function's environment, a Lambda context, and its output (logs,
metrics) sent to the runtime's log file rather than to the terminal.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TextIO

from newsalert.tools.local.wiring import FunctionSpec

LOCAL_ONLY_ENVIRONMENT = {
    # No X-Ray daemon here: the tracer would only complain.
    "POWERTOOLS_TRACE_DISABLED": "true",
    # Feeds are served on 127.0.0.1 locally; in AWS the fetch guard refuses loopback.
    "NEWSALERT_ALLOW_LOOPBACK_FETCH": "true",
}


@dataclass
class LocalLambdaContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    timeout_seconds: int
    function_version: str = "$LATEST"

    def __post_init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = f"local/{self.aws_request_id}"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class _ForwardingStream(io.TextIOBase):
    """Where every function's stdout and stderr go: the log of whichever runtime is invoking.

    Powertools' Logger keeps the stream it was first configured with, once per service and
    process. Giving it this one stream, which forwards to the current log, keeps each
    runtime's logs in its own file even when several runtimes run in one process (tests).
    """

    def __init__(self) -> None:
        super().__init__()
        self.target: TextIO | None = None

    def write(self, text: str) -> int:
        if self.target is not None:
            self.target.write(text)
        return len(text)

    def flush(self) -> None:
        if self.target is not None:
            self.target.flush()

    @contextmanager
    def forwarding_to(self, target: TextIO) -> Iterator[None]:
        previous, self.target = self.target, target
        try:
            yield
        finally:
            self.target = previous


_FUNCTION_OUTPUT = _ForwardingStream()


@contextmanager
def patched_environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` set while the block runs, then exactly as it was."""
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class FunctionInvoker:
    def __init__(self, *, region: str, log: TextIO) -> None:
        self._region = region
        self._log = log
        self._modules: dict[str, ModuleType] = {}
        self.running: str | None = None
        """The logical id of the function whose handler is running, else None: the AWS calls made
        meanwhile are that function's (``newsalert.tools.local.faults`` faults only those)."""

    def running_function(self) -> str | None:
        return self.running

    def _environment_of(self, spec: FunctionSpec) -> dict[str, str]:
        return {
            **spec.environment,
            "AWS_REGION": self._region,
            "AWS_DEFAULT_REGION": self._region,
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
            **LOCAL_ONLY_ENVIRONMENT,
        }

    def _load(self, spec: FunctionSpec) -> ModuleType:
        if spec.logical_id not in self._modules:
            module_file, _ = spec.handler.rsplit(".", 1)
            path = spec.code_path / f"{module_file.replace('.', '/')}.py"
            module_name = f"_newsalert_local_{spec.logical_id}"
            loader_spec = importlib.util.spec_from_file_location(module_name, path)
            if loader_spec is None or loader_spec.loader is None:
                raise ImportError(f"cannot load {spec.logical_id}'s handler from {path}")
            module = importlib.util.module_from_spec(loader_spec)
            sys.modules[module_name] = module
            loader_spec.loader.exec_module(module)
            self._modules[spec.logical_id] = module
        return self._modules[spec.logical_id]

    def invoke(self, spec: FunctionSpec, event: dict[str, Any]) -> Any:
        context = LocalLambdaContext(
            function_name=spec.name,
            invoked_function_arn=spec.arn,
            memory_limit_in_mb=512,
            timeout_seconds=spec.timeout,
        )
        with (
            patched_environment(self._environment_of(spec)),
            _FUNCTION_OUTPUT.forwarding_to(self._log),
            redirect_stdout(_FUNCTION_OUTPUT),
            redirect_stderr(_FUNCTION_OUTPUT),
        ):
            self.running = spec.logical_id
            try:
                module = self._load(spec)
                handler = getattr(module, spec.handler.rsplit(".", 1)[1])
                return handler(event, context)
            finally:
                self.running = None
