"""The simulation report as a person reads it: every input's fate, every subscriber's inbox."""

from __future__ import annotations

import json
from typing import Any

from newsalert.tools.local.simulation import ArticleFate, SimulationReport

FATE_LABELS = {
    "alerted": "ALERTED",
    "joined": "JOINED",
    "held": "HELD",
    "not_breaking": "NOT BREAKING",
    "duplicate": "DUPLICATE",
    "quarantined": "QUARANTINED",
    "unfinished": "UNFINISHED",
    "failed": "FAILED",
}
_WIDTH = 13
_SHOWN = 116
"""Characters of a delivery shown on its line."""


def _line(text: str, limit: int = _SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_read(protocol: str, subject: str | None, message: str) -> str:
    """One delivery as its subscriber first sees it: an email's subject, an SMS, a notification, a hook's JSON."""
    if protocol == "email":
        return _line(f"email “{subject}”") if subject else _line(message)
    if protocol == "sms":
        return _line(f"sms “{message}”", limit=len(message) + 8)  # an SMS is short: shown whole, link and all
    try:
        document: Any = json.loads(message)
    except ValueError:
        return _line(message)
    if protocol == "push":
        notification = document.get("fcmV1Message", {}).get("message", {}).get("notification") or document.get(
            "aps", {}
        ).get("alert", {})
        return _line(f"push “{notification.get('title', '')}” {notification.get('body', '')}")
    if isinstance(document, dict):
        return _line(
            f"POST {document.get('kind', 'alert')} “{document.get('title') or document.get('topic_label', '')}”"
        )
    return _line(message)


def _describe(article: ArticleFate) -> str:
    label = FATE_LABELS.get(article.fate, article.fate.upper())
    title = article.title or f"(nothing usable in {article.origin})"
    lines = [f"    {label:<{_WIDTH}} {title}"]
    if article.topics:
        topics = ", ".join(f"{topic} {score:.2f}" for topic, score in article.topics.items())
        lines.append(
            f"    {'':<{_WIDTH}} topics: {topics}" + (f"; category {article.category}" if article.category else "")
        )
    if article.reason:
        lines.append(f"    {'':<{_WIDTH}} {article.reason}")
    if article.alert:
        lines.append(f"    {'':<{_WIDTH}} alert {article.alert}")
    return "\n".join(lines)


def render_report(report: SimulationReport) -> str:
    out = [
        f"Stack {report.stack}: template.yaml deployed into embedded AWS (moto); clock set to {report.now}",
        "",
        "Every input and the fate of each article in it",
    ]
    for entry in report.inputs:
        out.append(f"  {entry.input}  ->  {entry.via}")
        if entry.error:
            out.append(f"    ERROR         {entry.error}")
        if not entry.articles and not entry.error:
            out.append("    (no articles)")
        out += [_describe(article) for article in entry.articles]
    out += ["", "What each subscriber received"]
    for subscriber in report.subscribers:
        follows = ", ".join(subscriber.topics) or "every topic"
        if subscriber.urgency:
            follows += f" ({', '.join(subscriber.urgency)} only)"
        if subscriber.languages:
            follows += f" in {', '.join(subscriber.languages)}"
        count = len(subscriber.received)
        summary = f"{count} alert{'s' if count != 1 else ''}" if count else "nothing"
        out.append(f"  {subscriber.name} <{subscriber.protocol}: {subscriber.endpoint}> follows {follows}: {summary}")
        for delivery in subscriber.received:
            out.append(f"    - {as_read(subscriber.protocol, delivery['subject'], delivery['message'])}")
    total = sum(report.totals.values())
    parts = ", ".join(f"{count} {fate.replace('_', ' ')}" for fate, count in report.totals.items())
    out += ["", f"{total} article{'s' if total != 1 else ''} in: {parts or 'none'}"]
    stuck = {queue: count for queue, count in report.dead_letters.items() if count}
    if stuck:
        out.append("Dead-letter queues holding messages: " + ", ".join(f"{q} {n}" for q, n in stuck.items()))
    return "\n".join(out)
