"""Faults in the AWS calls the deployed functions make: throttling, 5xx, and answers lost after the work was done.

The local runtime's AWS is moto, in-process, and moto answers a request in a botocore ``before-send``
handler. botocore calls *every* ``before-send`` handler and takes the first answer, so a handler of
our own cannot stop moto from doing the work; instead the injector wraps moto's handler: for a
throttle or a 5xx the request never reaches moto and botocore gets an error response; for a lost
answer moto does the work and botocore gets a 500 (or a read timeout) in place of moto's answer.
Either way botocore then parses the error and its own retry logic runs (``needs-retry``), as it
would in AWS: the functions see exactly what a real SDK would show them — a call that succeeded
after retries, or the error after the last attempt.

Only the functions' calls are touched: the injector asks the runtime's invoker which function is
running, and a call made while none is (the test's own clients, the runtime playing Lambda's SQS
poller, S3 notifications or API Gateway) goes to moto untouched.

botocore sleeps between attempts (legacy mode: up to seconds). While the injector is attached that
sleep is counted, not slept, for the functions' calls: a load with a thousand retried calls would
otherwise spend minutes asleep, and the sleeping changes nothing the accounting can see.

Rates are per call (per HTTP attempt, so a retry can be faulted again), drawn from a seeded RNG;
``force`` adds a rule that faults chosen calls every time (or a number of times), for tests of one
fault at one place.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from types import SimpleNamespace
from typing import Any

import botocore.endpoint
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import ReadTimeoutError
from moto.core.botocore_stubber import BotocoreStubber, MockRawResponse


class FaultKind(StrEnum):
    THROTTLE = "throttle"
    """Refused before any work: DynamoDB ``ProvisionedThroughputExceededException`` or ``ThrottlingException``
    (400), SQS and SNS ``Throttling`` (400), S3 ``SlowDown`` (503)."""
    SERVER_ERROR = "5xx"
    """Refused before any work: ``InternalServerError``/``InternalError`` (500) or ``ServiceUnavailable`` (503)."""
    LOST = "lost"
    """The call was performed, then its answer lost: a 500 or a read timeout in place of the answer.
    This is what makes duplicates: the caller (or botocore's retry) cannot tell it from a call not made."""


@dataclass(frozen=True)
class FaultRates:
    """The chance of each fault on each call attempt a function makes; ``operations`` limits them to
    some calls (``"sqs"`` or ``"sqs:SendMessageBatch"``), ``functions`` to some functions (logical ids)."""

    throttle: float = 0.0
    server_error: float = 0.0
    lost: float = 0.0
    operations: frozenset[str] | None = None
    functions: frozenset[str] | None = None

    def applies_to(self, function: str, service: str, operation: str) -> bool:
        if self.functions is not None and function not in self.functions:
            return False
        return self.operations is None or bool({service, f"{service}:{operation}"} & self.operations)


@dataclass
class FaultRule:
    """Fault every matching call (``times=None``) or the next ``times`` of them."""

    kind: FaultKind
    service: str
    operation: str | None = None
    function: str | None = None
    times: int | None = None
    when: Callable[[bytes], bool] | None = None
    """A test of the request body, for a rule about one call among several of the same operation."""
    injected: int = 0

    def matches(self, function: str, service: str, operation: str, body: bytes) -> bool:
        if self.times is not None and self.injected >= self.times:
            return False
        if self.service != service or (self.operation is not None and self.operation != operation):
            return False
        if self.function is not None and self.function != function:
            return False
        return self.when is None or self.when(body)


@dataclass
class FaultInjector:
    """Injects faults into the functions' AWS calls while ``attached``; ``injected`` counts them.

    ``injected`` is keyed by (service, operation, kind); ``calls`` counts every attempt the functions
    made, faulted or not, by (service, operation); ``performed`` the attempts moto carried out (not
    faulted, or their answer lost), for a rule about what follows a call; ``backoff_seconds`` is the
    sleep botocore asked for between attempts (counted, not slept).
    """

    rates: FaultRates = field(default_factory=FaultRates)
    seed: int = 0
    rules: list[FaultRule] = field(default_factory=list)
    injected: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    performed: Counter[tuple[str, str]] = field(default_factory=Counter)
    backoff_seconds: float = 0.0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)  # noqa: S311 - repeatable faults, not secrets
        self._running: Callable[[], str | None] = lambda: None

    def force(
        self,
        kind: FaultKind,
        service: str,
        operation: str | None = None,
        *,
        function: str | None = None,
        times: int | None = None,
        when: Callable[[bytes], bool] | None = None,
    ) -> FaultRule:
        """Fault the matching calls: every one (``times=None``, so every retry too) or the next ``times``."""
        rule = FaultRule(kind, service, operation, function, times, when)
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()

    @property
    def total(self) -> int:
        return sum(self.injected.values())

    def by_kind(self) -> Counter[str]:
        kinds: Counter[str] = Counter()
        for (_, _, kind), count in self.injected.items():
            kinds[kind] += count
        return kinds

    def report(self) -> list[str]:
        """A table of what was injected, by operation, beside how many attempts that operation made."""
        kinds = list(FaultKind)
        lines = [
            f"| {'operation':<32} | {'attempts':>8} | " + " | ".join(f"{kind.value:>8}" for kind in kinds) + " |",
            f"|{'-' * 34}|{'-' * 10}|" + "|".join("-" * 10 for _ in kinds) + "|",
        ]
        for service, operation in sorted(self.calls):
            counts = [self.injected[(service, operation, kind.value)] for kind in kinds]
            if any(counts):
                lines.append(
                    f"| {service + ':' + operation:<32} | {self.calls[(service, operation)]:>8} | "
                    + " | ".join(f"{count:>8}" for count in counts)
                    + " |"
                )
        attempts = sum(self.calls.values())
        lines.append(
            f"faults injected: {self.total} in {attempts} attempts ("
            + ", ".join(f"{kind.value} {self.by_kind()[kind.value]}" for kind in kinds)
            + f"); botocore's backoff between attempts: {self.backoff_seconds:.1f} s (counted, not slept)"
        )
        return lines

    # ----------------------------------------------------------------- attaching
    @contextmanager
    def attached(self, running: Callable[[], str | None]) -> Iterator[FaultInjector]:
        """Fault the calls made while ``running()`` names a function (the invoker's running function)."""
        stubber: Any = BotocoreStubber
        original_call = stubber.__call__
        endpoint: Any = botocore.endpoint  # its ``time`` module, whose sleep is botocore's backoff
        real_time = endpoint.time
        injector = self
        self._running = running

        def call(handler: BotocoreStubber, event_name: str, request: AWSPreparedRequest, **kwargs: Any) -> Any:
            function = running()
            if function is None or not handler.enabled:
                return original_call(handler, event_name, request, **kwargs)
            # "before-send.<service id>.<operation>": the service id hyphenated (dynamodb, sqs, sns, s3).
            _, service, operation = event_name.split(".", 2)
            injector.calls[(service, operation)] += 1
            kind = injector._choose(function, service, operation, _body(request))
            if kind is None:
                injector.performed[(service, operation)] += 1
                return original_call(handler, event_name, request, **kwargs)
            injector.injected[(service, operation, kind.value)] += 1
            if kind is FaultKind.LOST:
                injector.performed[(service, operation)] += 1
                original_call(handler, event_name, request, **kwargs)  # done, and the answer never arrives
                if injector._rng.random() < 0.5:
                    raise ReadTimeoutError(endpoint_url=request.url)
            return _error_response(request, service, kind, injector._rng)

        def sleep(seconds: float) -> None:
            if running() is None:
                real_time.sleep(seconds)
            else:
                injector.backoff_seconds += seconds

        stubber.__call__ = call
        endpoint.time = SimpleNamespace(**{**vars(real_time), "sleep": sleep})
        try:
            yield self
        finally:
            stubber.__call__ = original_call
            endpoint.time = real_time
            self._running = lambda: None

    def _choose(self, function: str, service: str, operation: str, body: bytes) -> FaultKind | None:
        for rule in self.rules:
            if rule.matches(function, service, operation, body):
                rule.injected += 1
                return rule.kind
        rates = self.rates
        if not rates.applies_to(function, service, operation):
            return None
        draw = self._rng.random()
        for kind, rate in (
            (FaultKind.THROTTLE, rates.throttle),
            (FaultKind.SERVER_ERROR, rates.server_error),
            (FaultKind.LOST, rates.lost),
        ):
            if draw < rate:
                return kind
            draw -= rate
        return None


def _body(request: AWSPreparedRequest) -> bytes:
    body = request.body
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return b""  # a stream (an S3 upload): rules do not look into it


_THROTTLES = {
    "dynamodb": [("ProvisionedThroughputExceededException", 400), ("ThrottlingException", 400)],
    "s3": [("SlowDown", 503)],
}
_SERVER_ERRORS = {
    "dynamodb": [("InternalServerError", 500), ("ServiceUnavailable", 503)],
}


def _error_response(request: AWSPreparedRequest, service: str, kind: FaultKind, rng: random.Random) -> AWSResponse:
    """An error as the service's protocol carries it, so that botocore parses the code it would in AWS."""
    if kind is FaultKind.THROTTLE:
        code, status = rng.choice(_THROTTLES.get(service, [("Throttling", 400)]))
    elif kind is FaultKind.SERVER_ERROR:
        code, status = rng.choice(_SERVER_ERRORS.get(service, [("InternalError", 500), ("ServiceUnavailable", 503)]))
    else:
        code, status = ("InternalServerError" if service == "dynamodb" else "InternalError"), 500
    message = f"injected by newsalert.tools.local.faults ({kind.value})"
    content_type = request.headers.get("Content-Type", b"")
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    headers: dict[str, str] = {"x-amzn-RequestId": "injected-fault"}
    if "json" in content_type:
        # JSON protocols (DynamoDB, SQS): the code in __type; SQS, compatible with its query protocol,
        # also names it in x-amzn-query-error, which botocore prefers.
        body = json.dumps({"__type": f"com.amazonaws.{service}#{code}", "message": message}).encode()
        side = "Sender" if status < 500 else "Receiver"
        headers |= {"Content-Type": content_type, "x-amzn-query-error": f"{code};{side}"}
    elif service == "s3":
        body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
        headers["Content-Type"] = "application/xml"
    else:  # the query protocol (SNS)
        kind_of = "Sender" if status < 500 else "Receiver"
        body = (
            f"<ErrorResponse><Error><Type>{kind_of}</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            "<RequestId>injected-fault</RequestId></ErrorResponse>"
        ).encode()
        headers["Content-Type"] = "text/xml"
    return AWSResponse(request.url, status, headers, MockRawResponse(body))  # type: ignore[arg-type]
