"""Subscriptions: a website or an app subscribes, shows and unsubscribes subscribers (HTTP API, IAM-signed).

``POST /subscriptions`` takes a subscriber as JSON (``protocol``, ``endpoint``, ``platform`` for
push, ``topics``, ``urgency``, ``languages``) and answers 201 with the subscription; ``GET`` and
``DELETE /subscriptions/{id}`` show or remove one. A subscriber that cannot be used is a 400
with the reason; an unknown id is a 404.
"""

from __future__ import annotations

from newsalert.cold_start import pause_collector

pause_collector()  # before every other import; the first invocation resumes it (newsalert.cold_start)

import json
import os
from functools import cache
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from newsalert.aws.buckets import Buckets
from newsalert.aws.clients import AwsClients
from newsalert.aws.subscriptions import SnsSubscriptions
from newsalert.classify.topic_ids import operator_topic_ids
from newsalert.config import SubscriptionsSettings, load_settings
from newsalert.notify.subscribers import Platform, SubscriberError, Subscription, new_subscriber, subscribe
from newsalert.observability import log_invocation, make_logger, make_tracer

logger = make_logger()
metrics = Metrics()
tracer = make_tracer()
api = APIGatewayHttpResolver()


@cache
def subscriptions() -> tuple[SnsSubscriptions, frozenset[str]]:
    """The alerts topic's subscriptions, and the topics a subscriber may follow (read once per cold start)."""
    settings = load_settings(SubscriptionsSettings, os.environ)
    aws = AwsClients(tracer)
    platforms: dict[Platform, str] = {
        "fcm": settings.fcm_platform_application_arn,
        "apns": settings.apns_platform_application_arn,
    }
    known = operator_topic_ids(Buckets(aws.s3), settings.taxonomy_bucket, settings.taxonomy_key)
    return SnsSubscriptions(aws.sns, settings.alerts_topic_arn, platforms), known


def _answer(status: int, subscription: Subscription) -> Response[str]:
    return Response(status, content_types.APPLICATION_JSON, subscription.model_dump_json())


@api.post("/subscriptions")
def add_subscription() -> Response[str]:
    try:
        fields = json.loads(api.current_event.decoded_body or "")
    except (ValueError, UnicodeDecodeError):
        raise BadRequestError("the body must be a JSON object describing the subscriber") from None
    if not isinstance(fields, dict):
        raise BadRequestError("the body must be a JSON object describing the subscriber")
    store, known = subscriptions()
    try:
        created = subscribe(store, new_subscriber(**fields), known)
    except SubscriberError as error:
        raise BadRequestError(str(error)) from None
    metrics.add_metric(name="SubscribersAdded", unit=MetricUnit.Count, value=1)
    logger.info("subscribed", extra={"subscription_id": created.subscription_id, "protocol": created.protocol})
    return _answer(201, created)


@api.get("/subscriptions/<subscription_id>")
def show_subscription(subscription_id: str) -> Response[str]:
    store, _ = subscriptions()
    try:
        return _answer(200, store.subscription(subscription_id))
    except LookupError as error:
        raise NotFoundError(str(error)) from None


@api.delete("/subscriptions/<subscription_id>")
def remove_subscription(subscription_id: str) -> Response[str]:
    store, _ = subscriptions()
    try:
        removed = store.unsubscribe(subscription_id)
    except LookupError as error:
        raise NotFoundError(str(error)) from None
    metrics.add_metric(name="SubscribersRemoved", unit=MetricUnit.Count, value=1)
    logger.info("unsubscribed", extra={"subscription_id": subscription_id})
    return _answer(200, removed)


@log_invocation(logger)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return api.resolve(event, context)
