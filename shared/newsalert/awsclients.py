"""AWS clients for the handlers, made on first use and never at import time.

Importing boto3, and X-Ray patching botocore, cost about a third of what importing a
handler would otherwise cost; the handlers' tracers are made with ``auto_patch=False`` and
pay for both here, once, when their first invocation builds its adapters.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Tracer


def aws_clients(tracer: Tracer, *services: str) -> list[Any]:
    """One boto3 client per service, with their calls traced by ``tracer`` (when tracing is on)."""
    tracer.patch(modules=("botocore",))
    import boto3

    return [boto3.client(service) for service in services]  # type: ignore[call-overload]
