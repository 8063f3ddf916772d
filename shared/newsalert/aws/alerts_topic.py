"""The SNS alerts topic: alerts published to it, routed by the ``topics`` message attribute.

Each subscription's filter policy (for example ``{"topics": ["sco"]}``) matches against
the ``topics`` attribute, a ``String.Array``: SNS, not newsalert, decides who receives what.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from newsalert.models import Alert

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient


class AlertsTopic:
    """Publishes alerts (``newsalert.ports.AlertSink``). Receives its SNS client; never creates one."""

    def __init__(self, sns: SNSClient, topic_arn: str) -> None:
        self._sns = sns
        self._topic_arn = topic_arn

    def publish(self, alert: Alert, *, subject: str, messages: dict[str, str]) -> str:
        response = self._sns.publish(
            TopicArn=self._topic_arn,
            Subject=subject,
            Message=json.dumps(messages, ensure_ascii=False),
            MessageStructure="json",
            MessageAttributes={
                "topics": {"DataType": "String.Array", "StringValue": json.dumps(list(alert.topics))},
                "article_id": {"DataType": "String", "StringValue": alert.article_id},
                "alert_id": {"DataType": "String", "StringValue": alert.alert_id},
            },
        )
        message_id: str = response["MessageId"]
        return message_id
