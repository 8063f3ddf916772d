"""How the operator commands reach a deployed stack: a boto3 session, the stack found by its name,
and AWS's failures said in one line instead of a traceback.

The session uses boto3's usual configuration (credentials, ``AWS_REGION``/``--region``, and
``AWS_ENDPOINT_URL`` for a stack served locally), so one code path serves AWS and any endpoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class AwsAccessError(Exception):
    """The stack or AWS could not be reached, or refused: the message says which, in one line."""


def session(region: str | None) -> Any:
    import boto3  # here, not at import: `newsalert --help` and the offline commands need no AWS SDK

    return boto3.session.Session(region_name=region)


@contextmanager
def aws_errors(stack: str | None = None) -> Iterator[None]:
    """Turn botocore's exceptions into ``AwsAccessError`` with a one-line reason."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
    )

    try:
        yield
    except NoRegionError:
        raise AwsAccessError("no AWS region: pass --region or set AWS_REGION") from None
    except NoCredentialsError:
        raise AwsAccessError("no AWS credentials: configure a profile or set AWS_ACCESS_KEY_ID") from None
    except EndpointConnectionError as error:
        raise AwsAccessError(f"cannot reach {error.kwargs.get('endpoint_url', 'AWS')}") from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", str(error))
        if code == "ValidationError" and stack and "does not exist" in message:
            raise AwsAccessError(f"no stack named {stack} (pass --stack NAME)") from None
        raise AwsAccessError(f"AWS refused: {code}: {message}") from None
    except BotoCoreError as error:
        raise AwsAccessError(str(error)) from None
