"""Turning a breaking article into an alert, and the alert into what each channel shows.

Article text comes from the open web. Before it goes into any notification it is made
inert: control characters removed, and ``<``, ``>`` and ``&`` escaped, so that an email
client, a push handler or a web hook that renders HTML shows the text instead of running
it. SNS subjects must be short ASCII without line breaks, so they get their own cleaning.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata

from newsalert.models import Alert, ClassifiedArticle

SUBJECT_LIMIT = 99
SMS_LIMIT = 160
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Article text made safe to show anywhere: no control characters, no live markup."""
    return html.escape(_CONTROL.sub("", text), quote=False)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def build_alert(classified: ClassifiedArticle) -> Alert:
    """The alert for a breaking article: every topic it matched, its category, and why."""
    article, classification = classified.article, classified.classification
    topics = [match.topic for match in classification.topics]
    if classification.category and classification.category not in topics:
        topics.append(classification.category)
    return Alert(
        alert_id="alert-" + article.id.removeprefix("art-"),
        article_id=article.id,
        title=article.title,
        url=article.url,
        source=article.source,
        published=article.published,
        topics=tuple(topics),
        reason=classification.reason,
    )


def subject_line(alert: Alert) -> str:
    """An SNS subject: printable ASCII, one line, under 100 characters."""
    ascii_title = unicodedata.normalize("NFKD", alert.title).encode("ascii", "ignore").decode("ascii")
    ascii_title = "".join(char for char in ascii_title if char.isprintable())
    return _shorten(f"Breaking: {ascii_title}", SUBJECT_LIMIT).replace("…", "...")


def render_messages(alert: Alert, summary: str) -> dict[str, str]:
    """The message for each SNS protocol (``MessageStructure=json``)."""
    title, source, why = inert(alert.title), inert(alert.source), inert(alert.reason)
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
    document.update(title=title, source=source, reason=why, summary=inert(summary))
    push = {"notification": {"title": _shorten(f"Breaking: {title}", 120), "body": _shorten(inert(summary), 240)}}
    return {
        "default": text,
        "email": text,
        "sms": _shorten(f"{title} ({source}) {inert(alert.url or '')}", SMS_LIMIT),
        "https": json.dumps(document, ensure_ascii=False),
        "http": json.dumps(document, ensure_ascii=False),
        "GCM": json.dumps({**push, "data": {"alert_id": alert.alert_id, "url": inert(alert.url or "")}}),
        "APNS": json.dumps({"aps": {"alert": push["notification"]}, "alert_id": alert.alert_id}),
    }
