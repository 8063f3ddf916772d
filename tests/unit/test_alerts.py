"""Alerts: the right topics, an SNS-safe subject, and messages where web text is shown, never run."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from newsalert.models import Alert, AlertRoute, Article, Classification, ClassifiedArticle, StoryRef, TopicMatch
from newsalert.notify.alerts import SMS_LIMIT, build_alert, render_messages, subject_line
from newsalert.notify.story_alerts import story_of

PUBLISHED = datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> R&D \x1b[31mred\x1b[0m \u202eevil\u202c \u2066x\u2069 \x00\x07\x85"
PROTOCOLS = {"default", "email", "sms", "https", "http", "GCM", "APNS"}
JSON_PROTOCOLS = ("https", "http", "GCM", "APNS")
BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")


def classified(
    *,
    title: str = "Earthquake strikes off the coast of Japan",
    url: str | None = "https://news.example.com/world/quake?id=9",
    topics: tuple[str, ...] = ("earthquakes",),
    category: str | None = "world",
    reason: str = "Fresh report of a magnitude 7.1 earthquake",
    source: str = "Example Wire",
    alerting: tuple[str, ...] | None = None,
) -> ClassifiedArticle:
    article = Article.create(
        title=title,
        source=source,
        published=PUBLISHED,
        received_at=datetime(2024, 7, 4, 7, 40, tzinfo=UTC),
        url=url,
        summary="A magnitude 7.1 earthquake struck on Thursday.",
    )
    return ClassifiedArticle(
        article=article,
        classification=Classification(
            article_id=article.id,
            category=category,
            topics=tuple(TopicMatch(topic=topic, label=topic.title(), score=0.9) for topic in topics),
            breaking=True,
            reason=reason,
            alert_topics=topics if alerting is None else alerting,
        ),
    )


def routes_of(source: ClassifiedArticle) -> tuple[AlertRoute, ...]:
    return tuple(
        AlertRoute(topic=topic, label=topic.title(), max_per_hour=12) for topic in source.classification.alert_topics
    )


def alert(**overrides: Any) -> Alert:
    source = classified(**overrides)
    return build_alert(source, story_of(source), 0, routes_of(source))


def strings_in(value: Any) -> Iterator[str]:
    """Every string (keys and values) in a decoded JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def visible_texts(messages: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Each message as sent and, for JSON messages, each decoded string in it."""
    for protocol, message in messages.items():
        yield protocol, message
        if protocol in JSON_PROTOCOLS:
            for text in strings_in(json.loads(message)):
                yield protocol, text


def control_characters(text: str) -> list[str]:
    return [char for char in text if char != "\n" and (unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS)]


# ------------------------------------------------------------------------ build_alert


def test_an_alert_goes_to_the_routes_it_is_given_in_their_order_with_their_labels() -> None:
    source = classified(topics=("world", "earthquakes"), alerting=("world", "earthquakes"))

    built = build_alert(source, story_of(source), 0, routes_of(source)[1:])

    assert (built.topics, built.topic_labels) == (("earthquakes",), ("Earthquakes",))


def test_alert_carries_the_article_and_its_place_in_the_story() -> None:
    source = classified()
    story = StoryRef(
        story_id="story-" + "a" * 24, new_story=False, articles=3, outlets=("Example Wire", "Desk Two", "Desk Three")
    )

    built = build_alert(source, story, 2, routes_of(source))

    assert built.article_id == source.article.id
    assert (built.story_id, built.update, built.alert_id) == (story.story_id, 2, story.story_id + "#2")
    assert (built.title, built.url, built.source) == (source.article.title, source.article.url, "Example Wire")
    assert built.published == PUBLISHED
    assert built.other_outlets == ("Desk Two", "Desk Three")  # the alert's own outlet is not "another"


def test_an_article_without_a_story_stands_alone_with_a_stable_alert_id() -> None:
    # Retries of notify must not alert twice: the alert id follows the story, here the article's own.
    assert alert().alert_id == alert(reason="another wording").alert_id
    assert alert().alert_id.endswith("#0")


# ------------------------------------------------------------------------ subject_line

LONG_TITLES = [
    "\u201cUnprecedented\u201d storm: Z\u00fcrich, S\u00e3o Paulo and K\u00f8benhavn brace for floods as "
    "officials in \u00cele-de-France warn residents \u2014 \u2018stay indoors\u2019 \u2014 until the weekend",
    "Line one of a headline\nline two\r\nline three\twith a tab " * 4,
    "Supercalifragilisticexpialidocious" * 6,
    "\u5730\u9707 " * 80,
    "word " * 60,
]


@pytest.mark.parametrize("title", LONG_TITLES)
def test_subject_is_short_printable_ascii_on_one_line(title: str) -> None:
    subject = subject_line(alert(title=title))

    assert subject.startswith("Breaking:")
    assert len(subject) < 100
    assert subject.isascii()
    assert subject.isprintable()
    assert "\n" not in subject
    assert "\r" not in subject


def test_subject_keeps_letters_of_accented_words() -> None:
    subject = subject_line(alert(title="\u201cZ\u00fcrich\u201d caf\u00e9 closes"))

    assert subject == "Breaking: Zurich cafe closes"


def test_long_subject_is_cut_at_a_word_with_an_ellipsis() -> None:
    subject = subject_line(alert(title="word " * 60))

    assert subject.endswith("word...")


def test_subject_stays_under_100_when_the_cut_falls_on_a_space() -> None:
    # "Breaking: " is 10 chars, so a space at title index 87 puts the cut at exactly 97 chars.
    subject = subject_line(alert(title="a" * 87 + " " + "b" * 20))

    assert len(subject) < 100


def test_subject_turns_line_breaks_into_spaces() -> None:
    assert subject_line(alert(title="Quake hits\nTokyo\tagain")) == "Breaking: Quake hits Tokyo again"


# ------------------------------------------------------------------------ render_messages


@pytest.fixture
def hostile_messages() -> dict[str, str]:
    hostile = alert(title=f"Quake {HOSTILE}", reason=f"Matched {HOSTILE}", source=f"Wire {HOSTILE}")
    return render_messages(hostile, f"Summary {HOSTILE}")


def test_there_is_a_message_for_every_protocol(hostile_messages: dict[str, str]) -> None:
    assert set(hostile_messages) == PROTOCOLS


@pytest.mark.parametrize("protocol", sorted(JSON_PROTOCOLS))
def test_json_protocols_are_valid_json(hostile_messages: dict[str, str], protocol: str) -> None:
    assert isinstance(json.loads(hostile_messages[protocol]), dict)


def test_push_messages_have_the_shape_the_platforms_expect(hostile_messages: dict[str, str]) -> None:
    gcm = json.loads(hostile_messages["GCM"])
    apns = json.loads(hostile_messages["APNS"])

    assert gcm["notification"]["title"].startswith("Breaking: Quake")
    assert gcm["notification"]["body"].startswith("Summary")
    assert gcm["data"]["url"] == "https://news.example.com/world/quake?id=9"
    assert apns["aps"]["alert"] == gcm["notification"]
    assert apns["alert_id"] == gcm["data"]["alert_id"]


def test_no_message_carries_live_markup(hostile_messages: dict[str, str]) -> None:
    for protocol, text in visible_texts(hostile_messages):
        assert "<script" not in text.lower(), protocol
        assert "</script" not in text.lower(), protocol
        assert "R&D" not in text, protocol  # a bare & is escaped as &amp;


def test_escaped_text_is_still_readable(hostile_messages: dict[str, str]) -> None:
    assert "Quake &lt;script&gt;alert(1)&lt;/script&gt; R&amp;D" in hostile_messages["email"]
    assert json.loads(hostile_messages["https"])["summary"].startswith("Summary &lt;script&gt;")


def test_no_message_carries_control_characters(hostile_messages: dict[str, str]) -> None:
    for protocol, text in visible_texts(hostile_messages):
        assert control_characters(text) == [], protocol


def test_arabic_letter_mark_is_removed() -> None:
    messages = render_messages(alert(title="Quake \u061cin Tokyo"), "")

    for protocol, text in visible_texts(messages):
        assert "\u061c" not in text, protocol


def test_url_from_the_web_is_inert_in_web_hook_messages() -> None:
    messages = render_messages(alert(url="https://news.example.com/<script>alert(1)</script>\u202e"), "")

    for protocol, text in visible_texts(messages):
        assert "<script" not in text.lower(), protocol
        assert control_characters(text) == [], protocol


def test_email_says_why_the_subscriber_got_it() -> None:
    email = render_messages(alert(), "summary")["email"]

    assert "Why you got this: matched earthquakes" in email
    assert "Earthquake strikes off the coast of Japan" in email
    assert "https://news.example.com/world/quake?id=9" in email
    assert "04 Jul 2024 07:29 UTC" in email
    assert "BREAKING (earthquakes)" in email


def test_text_message_leaves_out_an_empty_summary_and_a_missing_url() -> None:
    email = render_messages(alert(url=None), "")["email"]

    assert "\n\n\n" not in email
    assert "None" not in email
    assert email.endswith("Why you got this: matched earthquakes")


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("Short title", "https://news.example.com/a"),
        ("word " * 80, "https://news.example.com/" + "a" * 300),
        ("\u5730\u9707" * 200, None),
        ("&<>" * 100, "https://news.example.com/a?q=" + "&" * 10),
    ],
)
def test_sms_fits_in_one_message(title: str, url: str | None) -> None:
    sms = render_messages(alert(title=title, url=url), "summary " * 100)["sms"]

    assert 0 < len(sms) <= SMS_LIMIT
    assert "\n" not in sms


def test_short_sms_has_title_source_and_link() -> None:
    sms = render_messages(alert(title="Quake in Tokyo", url="https://news.example.com/a"), "summary")["sms"]

    assert sms == "Quake in Tokyo (Example Wire) https://news.example.com/a"


def test_an_sms_keeps_the_link_when_the_headline_is_long() -> None:
    long_title = "Parliament votes on the budget after a night of debate " * 4
    url = "https://news.example.com/politics/budget-vote"

    sms = render_messages(alert(title=long_title, url=url), summary="")["sms"]

    assert len(sms) <= SMS_LIMIT
    assert sms.endswith(url)
    assert sms.startswith("Parliament votes on the budget")
