"""The SNS alerts topic: each alert published once, every channel's body in it, routed by its attributes.

Each subscription's filter policy (for example ``{"topics": ["sco"], "urgency": ["flash"]}``)
matches against the message attributes (``topics`` is a ``String.Array``): SNS, not newsalert,
decides who receives what.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsalert.ports import Publication

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient


class AlertsTopic:
    """Publishes alerts (``newsalert.ports.AlertSink``). Receives its SNS client; never creates one."""

    def __init__(self, sns: SNSClient, topic_arn: str) -> None:
        self._sns = sns
        self._topic_arn = topic_arn

    def publish(self, publication: Publication) -> str:
        attributes: dict[str, Any] = publication.attributes
        response = self._sns.publish(
            TopicArn=self._topic_arn,
            Subject=publication.subject,
            Message=publication.sns_message(),
            MessageStructure="json",
            MessageAttributes=attributes,
        )
        message_id: str = response["MessageId"]
        return message_id
