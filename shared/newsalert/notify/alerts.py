"""Turning a breaking article into an alert, and the alert into what each channel shows.

Article text comes from the open web. Before it goes into any notification it is made
inert: control characters removed, and ``<``, ``>`` and ``&`` escaped, so that an email
client, a push handler or a web hook that renders HTML shows the text instead of running
it. SNS subjects must be short ASCII without line breaks, so they get their own cleaning.
"""

from __future__ import annotations

import html
import json
import unicodedata

from newsalert.models import Alert, AlertRoute, ClassifiedArticle, Digest, StoryRef
from newsalert.ports import Publication

SUBJECT_LIMIT = 99
"""SNS wants a subject under 100 characters."""
SMS_LIMIT = 160
SUMMARY_SOURCE_LIMIT = 400
"""Characters of the body an alert takes as its summary when the article has none."""
# Joiners shape Indic and Arabic script and emoji: the only format characters kept.
_KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}


def _visible(char: str) -> bool:
    """False for control characters and for invisible format characters such as bidi overrides."""
    if char in "\n\t":
        return True
    category = unicodedata.category(char)
    if category == "Cc" or char in "\u2028\u2029":
        return False
    return category != "Cf" or char in _KEPT_FORMAT_CHARACTERS


def inert(text: str) -> str:
    """Article text made safe to show anywhere: no control or bidi characters, no live markup."""
    return html.escape("".join(char for char in text if _visible(char)), quote=False)


def _shorten(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    cut = text[:room].rsplit(" ", 1)[0] if " " in text[:room] else text[:room]
    return cut + ellipsis


def _sms(title: str, source: str, url: str) -> str:
    """Headline, source and link in one SMS: the headline gives way, never the link."""
    tail = f" ({_shorten(source, 40)}) {url}".rstrip()
    if len(tail) >= SMS_LIMIT - 20:  # a link too long to leave room for a headline
        return _shorten(title, SMS_LIMIT)
    return _shorten(title, SMS_LIMIT - len(tail)) + tail


def build_alert(classified: ClassifiedArticle, story: StoryRef, update: int, routes: tuple[AlertRoute, ...]) -> Alert:
    """Update ``update`` of the story's alert, with the article that made it, to the followers of ``routes``."""
    article, classification = classified.article, classified.classification
    return Alert(
        alert_id=f"{story.story_id}#{update}",
        story_id=story.story_id,
        update=update,
        article_id=article.id,
        title=article.title,
        url=article.url,
        source=article.source,
        source_timezone=article.source_timezone,
        published=article.published,
        language=article.language,
        summary=article.summary or article.body[:SUMMARY_SOURCE_LIMIT],
        topics=tuple(route.topic for route in routes),
        topic_labels=tuple(route.label for route in routes),
        urgency=classification.urgency,
        urgency_reasons=classification.urgency_reasons,
        other_outlets=tuple(outlet for outlet in story.outlets if outlet != article.source),
    )


def subject_line(alert: Alert) -> str:
    """An SNS subject: printable ASCII, one line, under 100 characters."""
    ascii_title = unicodedata.normalize("NFKD", alert.title).encode("ascii", "ignore").decode("ascii")
    one_line = " ".join(ascii_title.split())  # line breaks and tabs become spaces, not nothing
    printable = "".join(char for char in one_line if char.isprintable())
    return _shorten(f"Breaking: {printable}", SUBJECT_LIMIT, ellipsis="...")


def render_messages(alert: Alert, summary: str) -> dict[str, str]:
    """The message for each SNS protocol (``MessageStructure=json``)."""
    title, source = inert(alert.title), inert(alert.source)
    why = inert("matched " + ", ".join(alert.topics))
    when = alert.published.strftime("%d %b %Y %H:%M UTC")
    topics = ", ".join(alert.topics)
    lines = [f"BREAKING ({topics})", "", title, f"{source}, {when}"]
    if summary:
        lines += ["", inert(summary)]
    if alert.url:
        lines += ["", inert(alert.url)]
    lines += ["", f"Why you got this: {why}"]
    text = "\n".join(lines)
    document = alert.model_dump(mode="json")
    document.update(title=title, source=source, summary=inert(summary), url=inert(alert.url or ""))
    push = {"notification": {"title": _shorten(f"Breaking: {title}", 120), "body": _shorten(inert(summary), 240)}}
    return {
        "default": text,
        "email": text,
        "sms": _sms(title, source, inert(alert.url or "")),
        "https": json.dumps(document, ensure_ascii=False),
        "http": json.dumps(document, ensure_ascii=False),
        "GCM": json.dumps({**push, "data": {"alert_id": alert.alert_id, "url": inert(alert.url or "")}}),
        "APNS": json.dumps({"aps": {"alert": push["notification"]}, "alert_id": alert.alert_id}),
    }


def render_alert(alert: Alert) -> Publication:
    """The alert as one SNS publish: a body per protocol and the attributes filter policies route on."""
    attributes = {
        "topics": {"DataType": "String.Array", "StringValue": json.dumps(list(alert.topics))},
        "urgency": {"DataType": "String", "StringValue": alert.urgency.value},
        "language": {"DataType": "String", "StringValue": alert.language},
        "story_id": {"DataType": "String", "StringValue": alert.story_id},
        "alert_id": {"DataType": "String", "StringValue": alert.alert_id},
    }
    return Publication(subject_line(alert), render_messages(alert, alert.summary), attributes)


def render_digest(digest: Digest) -> Publication:
    lines = [f"{len(digest.entries)} more stories on {digest.topic_label}", ""]
    lines += [f"- {entry.title} ({entry.source}) {entry.url or ''}".rstrip() for entry in digest.entries]
    text = inert("\n".join(lines))
    attributes = {
        "topics": {"DataType": "String.Array", "StringValue": json.dumps([digest.topic])},
        "urgency": {"DataType": "String", "StringValue": "routine"},
    }
    subject = _shorten(f"Digest: {len(digest.entries)} more stories on {digest.topic_label}", SUBJECT_LIMIT)
    return Publication(subject, {"default": text, "email": text, "sms": text[:SMS_LIMIT]}, attributes)
