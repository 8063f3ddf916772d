"""The constrained field types and the urgency scale, shared by the models that travel and the files operators write.

Apart from ``newsalert.models`` so that a handler that only checks such fields (subscriptions:
topics, urgency, languages) does not build every pipeline model at its cold start;
``newsalert.models`` re-exports them all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, StringConstraints


def _as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_as_utc)]
"""A timezone-aware time, always stored in UTC: naive times are refused."""

NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
TopicId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]

IanaZone = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_+/-]*$", max_length=64)]
"""An IANA time zone name (``Asia/Dhaka``), checked for existence where it is read from operators."""
SourcePriority = Literal["high", "normal", "low"]


class Urgency(StrEnum):
    """How urgently an alert should reach people, from least to most."""

    ROUTINE = "routine"
    URGENT = "urgent"
    FLASH = "flash"

    @property
    def rank(self) -> int:
        return _URGENCY_RANKS[self]


_URGENCY_RANKS = {Urgency.ROUTINE: 0, Urgency.URGENT: 1, Urgency.FLASH: 2}
