"""Rendering: every protocol's body shows the text as written, with no control or bidi character,
no unchecked link and nothing over the limits of SNS, SMS and the push services."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsalert.models import Alert, Digest, DigestEntry, Urgency
from newsalert.notify.rendering import (
    COLLAPSE_ID_LIMIT,
    MESSAGE_BUDGET,
    PROTOCOLS,
    PUSH_PAYLOAD_LIMIT,
    SMS_MAX_SEGMENTS,
    SUBJECT_LIMIT,
    Publication,
    RenderSettings,
    collapse_id,
    plain,
    render_alert,
    render_digest,
    safe_link,
    sms_encoding,
    sms_segments,
)
from tests.conftest import PROJECT_ROOT
from tests.imports import imports_of

PUBLISHED = datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
STORY = "story-0123456789abcdef01234567"
HEADLINE = "AT&T cuts rates < 5% \u2026 as profit slides"
LINK = "https://news.example.org/a?x=1&y=2"
JSON_PROTOCOLS = ("https", "http", "APNS", "APNS_SANDBOX", "GCM")
ONE_LINE_PROTOCOLS = ("sms",)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
HOSTILE_TEXT = f"<script>alert(1)</script> R&D \x1b[31mred\x1b[0m {BIDI} \x00\x07\x85\u2028\u2029 end"


def make_alert(**overrides: Any) -> Alert:
    fields: dict[str, Any] = {
        "alert_id": f"{STORY}#0",
        "story_id": STORY,
        "update": 0,
        "article_id": "art-" + "a" * 32,
        "title": HEADLINE,
        "url": LINK,
        "source": "Example Wire",
        "source_timezone": "Asia/Dhaka",
        "published": PUBLISHED,
        "language": "en",
        "summary": "The carrier said on Thursday that it would cut rates to below 5% for the first time since 2019.",
        "topics": ("sco", "geopolitics"),
        "topic_labels": ("Shanghai Cooperation Organisation", "Geopolitics"),
        "urgency": Urgency.URGENT,
        "urgency_reasons": ("3 outlets report it", "it was published 12 minutes ago"),
        "other_outlets": (),
    }
    fields.update(overrides)
    if fields["update"] and fields["alert_id"] == f"{STORY}#0":
        fields["alert_id"] = f"{fields['story_id']}#{fields['update']}"
    return Alert(**fields)


def make_digest(count: int = 7, **overrides: Any) -> Digest:
    entries = tuple(
        DigestEntry(
            story_id=f"story-{index:024x}",
            article_id=f"art-{index:032x}",
            title=f"Routine story {index} on the summit agenda",
            url=f"https://news.example.org/story/{index}?a=1&b=2",
            source="Example Wire",
            published=datetime(2024, 7, 4, 8, index % 60, tzinfo=UTC),
        )
        for index in range(count)
    )
    fields: dict[str, Any] = {
        "digest_id": "digest-geopolitics-2024070409",
        "topic": "geopolitics",
        "topic_label": "Geopolitics",
        "period_start": datetime(2024, 7, 4, 8, tzinfo=UTC),
        "period_end": datetime(2024, 7, 4, 9, tzinfo=UTC),
        "entries": entries,
    }
    fields.update(overrides)
    return Digest(**fields)


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


def texts_of(publication: Publication) -> Iterator[tuple[str, str]]:
    """What a reader or a program can see: each body, each decoded JSON string, the subject, the attributes."""
    yield "subject", publication.subject
    for protocol, message in publication.messages.items():
        yield protocol, message
        if protocol in JSON_PROTOCOLS:
            for text in strings_in(json.loads(message)):
                yield protocol, text
    for name, attribute in publication.attributes.items():
        yield name, attribute["StringValue"]


def forbidden(text: str, *, bodies: bool = True) -> list[str]:
    """Control, bidi and invisible format characters (newline and tab allowed in bodies)."""
    allowed = "\n\t" if bodies else ""
    return [
        char
        for char in text
        if char not in allowed
        and (
            unicodedata.category(char) in ("Cc", "Cs")
            or (unicodedata.category(char) == "Cf" and char not in "\u200c\u200d")
            or char in "\u2028\u2029"
        )
    ]


def apns(publication: Publication) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(publication.messages["APNS"])
    return document


def fcm(publication: Publication) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(publication.messages["GCM"])["fcmV1Message"]["message"]
    return document


def web(publication: Publication) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(publication.messages["https"])
    return document


def check_subject(subject: str) -> None:
    """What SNS asks of a subject: printable ASCII, one line, under 100 characters; and ours: it says something."""
    assert 0 < len(subject) <= SUBJECT_LIMIT < 100
    assert subject.isascii()
    assert subject.isprintable()
    assert subject[0].isalnum()
    prefix, _, rest = subject.partition(": ")
    assert prefix, subject
    assert re.search("[A-Za-z0-9]", rest), subject


def check_limits(publication: Publication) -> None:
    check_subject(publication.subject)
    assert set(publication.messages) == set(PROTOCOLS)
    assert sms_segments(publication.messages["sms"]) <= SMS_MAX_SEGMENTS
    assert "\n" not in publication.messages["sms"]
    for protocol in ("APNS", "APNS_SANDBOX", "GCM"):
        assert len(publication.messages[protocol].encode("utf-8")) <= PUSH_PAYLOAD_LIMIT, protocol
    assert publication.size() <= MESSAGE_BUDGET
    assert len(publication.attributes) <= 10
    for name, attribute in publication.attributes.items():
        assert attribute["StringValue"], name
        assert attribute["DataType"] in ("String", "String.Array", "Number")
    assert len(publication.attributes["AWS.SNS.MOBILE.APNS.COLLAPSE_ID"]["StringValue"].encode()) <= COLLAPSE_ID_LIMIT
    json.loads(publication.sns_message())


# ------------------------------------------------------------------------ text as written


@pytest.fixture
def written() -> Publication:
    return render_alert(make_alert())


def test_there_is_a_body_for_every_protocol_and_the_sandbox_gets_the_apns_payload(written: Publication) -> None:
    assert set(written.messages) == set(PROTOCOLS)
    assert written.messages["APNS_SANDBOX"] == written.messages["APNS"]
    assert written.messages["default"] == written.messages["email"]
    assert written.messages["http"] == written.messages["https"]


def test_the_headline_appears_as_written_in_every_channel(written: Publication) -> None:
    assert HEADLINE in written.messages["email"]
    assert HEADLINE in written.messages["sms"]
    assert HEADLINE in apns(written)["aps"]["alert"]["title"]
    assert HEADLINE in fcm(written)["notification"]["title"]
    assert web(written)["title"] == HEADLINE


def test_nothing_is_html_escaped_anywhere(written: Publication) -> None:
    for protocol, text in texts_of(written):
        assert "&amp;" not in text, protocol
        assert "&lt;" not in text, protocol
        assert "&gt;" not in text, protocol


def test_the_summary_appears_as_written_in_email_push_and_json() -> None:
    summary = 'Rates fall < 5% at AT&T; "a first", says the CFO.'
    publication = render_alert(make_alert(summary=summary))

    assert summary in publication.messages["email"]
    assert summary in apns(publication)["aps"]["alert"]["body"]
    assert summary in fcm(publication)["notification"]["body"]
    assert web(publication)["summary"] == summary


def test_the_link_appears_intact_in_every_channel(written: Publication) -> None:
    assert f"Read it: {LINK}\n" in written.messages["email"]
    assert written.messages["sms"].endswith(f" {LINK}")
    assert apns(written)["url"] == LINK
    assert fcm(written)["data"]["url"] == LINK
    assert web(written)["url"] == web(written)["link"] == LINK


def test_the_json_carries_the_whole_alert_as_written() -> None:
    alert = make_alert(title="Line one\nline two: AT&T <b>", update=2, other_outlets=("Reuters", "AP"))
    document = web(render_alert(alert))

    expected = alert.model_dump(mode="json")
    for field in ("alert_id", "story_id", "update", "article_id", "title", "source", "source_timezone", "published"):
        assert document[field] == expected[field], field
    for field in ("summary", "language", "topics", "topic_labels", "urgency", "urgency_reasons", "other_outlets"):
        assert document[field] == expected[field], field
    assert document["kind"] == "alert"
    assert document["deep_link"] == f"newsalert://story/{STORY}"
    assert document["why"].startswith("This story is about")
    assert document["clipped"] == []


# ----------------------------------------------------------------------------- subjects


def test_the_subject_shows_the_headline_in_ascii(written: Publication) -> None:
    assert written.subject == "Urgent: AT&T cuts rates < 5% ... as profit slides"


def test_the_subject_keeps_the_letters_of_accented_words() -> None:
    title = "\u201cZ\u00fcrich\u201d caf\u00e9 closes \u2014 S\u00e3o Paulo and K\u00f8benhavn next"
    subject = render_alert(make_alert(title=title, urgency=Urgency.ROUTINE)).subject

    assert subject == 'Breaking: "Zurich" cafe closes - Sao Paulo and Kobenhavn next'


@pytest.mark.parametrize(
    ("urgency", "update", "prefix"),
    [
        (Urgency.FLASH, 0, "FLASH: "),
        (Urgency.URGENT, 0, "Urgent: "),
        (Urgency.ROUTINE, 0, "Breaking: "),
        (Urgency.FLASH, 1, "FLASH update: "),
        (Urgency.URGENT, 2, "Urgent update: "),
        (Urgency.ROUTINE, 1, "Update: "),
    ],
)
def test_the_subject_says_how_urgent_and_whether_it_is_an_update(urgency: Urgency, update: int, prefix: str) -> None:
    assert render_alert(make_alert(urgency=urgency, update=update)).subject.startswith(prefix)


@pytest.mark.parametrize(
    ("title", "source", "language", "expected"),
    [
        (
            "\u4e60\u8fd1\u5e73\u5728\u963f\u65af\u5854\u7eb3\u4f1a\u89c1\u666e\u4eac",
            "Xinhua",
            "zh",
            "Urgent: news on Shanghai Cooperation Organisation and Geopolitics from Xinhua (headline in Chinese)",
        ),
        (
            "\u09a2\u09be\u0995\u09be\u09af\u09bc \u09ac\u09bf\u0995\u09cd\u09b7\u09cb\u09ad",
            "Prothom Alo",
            "bn",
            "Urgent: news on Shanghai Cooperation Organisation and Geopolitics from Prothom Alo",
        ),
        (
            "\u0642\u0645\u0629 \u0634\u0646\u063a\u0647\u0627\u064a \u0641\u064a \u0623\u0633\u062a\u0627\u0646\u0627",
            "\u0627\u0644\u062c\u0632\u064a\u0631\u0629",
            "ar",
            "Urgent: news on Shanghai Cooperation Organisation and Geopolitics (headline in Arabic)",
        ),
    ],
)
def test_a_headline_in_another_script_gives_a_subject_with_the_topics_and_the_outlet(
    title: str, source: str, language: str, expected: str
) -> None:
    subject = render_alert(make_alert(title=title, source=source, language=language)).subject

    check_subject(subject)
    assert subject == expected


def test_a_headline_only_partly_in_ascii_is_not_shown_in_pieces() -> None:
    subject = render_alert(make_alert(title="Xi \u4f1a\u89c1 Putin in Astana", language="zh")).subject

    assert "Xi" not in subject
    assert "Shanghai Cooperation Organisation" in subject


def test_without_ascii_labels_or_outlet_the_subject_names_the_topic_ids() -> None:
    alert = make_alert(
        title="\u5730\u9707",
        source="\u65b0\u534e\u793e",
        language="zh",
        topics=("earthquakes",),
        topic_labels=("\u5730\u9707",),
    )

    assert render_alert(alert).subject == "Urgent: news on earthquakes (headline in Chinese)"


def test_a_long_subject_is_cut_at_a_word_with_an_ascii_ellipsis() -> None:
    subject = render_alert(make_alert(title="word " * 60)).subject

    check_subject(subject)
    assert subject.endswith("word...")


def test_line_breaks_in_a_headline_become_spaces_in_the_subject() -> None:
    subject = render_alert(make_alert(title="Quake hits\nTokyo\r\nagain\u2028today", urgency=Urgency.ROUTINE)).subject

    assert subject == "Breaking: Quake hits Tokyo again today"


# ---------------------------------------------------------------------------------- links

HOSTILE_LINKS = [
    "https://wire.example/a'onmouseover='alert(1)'x",
    'https://wire.example/a"><script>alert(1)</script>',
    "https://wire.example/a b c?q=x y#frag ment",
    "https://wire.example/`back`{tick}|pipe\\slash^",
    "https://wire.example/\u202eevil\x00\x1b[31m\u2028",
]


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_a_hostile_link_never_survives_in_any_channel(url: str) -> None:
    link = safe_link(url)
    publication = render_alert(make_alert(url=url))

    assert link is not None
    assert re.fullmatch(r"https://wire\.example/[A-Za-z0-9%/:@!$&()*+,;=._~?#-]*", link), link
    for protocol, text in texts_of(publication):
        assert "'onmouseover" not in text, protocol
        assert "<script" not in text, protocol
        assert "wire.example/a b" not in text, protocol
    assert link in publication.messages["email"]
    assert web(publication)["url"] == link


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "java\nscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://wire.example/a",
        "//wire.example/a",
        "/relative/path",
        "https://",
        "https://wire example/a",
        "https://wire.example'onmouseover='x/a",
        "https://<script>/a",
        "https://wire.example:99999/a",
        "https://[::1/a",
        "https://wire.example/" + "a" * 3000,
        "https://wire.example/\ud800",
        "",
        None,
    ],
)
def test_what_is_not_a_plain_web_link_is_left_out(url: str | None) -> None:
    assert safe_link(url) is None
    publication = render_alert(make_alert(url=url))
    assert web(publication)["url"] is None
    assert "url" not in apns(publication)
    assert "url" not in fcm(publication)["data"]
    for protocol, text in texts_of(publication):
        assert "javascript" not in text.lower(), protocol
        assert "<script" not in text, protocol


def test_the_email_says_when_the_sources_link_was_left_out() -> None:
    email = render_alert(make_alert(url="javascript:alert(1)")).messages["email"]

    assert "link the source gave is left out" in email


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.org/a?x=1&y=2", "https://news.example.org/a?x=1&y=2"),
        ("https://wire.example/a'onmouseover='alert(1)'x", "https://wire.example/a%27onmouseover=%27alert(1)%27x"),
        ("HTTPS://News.Example.ORG:443/A?B=C", "https://news.example.org/A?B=C"),
        ("http://news.example.org:8080", "http://news.example.org:8080/"),
        ("https://user:secret@news.example.org/a", "https://news.example.org/a"),
        ("https://b\u00fccher.example/caf\u00e9", "https://xn--bcher-kva.example/caf%C3%A9"),
        ("https://news.example.org/100%/a%20b", "https://news.example.org/100%25/a%20b"),
        ("https://[2001:db8::1]/a", "https://[2001:db8::1]/a"),
        ("https://news.example.org./a#part-2", "https://news.example.org/a#part-2"),
        ("  https://news.example.org/a  ", "https://news.example.org/a"),
    ],
)
def test_safe_links_are_normalised(url: str, expected: str) -> None:
    assert safe_link(url) == expected


@given(st.text(max_size=200) | st.builds(lambda rest: "https://wire.example/" + rest, st.text(max_size=200)))
@settings(max_examples=300, deadline=None)
def test_a_safe_link_holds_nothing_that_could_end_an_attribute_and_is_stable(url: str) -> None:
    link = safe_link(url)

    if link is not None:
        assert re.fullmatch(r"https?://[A-Za-z0-9.\-_\[\]:]+(/[A-Za-z0-9%/:@!$&()*+,;=._~?#-]*)?", link), link
        assert safe_link(link) == link


# ----------------------------------------------------------------- controls and bidi


def test_control_and_bidi_characters_are_gone_from_every_channel() -> None:
    alert = make_alert(
        title=f"Quake {HOSTILE_TEXT}",
        summary=f"Summary {HOSTILE_TEXT}",
        source=f"Wire {HOSTILE_TEXT}",
        topic_labels=(f"Label {BIDI}", "Geopolitics\x00"),
        urgency_reasons=(f"reason {BIDI}\x07",),
        other_outlets=(f"Outlet\u202e{BIDI}",),
        update=1,
    )
    publication = render_alert(alert)

    for protocol, text in texts_of(publication):
        assert forbidden(text) == [], protocol
    assert "\n" not in publication.messages["sms"]
    assert "<script>alert(1)</script> R&D" in publication.messages["email"]  # the text itself, as written


def test_plain_removes_controls_and_bidi_but_keeps_joiners_and_line_breaks() -> None:
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
    bengali = "\u0995\u09cd\u200c\u09b7"
    text = f"a\x00b\u202ec\u2066d\u061ce\u200ff\r\ng\u2028h\ti {family} {bengali} \u00ad\u200b\ufeffj"

    assert plain(text) == f"abcdef\ng\nh\ti {family} {bengali} j"


def test_a_cut_never_splits_an_emoji_sequence() -> None:
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
    publication = render_alert(make_alert(title=(family * 3 + " ") * 60, summary=""))

    for title in (apns(publication)["aps"]["alert"]["title"], fcm(publication)["notification"]["title"]):
        assert title.endswith(f"{family}\u2026") or title.endswith(" \u2026") or title.endswith(f"{family} \u2026")


# ------------------------------------------------------------------------------- SMS


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("\u20ac" * 80, 1),
        ("\u20ac" * 81, 2),
        ("\u4e2d" * 70, 1),
        ("\u4e2d" * 71, 2),
        ("\u4e2d" * 134, 2),
        ("\U0001f600" * 35, 1),
        ("\U0001f600" * 36, 2),
    ],
)
def test_sms_segments_follow_gsm7_and_ucs2_sizes(text: str, segments: int) -> None:
    assert sms_segments(text) == segments


def test_sms_encoding_is_gsm_for_the_gsm_alphabet_and_ucs2_otherwise() -> None:
    assert sms_encoding("AT&T cuts rates < 5% [\u00e9t\u00e9] \u20ac") == "gsm"
    assert sms_encoding("AT&T cuts rates \u2026") == "ucs2"
    assert sms_encoding("price `code`") == "ucs2"


def test_a_short_sms_has_the_mark_the_headline_the_outlet_and_the_link() -> None:
    sms = render_alert(make_alert(title="Quake in Tokyo", urgency=Urgency.FLASH)).messages["sms"]

    assert sms == f"FLASH: Quake in Tokyo (Example Wire) {LINK}"


@pytest.mark.parametrize(
    ("urgency", "update", "mark"),
    [
        (Urgency.FLASH, 0, "FLASH: "),
        (Urgency.URGENT, 0, "URGENT: "),
        (Urgency.FLASH, 1, "FLASH UPDATE: "),
        (Urgency.ROUTINE, 1, "UPDATE: "),
    ],
)
def test_the_sms_marks_urgency_and_updates_briefly(urgency: Urgency, update: int, mark: str) -> None:
    assert render_alert(make_alert(urgency=urgency, update=update)).messages["sms"].startswith(mark + "AT&T")


def test_a_routine_first_alert_sms_starts_with_the_headline() -> None:
    assert render_alert(make_alert(urgency=Urgency.ROUTINE)).messages["sms"].startswith(HEADLINE)


def test_a_long_headline_gives_way_to_the_link_in_an_sms() -> None:
    url = "https://news.example.org/politics/2024/07/04/parliament-votes-on-the-budget-after-a-night-of-debate"
    sms = render_alert(make_alert(title="Parliament votes on the budget after a night " * 8, url=url)).messages["sms"]

    assert sms.endswith(f" {url}")
    assert sms.startswith("URGENT: Parliament votes on the budget")
    assert sms_segments(sms) <= SMS_MAX_SEGMENTS


def test_a_chinese_headline_keeps_the_link_within_two_ucs2_segments() -> None:
    url = "https://news.example.cn/world/2024-07/04/c_1130171234.htm"
    sms = render_alert(make_alert(title="\u4e60\u8fd1\u5e73" * 40, url=url, language="zh")).messages["sms"]

    assert sms_encoding(sms) == "ucs2"
    assert sms_segments(sms) <= SMS_MAX_SEGMENTS
    assert sms.endswith(f" {url}")


def test_a_link_too_long_for_an_sms_is_left_out_whole_not_cut() -> None:
    url = "https://news.example.org/" + "segment/" * 60
    sms = render_alert(make_alert(url=url)).messages["sms"]

    assert sms_segments(sms) <= SMS_MAX_SEGMENTS
    assert "https://" not in sms
    assert HEADLINE in sms


sms_links = st.builds(
    lambda host, path: f"https://{host}.example/{path}",
    st.from_regex(r"[a-z]{1,12}", fullmatch=True),
    st.from_regex(r"[a-z0-9/_-]{0,60}", fullmatch=True),
)


@given(title=st.text(max_size=400), link=sms_links, urgency=st.sampled_from(Urgency), update=st.integers(0, 3))
@settings(max_examples=200, deadline=None)
def test_the_sms_link_is_never_cut(title: str, link: str, urgency: Urgency, update: int) -> None:
    sms = render_alert(make_alert(title=title, url=link, urgency=urgency, update=update)).messages["sms"]

    assert sms.endswith(f" {link}")
    assert sms_segments(sms) <= SMS_MAX_SEGMENTS


# ------------------------------------------------------------------------------ push


def test_push_payloads_have_title_body_urgency_deep_link_and_web_link(written: Publication) -> None:
    payload = apns(written)
    message = fcm(written)

    assert payload["aps"]["alert"]["title"] == f"Urgent: {HEADLINE}"
    assert payload["aps"]["alert"]["subtitle"] == "Example Wire"
    assert payload["aps"]["alert"]["body"].startswith("The carrier said")
    assert payload["aps"]["thread-id"] == STORY
    assert payload["urgency"] == "urgent"
    assert payload["deep_link"] == f"newsalert://story/{STORY}"
    assert payload["url"] == LINK
    assert message["notification"]["title"] == f"Urgent: {HEADLINE}"
    assert message["notification"]["body"].startswith("Example Wire: The carrier said")
    assert message["data"]["deep_link"] == f"newsalert://story/{STORY}"
    assert message["data"]["url"] == LINK
    assert message["data"]["urgency"] == "urgent"
    assert message["android"]["collapse_key"] == message["android"]["notification"]["tag"] == STORY
    assert all(isinstance(value, str) for value in message["data"].values())  # FCM data values are strings


@pytest.mark.parametrize(
    ("urgency", "level", "apns_priority", "fcm_priority"),
    [
        (Urgency.FLASH, "time-sensitive", "10", "high"),
        (Urgency.URGENT, "active", "10", "high"),
        (Urgency.ROUTINE, "passive", "5", "normal"),
    ],
)
def test_push_priority_and_interruption_follow_urgency(
    urgency: Urgency, level: str, apns_priority: str, fcm_priority: str
) -> None:
    publication = render_alert(make_alert(urgency=urgency))

    assert apns(publication)["aps"]["interruption-level"] == level
    assert publication.attributes["AWS.SNS.MOBILE.APNS.PRIORITY"]["StringValue"] == apns_priority
    assert fcm(publication)["android"]["priority"] == fcm_priority
    assert ("sound" in apns(publication)["aps"]) is (urgency is not Urgency.ROUTINE)


def test_an_update_replaces_the_earlier_notification_of_its_story() -> None:
    first = render_alert(make_alert(update=0))
    update = render_alert(make_alert(update=1, urgency=Urgency.FLASH, title="Now a bigger story"))
    other = render_alert(make_alert(story_id="story-" + "f" * 24))

    def collapse_ids(publication: Publication) -> tuple[str, ...]:
        return (
            publication.attributes["AWS.SNS.MOBILE.APNS.COLLAPSE_ID"]["StringValue"],
            apns(publication)["aps"]["thread-id"],
            fcm(publication)["android"]["collapse_key"],
            fcm(publication)["android"]["notification"]["tag"],
        )

    assert collapse_ids(first) == collapse_ids(update) == (STORY,) * 4
    assert set(collapse_ids(other)).isdisjoint(collapse_ids(first))


def test_a_long_or_odd_story_id_gives_a_short_stable_collapse_id() -> None:
    odd = "story/\u6545\u4e8b/" + "x" * 100

    assert collapse_id(odd) == collapse_id(odd)
    assert len(collapse_id(odd).encode()) <= COLLAPSE_ID_LIMIT
    assert re.fullmatch(r"[A-Za-z0-9._-]+", collapse_id(odd))
    assert collapse_id(odd) != collapse_id(odd + "y")
    assert render_alert(make_alert(story_id=odd)).attributes["AWS.SNS.MOBILE.APNS.COLLAPSE_ID"]["StringValue"] == (
        collapse_id(odd)
    )


def test_a_link_too_big_for_a_push_payload_is_left_out_and_the_deep_link_stays() -> None:
    url = "https://news.example.org/" + "\u00e9" * 1000  # 6,000 characters once percent-encoded: left out
    long_but_valid = "https://news.example.org/" + "a" * 2000
    publication = render_alert(make_alert(url=long_but_valid, title="\U0001f600" * 400, summary="\U0001f600" * 900))

    assert safe_link(url) is None
    assert len(publication.messages["APNS"].encode()) <= PUSH_PAYLOAD_LIMIT
    assert "url" not in apns(publication)
    assert apns(publication)["deep_link"] == f"newsalert://story/{STORY}"
    assert long_but_valid in publication.messages["email"]  # never cut where it is shown


def test_custom_settings_set_the_deep_link_and_the_unsubscribe_hint() -> None:
    custom = RenderSettings(deep_link_base="https://app.example/open/", unsubscribe_hint="Reply STOP to stop.")
    publication = render_alert(make_alert(), custom)

    assert apns(publication)["deep_link"] == f"https://app.example/open/story/{STORY}"
    assert publication.messages["email"].endswith("Reply STOP to stop.")


@pytest.mark.parametrize("base", ["", "newsalert:// x", 'app"://', "app://\x00", "x" * 201])
def test_a_deep_link_base_that_could_break_a_payload_is_refused(base: str) -> None:
    with pytest.raises(ValueError, match="deep_link_base"):
        RenderSettings(deep_link_base=base)


# ----------------------------------------------------------------------------- email


def test_the_email_has_everything_a_reader_needs(written: Publication) -> None:
    email = written.messages["email"]

    assert email.startswith(f"{HEADLINE}\nExample Wire, Thu 4 Jul 2024, 07:29 UTC (13:29 in Asia/Dhaka, UTC+06:00)\n")
    assert "The carrier said on Thursday" in email
    assert "Topics: Shanghai Cooperation Organisation, Geopolitics" in email
    assert "Urgency: urgent" in email
    assert (
        "Why you got this: This story is about Shanghai Cooperation Organisation and Geopolitics, and you follow "
        "at least one of them; it is marked urgent because 3 outlets report it and it was published 12 minutes ago."
    ) in email
    assert "unsubscribe" in email.splitlines()[-1]
    assert "BREAKING" not in email
    assert "sco" not in email.split()  # topics in words, not ids
    assert "Update" not in email


def test_an_update_says_what_it_updates_and_who_else_carries_the_story() -> None:
    email = render_alert(make_alert(update=1, other_outlets=("Reuters", "AP", "Xinhua"))).messages["email"]

    assert (
        "Update 1: this updates the alert we sent you earlier about this story. "
        "It is now also reported by Reuters, AP and Xinhua."
    ) in email


def test_a_routine_alert_with_one_topic_says_so_plainly() -> None:
    alert = make_alert(urgency=Urgency.ROUTINE, urgency_reasons=(), topics=("sport",), topic_labels=("Sport",))

    assert (
        "Why you got this: This story is about Sport, which you follow; it is breaking news, not marked urgent."
        in render_alert(alert).messages["email"]
    )


def test_labels_with_commas_are_kept_apart() -> None:
    alert = make_alert(topics=("conflict", "politics"), topic_labels=("Conflict, war and peace", "Politics"))

    assert "Topics: Conflict, war and peace; Politics" in render_alert(alert).messages["email"]


def test_a_topic_without_a_label_is_shown_by_its_id() -> None:
    alert = make_alert(topics=("sco", "geopolitics"), topic_labels=("Shanghai Cooperation Organisation",))

    assert "Topics: Shanghai Cooperation Organisation, geopolitics" in render_alert(alert).messages["email"]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Dhaka", "Thu 4 Jul 2024, 07:29 UTC (13:29 in Asia/Dhaka, UTC+06:00)"),
        ("America/New_York", "Thu 4 Jul 2024, 07:29 UTC (03:29 in America/New_York, UTC-04:00)"),
        ("Pacific/Kiritimati", "Thu 4 Jul 2024, 07:29 UTC (21:29 in Pacific/Kiritimati, UTC+14:00)"),
        ("America/Adak", "Thu 4 Jul 2024, 07:29 UTC (Wed 3 Jul 2024, 22:29 in America/Adak, UTC-09:00)"),
        ("UTC", "Thu 4 Jul 2024, 07:29 UTC\n"),
        ("Etc/UTC", "Thu 4 Jul 2024, 07:29 UTC\n"),
        (None, "Thu 4 Jul 2024, 07:29 UTC\n"),
        ("Mars/Olympus_Mons", "Thu 4 Jul 2024, 07:29 UTC\n"),
    ],
)
def test_the_published_time_is_in_utc_and_in_the_sources_zone(zone: str | None, expected: str) -> None:
    assert expected in render_alert(make_alert(source_timezone=zone)).messages["email"]


def test_a_long_summary_is_cut_at_a_word_in_the_email_and_the_link_never() -> None:
    url = "https://news.example.org/" + "long-path/" * 150
    email = render_alert(make_alert(summary="many words " * 400, url=url)).messages["email"]

    summary_line = email.splitlines()[3]
    assert summary_line.endswith("words\u2026") or summary_line.endswith("many\u2026")
    assert len(summary_line) <= 600
    assert f"Read it: {url}\n" in email


def test_an_alert_without_summary_or_link_leaves_no_gap() -> None:
    email = render_alert(make_alert(summary="", url=None)).messages["email"]

    assert "\n\n\n" not in email
    assert "None" not in email
    assert "Read it" not in email


def test_an_alert_without_a_title_still_says_what_it_is_about() -> None:
    publication = render_alert(make_alert(title=" \x00 ", urgency=Urgency.ROUTINE))

    assert publication.messages["email"].startswith("New story on Shanghai Cooperation Organisation and Geopolitics")
    check_subject(publication.subject)
    assert publication.messages["sms"].startswith("New story on")


# ------------------------------------------------------------------------ attributes


def test_attributes_route_by_topics_and_carry_what_filters_need(written: Publication) -> None:
    attributes = written.attributes

    assert attributes["topics"] == {"DataType": "String.Array", "StringValue": '["sco", "geopolitics"]'}
    assert attributes["urgency"]["StringValue"] == "urgent"
    assert attributes["language"]["StringValue"] == "en"
    assert attributes["source"]["StringValue"] == "Example Wire"
    assert attributes["story_id"]["StringValue"] == STORY
    assert attributes["alert_id"]["StringValue"] == f"{STORY}#0"
    assert attributes["kind"]["StringValue"] == "alert"
    assert attributes["update"] == {"DataType": "Number", "StringValue": "0"}
    assert attributes["AWS.SNS.MOBILE.APNS.COLLAPSE_ID"]["StringValue"] == STORY
    check_limits(written)


def test_an_empty_attribute_is_left_out_rather_than_sent_empty() -> None:
    attributes = render_alert(make_alert(source="\u202e ")).attributes

    assert "source" not in attributes
    assert all(attribute["StringValue"] for attribute in attributes.values())


def test_the_rendering_module_stands_alone_from_the_old_alerts_module() -> None:
    imported = {name for name, _ in imports_of(PROJECT_ROOT / "shared/newsalert/notify/rendering.py")}

    assert "newsalert.notify.alerts" not in imported
    assert not any(name.startswith(("newsalert.aws", "newsalert.tools", "boto3", "botocore")) for name in imported)


# --------------------------------------------------------------------------- digests


def test_a_digest_lists_its_stories_routed_to_its_topic() -> None:
    digest = make_digest(7)
    publication = render_digest(digest)
    email = publication.messages["email"]

    assert publication.subject == "Digest: 7 more stories on Geopolitics"
    assert email.startswith("7 more stories on Geopolitics, Thu 4 Jul 2024, 08:00 to 09:00 UTC.\n")
    assert (
        "1. Routine story 0 on the summit agenda\n"
        "   Example Wire, Thu 4 Jul 2024, 08:00 UTC\n"
        "   https://news.example.org/story/0?a=1&b=2\n"
    ) in email
    assert "7. Routine story 6 on the summit agenda" in email
    assert "unsubscribe" in email.splitlines()[-1]
    assert publication.attributes["topics"]["StringValue"] == '["geopolitics"]'
    assert publication.attributes["urgency"]["StringValue"] == "routine"
    assert publication.attributes["kind"]["StringValue"] == "digest"
    assert publication.attributes["AWS.SNS.MOBILE.APNS.PRIORITY"]["StringValue"] == "5"
    check_limits(publication)


def test_a_digest_push_is_short_the_count_and_the_first_headline() -> None:
    publication = render_digest(make_digest(7))

    assert apns(publication)["aps"]["alert"] == {
        "title": "7 more stories on Geopolitics",
        "body": "Routine story 0 on the summit agenda (and 6 more)",
    }
    assert apns(publication)["aps"]["interruption-level"] == "passive"
    assert fcm(publication)["notification"]["title"] == "7 more stories on Geopolitics"
    assert fcm(publication)["android"]["collapse_key"] == "digest-geopolitics"
    assert apns(publication)["deep_link"] == "newsalert://topic/geopolitics"


def test_a_digest_sms_and_json() -> None:
    publication = render_digest(make_digest(1))
    document = web(publication)

    assert publication.subject == "Digest: 1 more story on Geopolitics"
    assert publication.messages["sms"] == (
        "Digest: 1 more story on Geopolitics. First: Routine story 0 on the summit agenda "
        "https://news.example.org/story/0?a=1&b=2"
    )
    assert document["kind"] == "digest"
    assert document["count"] == 1
    assert document["entries"][0]["url"] == "https://news.example.org/story/0?a=1&b=2"
    assert document["entries"][0]["deep_link"] == "newsalert://story/story-000000000000000000000000"


def test_a_huge_digest_stays_under_the_budget_and_still_counts_every_story() -> None:
    entries = tuple(
        DigestEntry(
            story_id=f"story-{index:024x}",
            article_id="art-x",
            title='"\U0001f600' * 400,
            url="https://news.example.org/" + "a" * 2000,
            source="\U0001f600" * 500,
            published=PUBLISHED,
        )
        for index in range(300)
    )
    publication = render_digest(make_digest(entries=entries))

    check_limits(publication)
    assert publication.subject == "Digest: 300 more stories on Geopolitics"
    assert web(publication)["count"] == 300
    assert "more, not listed here." in publication.messages["email"]


def test_a_digest_with_hostile_text_and_links() -> None:
    entries = (
        DigestEntry(
            story_id="story-1",
            article_id="art-1",
            title=f"AT&T <b> {HOSTILE_TEXT}",
            url="javascript:alert(1)",
            source=f"Wire {BIDI}",
            published=PUBLISHED,
        ),
        DigestEntry(
            story_id="story-2",
            article_id="art-2",
            title="Second",
            url="https://wire.example/a'onmouseover='alert(1)'x",
            source="Wire",
            published=PUBLISHED,
        ),
    )
    publication = render_digest(make_digest(entries=entries, topic_label="Geo\u202epolitics"))

    for protocol, text in texts_of(publication):
        assert forbidden(text) == [], protocol
        assert "javascript" not in text, protocol
        assert "'onmouseover" not in text, protocol
    assert "AT&T <b>" in publication.messages["email"]
    check_limits(publication)


# ------------------------------------------------------------------- any input at all

CONTROLS = "\x00\x07\x1b\x7f\x85\u2028\u2029\r\n\t\ufeff\u200b\ud800\udfff"
hostile_characters = st.sampled_from(list(BIDI + CONTROLS + "\u200d\u200c&<>\"'"))
texts = st.text(st.characters() | hostile_characters, max_size=300)
short_texts = st.text(st.characters() | hostile_characters, max_size=40)
topic_ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
zones = st.sampled_from([None, "UTC", "Asia/Dhaka", "America/St_Johns", "Pacific/Chatham", "Mars/Olympus_Mons"])
links = st.one_of(
    st.none(),
    st.sampled_from([LINK, *HOSTILE_LINKS, "javascript:alert(1)"]),
    st.text(max_size=80),
    st.builds(lambda rest: "https://wire.example/" + rest, texts),
)
alerts = st.builds(
    Alert,
    alert_id=short_texts,
    story_id=short_texts,
    update=st.integers(0, 4),
    article_id=short_texts,
    title=texts,
    url=links,
    source=short_texts,
    source_timezone=zones,
    published=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)),
    language=st.sampled_from(["en", "zh", "bn", "ar", "und", "pt-BR"]),
    summary=texts,
    topics=st.lists(topic_ids, min_size=1, max_size=6).map(tuple),
    topic_labels=st.lists(short_texts, max_size=6).map(tuple),
    urgency=st.sampled_from(Urgency),
    urgency_reasons=st.lists(short_texts, max_size=4).map(tuple),
    other_outlets=st.lists(short_texts, max_size=4).map(tuple),
)
PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(alerts)
@PROPERTIES
def test_any_alert_renders_within_every_limit(alert: Alert) -> None:
    publication = render_alert(alert)

    check_limits(publication)
    assert json.loads(publication.attributes["topics"]["StringValue"]) == list(alert.topics)


@given(alerts)
@PROPERTIES
def test_no_alert_carries_a_control_bidi_character_or_a_live_link(alert: Alert) -> None:
    publication = render_alert(alert)
    link = safe_link(alert.url)

    for protocol, text in texts_of(publication):
        one_line = protocol in ("subject", *ONE_LINE_PROTOCOLS) or protocol in publication.attributes
        assert forbidden(text, bodies=not one_line) == [], protocol
    assert web(publication)["url"] == link
    if link:
        assert link in publication.messages["email"]


@given(alerts)
@PROPERTIES
def test_a_title_appears_as_written_once_controls_are_gone(alert: Alert) -> None:
    title = plain(alert.title)
    headline = re.sub(r"[ \t\n]+", " ", title).strip()
    publication = render_alert(alert)

    if len(title) <= 300:
        assert web(publication)["title"] == title
    if 0 < len(headline) <= 100:
        assert f"{headline}\n" in publication.messages["email"]
    if 0 < len(headline) <= 40:
        assert apns(publication)["aps"]["alert"]["title"].endswith(headline)
        assert fcm(publication)["notification"]["title"].endswith(headline)


digests = st.builds(
    Digest,
    digest_id=short_texts,
    topic=topic_ids,
    topic_label=short_texts,
    period_start=st.just(datetime(2024, 7, 4, 8, tzinfo=UTC)),
    period_end=st.just(datetime(2024, 7, 4, 9, tzinfo=UTC)),
    entries=st.lists(
        st.builds(
            DigestEntry,
            story_id=short_texts,
            article_id=short_texts,
            title=texts,
            url=links,
            source=short_texts,
            published=st.just(PUBLISHED),
        ),
        min_size=1,
        max_size=40,
    ).map(tuple),
)


@given(digests)
@PROPERTIES
def test_any_digest_renders_within_every_limit_without_controls(digest: Digest) -> None:
    publication = render_digest(digest)

    check_limits(publication)
    assert json.loads(publication.attributes["topics"]["StringValue"]) == [digest.topic]
    assert web(publication)["count"] == len(digest.entries)
    for protocol, text in texts_of(publication):
        one_line = protocol in ("subject", *ONE_LINE_PROTOCOLS) or protocol in publication.attributes
        assert forbidden(text, bodies=not one_line) == [], protocol


@pytest.mark.parametrize("filler", ['"', "\\", "\U0001f600", "\u4e2d", "a "])
def test_the_worst_input_stays_far_under_the_sns_limit(filler: str) -> None:
    alert = make_alert(
        alert_id=filler * 10_000,
        story_id=filler * 10_000,
        article_id=filler * 10_000,
        title=filler * 100_000,
        summary=filler * 100_000,
        source=filler * 10_000,
        url="https://news.example.org/" + "a" * 2000,
        topics=tuple(f"topic-{index}" + "x" * 50 for index in range(500)),
        topic_labels=tuple(filler * 1000 for _ in range(500)),
        urgency_reasons=tuple(filler * 1000 for _ in range(100)),
        other_outlets=tuple(filler * 1000 for _ in range(100)),
        update=3,
    )
    publication = render_alert(alert)

    check_limits(publication)
    assert set(web(publication)["clipped"]) == {"title", "summary", "source"}


# ----------------------------------------------------------------- docs/alerts.md


def test_the_examples_in_the_alerts_guide_are_what_rendering_gives() -> None:
    guide = (PROJECT_ROOT / "docs" / "alerts.md").read_text(encoding="utf-8")
    blocks = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", guide, re.DOTALL)]
    alert = Alert(
        alert_id="story-5c0ffee0123456789abcdef0#1",
        story_id="story-5c0ffee0123456789abcdef0",
        update=1,
        article_id="art-8d1f0c2b7a4e4b0f9c3d2e1f0a9b8c7d",
        title="SCO leaders sign Astana pact on \u201csecurity & stability\u201d as talks run late",
        url="https://news.example.org/world/sco-astana-pact?id=42&ref=home",
        source="Example Wire",
        source_timezone="Asia/Almaty",
        published=PUBLISHED,
        language="en",
        summary="Leaders of the Shanghai Cooperation Organisation signed a pact on regional security in "
        "Astana on Thursday, after talks that ran past midnight. Trade < 5% of the agenda, officials said.",
        topics=("sco", "geopolitics"),
        topic_labels=("Shanghai Cooperation Organisation", "Geopolitics"),
        urgency=Urgency.URGENT,
        urgency_reasons=("3 outlets report it", "it was published 12 minutes before it reached newsalert"),
        other_outlets=("Kazinform", "Reuters"),
    )
    publication = render_alert(alert)
    entries = (
        (
            "1",
            "Foreign ministers meet in Geneva ahead of UN vote",
            "https://news.example.org/geneva",
            "Example Wire",
            5,
        ),
        ("2", "Baltic states sign energy accord", "https://baltic.example/energy", "Baltic Daily", 40),
        ("3", "Analysts weigh summit's trade outcomes", None, "Example Wire", 52),
    )
    digest = render_digest(
        make_digest(
            entries=tuple(
                DigestEntry(
                    story_id=f"story-{'a' * 23}{number}",
                    article_id=f"art-{number}",
                    title=title,
                    url=url,
                    source=source,
                    published=datetime(2024, 7, 4, 8, minute, tzinfo=UTC),
                )
                for number, title, url, source, minute in entries
            )
        )
    )

    assert f"```text\n{publication.subject}\n```" in guide
    assert f"```text\n{publication.messages['email']}\n```" in guide
    assert f"```text\n{publication.messages['sms']}\n```" in guide
    assert apns(publication) in blocks
    assert json.loads(publication.messages["GCM"]) in blocks
    assert web(publication) in blocks
    assert publication.attributes in blocks
    assert f"Subject: {digest.subject}\n\n{digest.messages['email']}\n```" in guide
    assert f"SMS: `{digest.messages['sms']}`" in guide
    assert apns(digest) in blocks
