"""Decide whether a classified article is breaking news, and say why in plain words.

An article is breaking when it is fresh (it reached us soon enough after it
was published) and at least one matched topic may alert (its policy says
``breaking: true``) with a score at or above that policy's ``min_score``.

Two choices about time, made here once:

* An article flagged ``published-missing`` counts as fresh. Ingest has
  already dropped duplicates, so the first time we see an undated article is
  the best guess we have of when it came out; refusing every undated article
  would silence feeds that never carry dates, while the topic policy still
  has to be met.
* An article dated *after* it was received counts as fresh: feeds' clocks
  and time zones are often off by a few hours, and a date in the future
  cannot be evidence of an old story.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from newsalert.classify.taxonomy import Taxonomy
from newsalert.flags import FLAG_PUBLISHED_IMPLAUSIBLE, FLAG_PUBLISHED_MISSING
from newsalert.models import Article, TopicMatch


def decide_breaking(
    article: Article,
    matches: Iterable[TopicMatch],
    taxonomy: Taxonomy,
    *,
    max_age: timedelta,
) -> tuple[bool, str]:
    """Return whether the article is breaking, with the reason shown to operators and subscribers.

    Raises ``ValueError`` for a ``max_age`` that is not positive and ``KeyError``
    for a match whose topic is not in ``taxonomy`` (a mix-up of taxonomies).
    """
    if max_age <= timedelta(0):
        raise ValueError(f"max_age must be positive, not {max_age}")
    ranked = sorted(matches, key=lambda m: (-m.score, m.topic))
    alerting = [m for m in ranked if may_alert(m, taxonomy)]
    fresh, age_text = _freshness(article, max_age)
    if fresh and alerting:
        topics = ", ".join(f"{m.topic} ({m.score:.2f})" for m in alerting)
        return True, f"breaking: matched {topics}; {age_text}"
    problems = []
    if not fresh:
        problems.append(age_text)
    if not alerting:
        problems.append(_why_no_topic_alerts(ranked, taxonomy))
    return False, "not breaking: " + "; ".join(problems)


def may_alert(match: TopicMatch, taxonomy: Taxonomy) -> bool:
    """Whether this match, on its own, may make the article breaking (and so route the alert)."""
    policy = taxonomy.topic(match.topic).alert
    return policy.breaking and match.score >= policy.min_score


def _freshness(article: Article, max_age: timedelta) -> tuple[bool, str]:
    if FLAG_PUBLISHED_MISSING in article.flags:
        return True, "publication time unknown, taken as fresh"
    if FLAG_PUBLISHED_IMPLAUSIBLE in article.flags:
        return False, "dated more than a day after it was received (a broken source): not taken as fresh"
    age = article.received_at - article.published
    if age < timedelta(0):
        return True, f"dated {_duration(-age)} after it was received"
    if age <= max_age:
        return True, f"published {_duration(age)} before it was received"
    return False, f"published {_duration(age)} before it was received (limit {_duration(max_age)})"


def _why_no_topic_alerts(ranked: list[TopicMatch], taxonomy: Taxonomy) -> str:
    if not ranked:
        return "no topic matched"
    could_alert = [m for m in ranked if taxonomy.topic(m.topic).alert.breaking]
    if not could_alert:
        matched = ", ".join(f"{m.topic} {m.score:.2f}" for m in ranked)
        return f"no alerting topic matched (matched only topics that never alert: {matched})"
    best = could_alert[0]
    min_score = taxonomy.topic(best.topic).alert.min_score
    shown = f"{best.score:.2f}"
    if float(shown) >= min_score:
        shown = f"{best.score:.4f}"  # two decimals would read "0.80 < 0.8"
    return f"no alerting topic matched (best: {best.topic} {shown} < {min_score:g})"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _duration(delta: timedelta) -> str:
    """A short human reading of a duration, rounded down: "45 s", "12 min", "6 h", "3 days", "2 years"."""
    seconds = int(delta.total_seconds())
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 60:
        return f"{seconds} s"
    if minutes < 60:
        return f"{minutes} min"
    if hours < 48:
        leftover = minutes % 60
        return f"{hours} h {leftover} min" if leftover else f"{hours} h"
    if days < 60:
        return _plural(days, "day")
    if days < 730:
        return _plural(int(days / 30.44), "month")
    return _plural(int(days / 365.25), "year")
