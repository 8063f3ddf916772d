"""The SNS alerts topic: each alert published once, every channel's body in it, routed by its attributes.

Each subscription's filter policy (for example ``{"topics": ["sco"], "urgency": ["flash"]}``)
matches against the message attributes (``topics`` is a ``String.Array``): SNS, not newsalert,
decides who receives what.

A publish is sent again only when SNS surely did not take it. botocore's own retries would resend
after a 500 or a read timeout, answers that may come after SNS has accepted the message and fanned
it out: so the SNS client is made without retries (``newsalert.aws.clients``), and this adapter
retries what is safe (throttling, a connection never made) and tells the rest apart: a refusal
(``PublishNotSentError``: any 4xx, no connection) or no answer (any other error: it may have gone out).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from newsalert.ports import Publication, PublishNotSentError

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient

PUBLISH_ATTEMPTS = 4
"""Tries for a publish SNS refused with a throttle or that never connected: about 1.5 s in all."""
BACKOFF_BASE = 0.2
THROTTLING_CODES = frozenset({"Throttled", "Throttling", "ThrottlingException", "ThrottledException"})

# botocore's exceptions are imported when an error is met, not with the handler (its cold start).


def _retryable(error: Exception) -> bool:
    from botocore.exceptions import ClientError
    from botocore.exceptions import ConnectionError as NoConnectionError

    if isinstance(error, NoConnectionError):
        return True
    return isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in THROTTLING_CODES


def _refused(error: Exception) -> bool:
    """True when SNS (or the client, before sending) surely did not take the message."""
    from botocore.exceptions import ClientError, NoCredentialsError, NoRegionError, ParamValidationError
    from botocore.exceptions import ConnectionError as NoConnectionError

    if isinstance(error, (NoConnectionError, ParamValidationError, NoCredentialsError, NoRegionError)):
        return True
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
        return 400 <= int(status) < 500
    return False


class AlertsTopic:
    """Publishes alerts (``newsalert.ports.AlertSink``). Receives its SNS client; never creates one."""

    def __init__(self, sns: SNSClient, topic_arn: str, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self._sns = sns
        self._topic_arn = topic_arn
        self._sleep = sleep

    def publish(self, publication: Publication) -> str:
        attributes: dict[str, Any] = publication.attributes
        for attempt in range(1, PUBLISH_ATTEMPTS + 1):
            try:
                response = self._sns.publish(
                    TopicArn=self._topic_arn,
                    Subject=publication.subject,
                    Message=publication.sns_message(),
                    MessageStructure="json",
                    MessageAttributes=attributes,
                )
            except Exception as error:
                if not _refused(error):
                    raise  # no answer (a 5xx, a timeout, a dropped connection): it may have gone out
                if attempt == PUBLISH_ATTEMPTS or not _retryable(error):
                    raise PublishNotSentError(f"SNS did not take the alert: {error}") from error
                self._sleep(BACKOFF_BASE * 2 ** (attempt - 1) * (0.5 + random.random()))  # noqa: S311 (jitter)
                continue
            message_id: str = response["MessageId"]
            return message_id
        raise AssertionError("unreachable: the last attempt returns or raises")
