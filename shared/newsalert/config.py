"""Each function's configuration, parsed once from its environment into a model.

The field aliases are the environment variable names that template.yaml sets;
``tests/unit/test_template.py`` fails when the two disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ConfigurationError(RuntimeError):
    """A function's environment lacks a setting or holds a bad value."""


class Settings(BaseModel):
    # defer_build: a function reads one of these models once; the others are never built in it.
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True, defer_build=True)


class FunctionSettings(Settings):
    """What the pipeline's functions share: the articles table."""

    articles_table: str = Field(alias="ARTICLES_TABLE", min_length=1)


class IngestSettings(FunctionSettings):
    classify_queue_url: str = Field(alias="CLASSIFY_QUEUE_URL", min_length=1)
    poll_queue_url: str = Field(alias="POLL_QUEUE_URL", min_length=1)
    feeds_table: str = Field(alias="FEEDS_TABLE", min_length=1)
    feed_failing_after: int = Field(default=3, alias="FEED_FAILING_AFTER", ge=1)
    """Consecutive failures from which a feed counts as failing (metric FeedsFailing)."""
    feed_silent_after_hours: int = Field(default=24, alias="FEED_SILENT_AFTER_HOURS", ge=1)
    """Hours without a new item after which a feed counts as silent (metric FeedsSilent)."""
    allow_loopback_fetch: bool = Field(default=False, alias="NEWSALERT_ALLOW_LOOPBACK_FETCH")
    """Let feeds on 127.0.0.1 through the fetch guard: the local runtime and tests only, never in AWS."""


class ClassifySettings(FunctionSettings):
    notify_queue_url: str = Field(alias="NOTIFY_QUEUE_URL", min_length=1)
    taxonomy_bucket: str = Field(alias="TAXONOMY_BUCKET", min_length=1)
    taxonomy_key: str = Field(alias="TAXONOMY_KEY", min_length=1)
    """Where an operator's taxonomy may override the bundled one (read at cold start)."""
    breaking_max_age_minutes: int = Field(default=360, alias="BREAKING_MAX_AGE_MINUTES", ge=1)
    archive_bucket: str = Field(alias="ARCHIVE_BUCKET", min_length=1)
    """Where classify keeps the articles it read, a batch per object (``newsalert.aws.archive``)."""

    @property
    def breaking_max_age(self) -> timedelta:
        return timedelta(minutes=self.breaking_max_age_minutes)


class NotifySettings(FunctionSettings):
    alerts_topic_arn: str = Field(alias="ALERTS_TOPIC_ARN", pattern=r"^arn:[\w-]+:sns:")


class SweepSettings(FunctionSettings):
    unfinished_after_minutes: int = Field(default=60, alias="UNFINISHED_AFTER_MINUTES", ge=30)
    """How long after its arrival an article still on its way counts as unfinished (past every queue's
    dead-letter redrive: ``newsalert.sweep.sweeper``)."""

    @property
    def unfinished_after(self) -> timedelta:
        return timedelta(minutes=self.unfinished_after_minutes)


class SubscriptionsSettings(Settings):
    """The subscriptions function reads no table: SNS keeps the subscriptions."""

    alerts_topic_arn: str = Field(alias="ALERTS_TOPIC_ARN", pattern=r"^arn:[\w-]+:sns:")
    taxonomy_bucket: str = Field(alias="TAXONOMY_BUCKET", min_length=1)
    taxonomy_key: str = Field(alias="TAXONOMY_KEY", min_length=1)
    fcm_platform_application_arn: str = Field(default="", alias="FCM_PLATFORM_APPLICATION_ARN")
    apns_platform_application_arn: str = Field(default="", alias="APNS_PLATFORM_APPLICATION_ARN")


SettingsT = TypeVar("SettingsT", bound=Settings)


def load_settings(model: type[SettingsT], environ: Mapping[str, str]) -> SettingsT:
    """Parse ``environ`` into ``model``, naming each missing or bad variable in the error."""
    try:
        return model.model_validate(dict(environ))
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}" for issue in error.errors()
        )
        raise ConfigurationError(f"{model.__name__} cannot be read from the environment: {problems}") from None
