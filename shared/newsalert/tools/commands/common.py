"""Argument types and look-ups that several subcommands share."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path


def project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds template.yaml."""
    for folder in (start, *start.parents):
        if (folder / "template.yaml").is_file():
            return folder
    raise SystemExit(f"newsalert: no template.yaml in {start} or above it; pass --root")


def aware_time(text: str) -> datetime:
    """An ISO 8601 time with a zone, as UTC (an argparse type)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give a time zone, e.g. {text}Z for UTC")
    return moment.astimezone(UTC)
