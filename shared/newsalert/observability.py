"""The handlers' tracer: X-Ray in Lambda, a no-op that imports nothing where tracing is off.

Importing boto3, and X-Ray patching botocore, cost about a third of what importing a
handler would otherwise cost; the handlers' tracers are made with ``auto_patch=False``,
and ``newsalert.aws.clients`` patches botocore once, when the first client is made.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from contextlib import contextmanager
from typing import Any

from aws_lambda_powertools import Tracer
from aws_lambda_powertools.tracing.base import BaseProvider, BaseSegment


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
