"""How urgent a breaking article is — flash, urgent or routine — and why, from signals an editor would weigh.

Each signal adds points (or takes one away); the total picks the level, and each signal that
counted leaves a reason that reads after "because" ("3 outlets carry the story", "'earthquake' is in the headline"):

* **strength**: the best alerting topic scored at least ``strong_score``;
* **freshness**: it reached newsalert at most ``fresh_minutes`` after it was published;
* **cues**: words in the headline (up to ``headline_cue_points``) or, failing that, the lead
  that newsrooms use for urgent news ("breaking", "earthquake", "killed"...);
* **the source**: a high-priority outlet adds a point, a low-priority one takes one away;
* **spread**: ``many_outlets`` outlets carrying the story add a point, ``wide_outlets`` two.

``urgent_points`` and ``flash_points`` are the thresholds. A topic's alert policy can bound the
result (``max_urgency: urgent`` for sport, ``min_urgency: urgent`` for a desk's own watch topic).
Operators tune all of it in the taxonomy file's ``urgency:`` block; the defaults are the
``UrgencyPolicy`` fields.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from newsalert.flags import FLAG_PUBLISHED_MISSING
from newsalert.models import Article, StoryRef, TopicMatch, Urgency

DEFAULT_CUES = (
    "breaking",
    "urgent",
    "just in",
    "flash",
    "alert",
    "killed",
    "dead",
    "death toll",
    "explosion",
    "blast",
    "earthquake",
    "tsunami",
    "evacuate",
    "evacuated",
    "evacuation",
    "attack",
    "shooting",
    "coup",
    "assassinated",
    "resigns",
    "declares",
    "state of emergency",
    "war",
    "invasion",
    "ceasefire",
)
"""Words newsrooms put in an urgent headline. Tuned for English; operators add their languages'."""


class UrgencyPolicy(BaseModel):
    """The ``urgency:`` block of the taxonomy file: signals, their points, and the two thresholds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cues: tuple[str, ...] = DEFAULT_CUES
    """Words or phrases (any case, whole words) that mark urgent news in a headline or lead."""
    headline_cue_points: int = Field(default=2, ge=0)
    """At most this many points from cues in the headline (one per distinct cue)."""
    lead_cue_points: int = Field(default=1, ge=0)
    """Points when the headline has no cue but the lead does."""
    strong_score: float = Field(default=0.95, ge=0.0, le=1.0)
    fresh_minutes: int = Field(default=30, ge=1)
    many_outlets: int = Field(default=3, ge=2)
    wide_outlets: int = Field(default=5, ge=2)
    urgent_points: int = Field(default=2, ge=1)
    flash_points: int = Field(default=4, ge=1)

    @field_validator("cues")
    @classmethod
    def _plain_cues(cls, cues: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(" ".join(cue.split()) for cue in cues)
        if any(not cue for cue in cleaned):
            raise ValueError("a cue cannot be empty")
        return cleaned

    @model_validator(mode="after")
    def _flash_above_urgent(self) -> UrgencyPolicy:
        if self.flash_points <= self.urgent_points:
            raise ValueError(f"flash_points ({self.flash_points}) must be above urgent_points ({self.urgent_points})")
        if self.wide_outlets <= self.many_outlets:
            raise ValueError(f"wide_outlets ({self.wide_outlets}) must be above many_outlets ({self.many_outlets})")
        return self

    @cached_property
    def _cue_pattern(self) -> re.Pattern[str] | None:
        if not self.cues:
            return None
        alternatives = "|".join(re.escape(cue).replace(" ", r"\s+") for cue in sorted(self.cues, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def cues_in(self, text: str) -> list[str]:
        """The distinct cues in ``text``, lower-cased, in order of appearance."""
        if self._cue_pattern is None:
            return []
        found: list[str] = []
        for match in self._cue_pattern.finditer(text):
            cue = " ".join(match.group().lower().split())
            if cue not in found:
                found.append(cue)
        return found


def decide_urgency(
    article: Article,
    alerting: Sequence[TopicMatch],
    story: StoryRef | None,
    policy: UrgencyPolicy,
    *,
    bounds: tuple[Urgency, Urgency] = (Urgency.ROUTINE, Urgency.FLASH),
) -> tuple[Urgency, tuple[str, ...]]:
    """The urgency of a breaking article and the reasons for it.

    ``alerting`` are the matches that made it breaking, strongest first; ``bounds`` the least and
    most urgency its topics' policies allow.
    """
    points = 0
    reasons: list[str] = []
    if alerting and alerting[0].score >= policy.strong_score:
        points += 1
        reasons.append(f"it matches {alerting[0].label} strongly ({alerting[0].score:.2f})")
    age = article.received_at - article.published
    if FLAG_PUBLISHED_MISSING not in article.flags and age <= timedelta(minutes=policy.fresh_minutes):
        points += 1
        minutes = max(int(age.total_seconds() // 60), 0)
        reasons.append(
            "it was published just now" if minutes < 1 else f"it was published {minutes} min before it arrived"
        )
    headline_cues = policy.cues_in(article.title)
    if headline_cues:
        shown = headline_cues[: policy.headline_cue_points]
        points += len(shown)
        reasons.append(_quoted(shown) + (" are" if len(shown) > 1 else " is") + " in the headline")
    else:
        lead_cues = policy.cues_in(article.summary or article.body[:400])
        if lead_cues and policy.lead_cue_points:
            points += policy.lead_cue_points
            reasons.append(_quoted(lead_cues[:1]) + " is in the lead")
    if article.source_priority == "high":
        points += 1
        reasons.append(f"{article.source} is a high-priority source")
    elif article.source_priority == "low":
        points -= 1
        reasons.append(f"{article.source} is a low-priority source")
    outlets = len(story.outlets) if story else 1
    if outlets >= policy.wide_outlets:
        points += 2
        reasons.append(f"{outlets} outlets carry the story")
    elif outlets >= policy.many_outlets:
        points += 1
        reasons.append(f"{outlets} outlets carry the story")
    level = _level(points, policy)
    least, most = bounds
    if level.rank > most.rank:
        level = most
        reasons.append(f"the topic's policy caps it at {most.value}")
    elif level.rank < least.rank:
        level = least
        reasons.append(f"the topic's policy raises it to {least.value}")
    return level, tuple(reasons)


def _level(points: int, policy: UrgencyPolicy) -> Urgency:
    if points >= policy.flash_points:
        return Urgency.FLASH
    if points >= policy.urgent_points:
        return Urgency.URGENT
    return Urgency.ROUTINE


def _quoted(cues: list[str]) -> str:
    return " and ".join(f"'{cue}'" for cue in cues)
