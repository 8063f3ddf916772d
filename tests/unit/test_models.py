"""The records between stages: stable ids, UTC times, and loud failures on anything unexpected."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from newsalert.ingest.formats.pushed_json import PushedArticle
from newsalert.models import (
    Alert,
    Article,
    Classification,
    ClassifiedArticle,
    Evidence,
    TopicMatch,
    content_fingerprint,
)
from newsalert.urls import InvalidURLError

PUBLISHED = datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
RECEIVED = datetime(2024, 7, 4, 9, 10, tzinfo=UTC)
CEST = timezone(timedelta(hours=2))


def article(**overrides: Any) -> Article:
    fields: dict[str, Any] = {
        "title": "Earthquake strikes off the coast of Japan",
        "source": "Example Wire",
        "published": PUBLISHED,
        "received_at": RECEIVED,
        "url": "https://news.example.com/world/quake?id=9",
        "summary": "A magnitude 7.1 earthquake struck on Thursday.",
        "body": "A magnitude 7.1 earthquake struck off the coast on Thursday morning.",
        **overrides,
    }
    return Article.create(**fields)


# ------------------------------------------------------------------------ ids


def test_id_comes_from_the_canonical_url() -> None:
    plain = article(url="https://news.example.com/world/quake?id=9")
    tracked = article(
        url="HTTPS://News.Example.com:443/world/quake?utm_source=twitter&id=9&fbclid=x#live",
        title="A different headline for the same link",
        body="Rewritten text.",
    )

    assert tracked.id == plain.id
    assert tracked.url == plain.url == "https://news.example.com/world/quake?id=9"
    assert plain.id.startswith("art-")
    assert len(plain.id) == 4 + 32


def test_different_urls_give_different_ids() -> None:
    assert article(url="https://news.example.com/a").id != article(url="https://news.example.com/b").id


def test_id_is_stable_across_runs() -> None:
    # Stored ids must survive a restart: no randomness or process-specific hashing in the id.
    expected = "art-" + hashlib.sha256(b"url:https://news.example.com/a").hexdigest()[:32]

    assert article(url="https://news.example.com/a").id == expected


def test_without_url_the_id_comes_from_the_content_ignoring_case_and_spacing() -> None:
    one = article(url=None, title="Earthquake strikes  Japan", body="Magnitude 7.1\n\nstruck on Thursday.")
    two = article(url=None, title="  EARTHQUAKE strikes Japan ", body="magnitude 7.1 struck\ton thursday.")
    other = article(url=None, title="Earthquake strikes Japan", body="Magnitude 6.0 struck on Thursday.")

    assert one.url is None
    assert one.id == two.id
    assert one.content_hash == two.content_hash
    assert one.id != other.id


def test_without_url_or_body_the_summary_is_the_content() -> None:
    one = article(url=None, body="", summary="First summary.")
    two = article(url=None, body="", summary="Second summary.")

    assert one.id != two.id


def test_fingerprint_ignores_unicode_form() -> None:
    composed = content_fingerprint("Caf\u00e9 closes", "")
    decomposed = content_fingerprint("Cafe\u0301 closes", "")

    assert composed == decomposed


def test_empty_url_is_treated_as_no_url() -> None:
    assert article(url="").url is None


def test_url_that_cannot_name_an_article_is_refused() -> None:
    with pytest.raises(InvalidURLError):
        article(url="ftp://news.example.com/a")


# ------------------------------------------------------------------------ fields


def test_published_is_converted_to_utc() -> None:
    local = article(
        published=datetime(2024, 7, 4, 9, 29, tzinfo=CEST), received_at=datetime(2024, 7, 4, 11, 10, tzinfo=CEST)
    )

    assert local.published == PUBLISHED
    assert local.published.utcoffset() == timedelta(0)
    assert local.received_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize("field", ["published", "received_at"])
def test_naive_datetime_is_refused(field: str) -> None:
    with pytest.raises(ValidationError, match="timezone"):
        article(**{field: datetime(2024, 7, 4, 7, 29)})


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_empty_title_is_refused(title: str) -> None:
    with pytest.raises(ValidationError, match="title"):
        article(title=title)


def test_title_and_source_are_stripped() -> None:
    stripped = article(title="  Quake \n", source=" Wire ")

    assert (stripped.title, stripped.source) == ("Quake", "Wire")


def test_bad_language_code_is_refused() -> None:
    with pytest.raises(ValidationError, match="language"):
        article(language="English")


def test_unknown_field_is_refused() -> None:
    data = json.loads(article().model_dump_json())
    data["priority"] = "high"

    with pytest.raises(ValidationError, match="priority"):
        Article.model_validate_json(json.dumps(data))
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        PushedArticle.model_validate({"title": "t", "source": "s", "published": PUBLISHED, "author": "x"})


def test_types_are_not_coerced() -> None:
    # Strict: a string where a datetime belongs is refused in Python (JSON carries times as text).
    data = article().model_dump()
    data["published"] = "2024-07-04T07:29:00Z"

    with pytest.raises(ValidationError, match="published"):
        Article.model_validate(data)
    with pytest.raises(ValidationError, match="score"):
        TopicMatch(topic="earthquakes", label="Earthquakes", score="0.9")  # type: ignore[arg-type]


def test_records_are_frozen() -> None:
    record = article()

    with pytest.raises(ValidationError):
        record.title = "Changed"  # type: ignore[misc]


def test_article_json_round_trip_is_equal() -> None:
    original = article(flags=("published-missing",), language="pt-BR")

    assert Article.model_validate_json(original.model_dump_json()) == original


def test_classified_article_json_round_trip_is_equal() -> None:
    original = ClassifiedArticle(
        article=article(),
        classification=Classification(
            article_id=article().id,
            category="world",
            topics=(
                TopicMatch(
                    topic="earthquakes",
                    label="Earthquakes",
                    score=0.9,
                    evidence=(Evidence(term="earthquake", text="Earthquake", field="title", start=0, end=10),),
                ),
            ),
            breaking=True,
            reason="Fresh report of a major earthquake",
        ),
    )

    assert ClassifiedArticle.model_validate_json(original.model_dump_json()) == original


def test_alert_published_is_utc() -> None:
    alert = Alert(
        alert_id="story-1#0",
        story_id="story-1",
        update=0,
        article_id="art-1",
        title="t",
        url=None,
        source="s",
        published=datetime(2024, 7, 4, 9, 29, tzinfo=CEST),
        topics=("world",),
    )

    assert alert.published == PUBLISHED
    assert alert.published.utcoffset() == timedelta(0)


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_topic_score_outside_zero_to_one_is_refused(score: float) -> None:
    with pytest.raises(ValidationError, match="score"):
        TopicMatch(topic="earthquakes", label="Earthquakes", score=score)


@pytest.mark.parametrize(
    ("evidence", "problem"),
    [
        ({"term": "quake", "text": "Quake", "field": "url", "start": 0, "end": 5}, "evidence.0.field"),
        ({"term": "quake", "text": "Quake", "field": "title", "start": -1, "end": 5}, "evidence.0.start"),
        ({"term": "quake", "text": "Quake", "field": "title", "start": "0", "end": 5}, "evidence.0.start"),
        ({"term": "quake", "text": "Quake", "field": "title", "start": 0, "end": 5, "extra": 1}, "evidence.0.extra"),
        ({"term": "quake", "text": "Quake", "field": "title", "start": 0}, "evidence.0.end"),
    ],
)
def test_evidence_read_from_outside_is_validated_strictly(evidence: dict[str, object], problem: str) -> None:
    # Evidence is a dataclass that the classifier makes without validation; what a stage reads
    # from a queue or a file is still checked field by field.
    match = {"topic": "earthquakes", "label": "Earthquakes", "score": 0.9, "evidence": [evidence]}

    with pytest.raises(ValidationError, match=problem.replace(".", r"\.")):
        TopicMatch.model_validate_json(json.dumps(match))


def test_evidence_given_in_python_must_be_evidence() -> None:
    evidence = {"term": "quake", "text": "Quake", "field": "title", "start": 0, "end": 5}
    match = {"topic": "earthquakes", "label": "Earthquakes", "score": 0.9, "evidence": (evidence,)}

    with pytest.raises(ValidationError, match="instance of Evidence"):
        TopicMatch.model_validate(match)


# ------------------------------------------------------------------------ pushed articles


def test_pushed_article_from_json_keeps_its_zone() -> None:
    pushed = PushedArticle.model_validate_json(
        '{"title": "Quake", "source": "Desk", "published": "2024-07-04T09:29:00+02:00"}'
    )

    assert pushed.published == PUBLISHED
    assert pushed.url is None


def test_pushed_article_takes_a_time_without_a_zone_or_a_day_alone_as_written() -> None:
    # Reading them (in the outlet's zone, flagged) is ingest's job: the model only keeps what was written.
    bare = PushedArticle.model_validate_json('{"title": "Quake", "source": "Desk", "published": "2024-07-04T07:29:00"}')
    day = PushedArticle.model_validate_json('{"title": "Quake", "source": "Desk", "published": "2024-07-04"}')

    assert bare.published == datetime(2024, 7, 4, 7, 29)
    assert day.published == date(2024, 7, 4)


def test_pushed_article_with_empty_title_is_refused() -> None:
    with pytest.raises(ValidationError, match="title"):
        PushedArticle.model_validate_json('{"title": " ", "source": "Desk", "published": "2024-07-04T07:29:00Z"}')


def test_where_the_title_ends_is_part_of_the_content_fingerprint() -> None:
    one = article(url=None, title="Quake", body="hits Tokyo")
    other = article(url=None, title="Quake hits", body="Tokyo")

    assert one.content_hash != other.content_hash
    assert one.id != other.id
