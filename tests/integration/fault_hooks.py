"""Faults injected into the botocore clients that the deployed functions make (not into our own code).

``faults.on(event, hook)`` adds ``hook`` to every botocore client made from then on: the functions
make theirs on first use, so a test registers its faults before it invokes them. A ``before-call``
hook that returns ``refusal(...)`` answers the call with that error without sending it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse

Hook = Callable[..., Any]


class Faults:
    """Hooks added to every botocore client made from now on (the function's, made on first use)."""

    def __init__(self) -> None:
        self.hooks: list[tuple[str, Hook]] = []

    def on(self, event: str, hook: Hook) -> None:
        self.hooks.append((event, hook))


def injected_faults(monkeypatch: pytest.MonkeyPatch) -> Faults:
    """The ``faults`` fixture (tests/integration/conftest.py)."""
    injected = Faults()
    create_client = botocore.session.Session.create_client

    def create_with_faults(self: Any, *args: Any, **kwargs: Any) -> Any:
        client = create_client(self, *args, **kwargs)
        for event, hook in injected.hooks:
            client.meta.events.register_first(event, hook)
        return client

    monkeypatch.setattr(botocore.session.Session, "create_client", create_with_faults)
    return injected


def refusal(status: int, code: str) -> tuple[AWSResponse, dict[str, Any]]:
    """What a ``before-call`` hook returns to answer a call with an error without sending it.

    (A ``before-send`` hook would not do: botocore runs every ``before-send`` handler and takes the
    first response, so moto's own handler would still carry out the call it was meant to refuse.)
    """
    http = AWSResponse("https://aws.local/", status, {}, None)
    parsed = {"Error": {"Code": code, "Message": f"injected {code}"}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return http, parsed
