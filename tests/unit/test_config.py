"""Function settings: parsed once from the environment, with errors that name the variable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsalert.config import ClassifySettings, ConfigurationError, IngestSettings, NotifySettings, load_settings


def test_settings_are_read_from_the_variables_the_template_sets() -> None:
    settings = load_settings(
        ClassifySettings,
        {
            "ARTICLES_TABLE": "articles",
            "NOTIFY_QUEUE_URL": "https://queue",
            "BREAKING_MAX_AGE_MINUTES": "90",
            "TAXONOMY_BUCKET": "bucket",
            "ARCHIVE_BUCKET": "bucket",
            "TAXONOMY_KEY": "config/taxonomy.yaml",
        },
    )
    assert settings.articles_table == "articles"
    assert settings.breaking_max_age == timedelta(minutes=90)


def test_a_missing_variable_is_named_in_the_error() -> None:
    with pytest.raises(ConfigurationError, match="CLASSIFY_QUEUE_URL: Field required"):
        load_settings(IngestSettings, {"ARTICLES_TABLE": "t", "FEEDS_TABLE": "f", "POLL_QUEUE_URL": "p"})


def test_a_bad_value_is_named_in_the_error() -> None:
    with pytest.raises(ConfigurationError, match="ALERTS_TOPIC_ARN"):
        load_settings(
            NotifySettings, {"ARTICLES_TABLE": "t", "IDEMPOTENCY_TABLE": "i", "ALERTS_TOPIC_ARN": "not-an-arn"}
        )


def test_loopback_fetching_is_off_unless_asked_for() -> None:
    base = {"ARTICLES_TABLE": "t", "FEEDS_TABLE": "f", "POLL_QUEUE_URL": "p", "CLASSIFY_QUEUE_URL": "q"}
    assert load_settings(IngestSettings, base).allow_loopback_fetch is False
    assert load_settings(IngestSettings, base | {"NEWSALERT_ALLOW_LOOPBACK_FETCH": "true"}).allow_loopback_fetch
