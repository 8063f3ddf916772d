"""The handlers' tracer and logger: X-Ray in Lambda, a no-op that imports nothing where tracing is off;
JSON logs that say each thing once.

Importing boto3, and X-Ray patching botocore, cost about a third of what importing a
handler would otherwise cost; the handlers' tracers are made with ``auto_patch=False``,
and ``newsalert.aws.clients`` patches botocore once, when the first client is made.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment

from newsalert.cold_start import resume_collector

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

LambdaHandler = TypeVar("LambdaHandler", bound=Callable[..., Any])


class _UntracedSegment(BaseSegment):
    """What a subsegment is where nothing is traced: every call does nothing."""

    def close(self, end_time: int | None = None) -> None: ...
    def add_subsegment(self, subsegment: Any) -> None: ...
    def remove_subsegment(self, subsegment: Any) -> None: ...
    def put_annotation(self, key: str, value: Any) -> None: ...
    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None: ...
    def add_exception(self, exception: BaseException, stack: Any, remote: bool = False) -> None: ...


class _UntracedProvider(BaseProvider):
    """A tracing provider for where Powertools disables tracing anyway (outside Lambda, SAM local,
    ``POWERTOOLS_TRACE_DISABLED``): the same no-ops, without importing the X-Ray SDK to do them.

    ``Tracer`` imports ``aws_xray_sdk.core`` (and with it botocore, about 200 ms) for its default
    provider even when it is disabled; given a provider, it does not.
    """

    @contextmanager
    def in_subsegment(self, name: str | None = None, **kwargs: Any) -> Generator[BaseSegment, None, None]:
        yield _UntracedSegment()

    in_subsegment_async = in_subsegment  # type: ignore[assignment]  # never used by this handler's sync code

    def put_annotation(self, key: str, value: Any) -> None: ...
    def put_metadata(self, key: str, value: Any, namespace: str = "default") -> None: ...
    def patch(self, modules: Sequence[str]) -> None: ...
    def patch_all(self) -> None: ...


def make_tracer() -> Tracer:
    """The handler's tracer: X-Ray in Lambda, a no-op that imports nothing where tracing is off."""
    # In Lambda with tracing on, Powertools' own rule (``Tracer._is_tracer_disabled``) says False and
    # the tracer gets its default X-Ray provider, exactly as before. Wherever that rule disables
    # tracing, the tracer is disabled with a provider that does not import the X-Ray SDK.
    if Tracer._is_tracer_disabled():
        return Tracer(auto_patch=False, disabled=True, provider=_UntracedProvider())
    return Tracer(auto_patch=False)  # botocore is patched with the first client: see newsalert.aws.clients


def make_logger(stream: IO[str] | None = None) -> Logger:
    """The handler's logger: JSON lines, without the source location on each (the message says where)."""
    return Logger(location=None, stream=stream)


def log_invocation(logger: Logger) -> Callable[[LambdaHandler], LambdaHandler]:
    """What ``Logger.inject_lambda_context`` tells, each thing once.

    Every line carries the request id, to tell invocations apart; the function's name, version
    and memory size go on one ``cold start`` line when an execution environment starts, not on
    every line (they were 40 % of the bytes the functions logged, and CloudWatch Logs bills by
    the byte). A warm invocation adds nothing but the request id.

    The first invocation's end is also where the cold start ends: the garbage collector, paused
    by the handler's module before its imports (``newsalert.cold_start``), is turned back on.
    """

    def decorate(handler: LambdaHandler) -> LambdaHandler:
        started = False

        @functools.wraps(handler)
        def handle(event: dict[str, Any], context: LambdaContext) -> Any:
            nonlocal started
            logger.append_keys(request_id=context.aws_request_id)
            if not started:
                started = True
                logger.info(
                    "cold start",
                    extra={
                        "function_name": context.function_name,
                        "function_version": context.function_version,
                        "function_memory_size": context.memory_limit_in_mb,
                    },
                )
                try:
                    return handler(event, context)
                finally:
                    resume_collector()
            return handler(event, context)

        return cast("LambdaHandler", handle)

    return decorate
