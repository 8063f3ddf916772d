"""Reading what a command was given: a file, or a URL fetched through ingest's SSRF guard."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from newsalert.ingest.fetch import FetchFailedError, FetchPolicy, FetchRefusedError, SafeFetcher

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class InputUnreadableError(Exception):
    """A file or URL that cannot be read at all (missing, refused by the fetch guard); the message says why."""


@dataclass(frozen=True)
class Input:
    data: bytes
    origin: str
    """The path as given, or the URL the body came from (after redirects)."""
    name: str
    """What the kind rule takes as a hint: the file's path, or the URL's path."""


def read_input(location: str, *, allow_loopback: bool) -> Input:
    """The bytes of a file, or of a URL fetched through the SSRF guard.

    ``InputUnreadableError`` for a missing file or a URL the guard refuses; ``FetchFailedError``
    when the fetch itself fails (network, status, size).
    """
    if _URL.match(location):
        return _fetch(location, allow_loopback=allow_loopback)
    try:
        data = Path(location).read_bytes()
    except OSError as error:
        raise InputUnreadableError(f"cannot read {location}: {error.strerror or error}") from None
    return Input(data, location, location)


def _fetch(url: str, *, allow_loopback: bool) -> Input:
    fetcher = SafeFetcher(FetchPolicy(allow_loopback=allow_loopback))
    try:
        fetched = fetcher.fetch(url)
    except FetchRefusedError as error:
        raise InputUnreadableError(f"{error}{_loopback_hint(url, allow_loopback)}") from None
    return Input(fetched.body, fetched.url, urlsplit(fetched.url).path)


def _loopback_hint(url: str, allow_loopback: bool) -> str:
    if allow_loopback:
        return ""
    try:
        SafeFetcher(FetchPolicy(allow_loopback=True)).check(url)
    except (FetchRefusedError, FetchFailedError):
        return ""  # refused for another reason: loopback would not help
    return " (pass --allow-loopback to read a feed served on this machine)"
