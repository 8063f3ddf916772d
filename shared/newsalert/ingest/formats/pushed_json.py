"""Reading articles that a newsroom system pushes as JSON (``POST /articles``, dropped ``.json`` files).

A body is one JSON object, a list of them, or JSON lines. Each item is validated on its
own with ``PushedArticle``, so one bad item never takes its neighbours down with it, and
each refusal says which field is wrong and why.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from newsalert.ingest.cleaning import capped, clean_body, clean_inline
from newsalert.ingest.formats.bounded_json import JsonTooDeepError, load_json
from newsalert.ingest.limits import (
    MAX_BODY_BYTES,
    MAX_BODY_LENGTH,
    MAX_JSON_ARTICLES,
    MAX_JSON_BYTES,
    MAX_SUMMARY_LENGTH,
    MAX_TITLE_LENGTH,
    size_refusal,
)
from newsalert.ingest.published import read_given_time, settle_published
from newsalert.ingest.sources import SourceCatalog
from newsalert.models import Article, LanguageCode, NonEmptyText, StrictModel

MAX_PUSHED_ITEMS = MAX_JSON_ARTICLES
"""Articles one request (or one dropped JSON file) may carry."""


class PushedArticle(StrictModel):
    """An article as a newsroom system pushes it to ``POST /articles``."""

    title: NonEmptyText
    source: NonEmptyText
    published: datetime | date
    """With its offset, as it should be; a time without one, or a day alone, is read and flagged."""
    url: str | None = None
    summary: str = ""
    body: str = ""
    language: LanguageCode = "en"


class PushedBodyError(ValueError):
    """A body that holds no readable list of articles: empty, not JSON, or too many items."""


def json_text(body: bytes) -> str:
    """A JSON document's bytes as text; ``PushedBodyError`` naming the first byte that is not UTF-8.

    JSON between systems is UTF-8 (RFC 8259): never guessed here, never read with replacements.
    """
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PushedBodyError(
            f"the body is not UTF-8 (byte 0x{body[error.start]:02x} at position {error.start}): "
            "send JSON encoded in UTF-8"
        ) from None


def from_base64(body: bytes | str) -> bytes:
    """A body API Gateway passed base64-encoded (``isBase64Encoded``), decoded; ``PushedBodyError`` if not base64."""
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as error:  # ValueError: a str with characters outside ASCII
        raise PushedBodyError(
            f"the body is flagged as base64 (isBase64Encoded) but is not valid base64: {error}"
        ) from None


def pushed_items(body: bytes | str) -> list[Any]:
    """The items of a pushed body, not yet validated; raises ``PushedBodyError`` with the reason."""
    size = len(body.encode("utf-8") if isinstance(body, str) else body)
    if size > MAX_JSON_BYTES:
        raise PushedBodyError(size_refusal("the JSON", size, MAX_JSON_BYTES))
    text = json_text(body) if isinstance(body, bytes) else body
    if not text.strip():
        raise PushedBodyError("the request body is empty: expected a JSON article or a list of them")
    try:
        document = load_json(text)
    except JsonTooDeepError as error:
        raise PushedBodyError(str(error)) from None
    except json.JSONDecodeError as first_error:
        try:  # JSON lines: one article per line
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise PushedBodyError(f"not valid JSON: {first_error}") from None
    else:
        if document == []:
            raise PushedBodyError("the request holds an empty list: expected at least one article")
        items = document if isinstance(document, list) else [document]
    if len(items) > MAX_PUSHED_ITEMS:
        raise PushedBodyError(f"{len(items)} articles in one request; at most {MAX_PUSHED_ITEMS} are accepted")
    return items


def article_from_pushed(item: Any, received_at: datetime, catalog: SourceCatalog | None = None) -> Article:
    """Validate one pushed item and normalise it; raises ``ValueError`` with a readable reason.

    When ``catalog`` configures the outlet the item names as its ``source``, a time written
    without an offset is read in the outlet's zone, and the article carries its zone and priority.
    """
    try:
        pushed = PushedArticle.model_validate_json(json.dumps(item))
        outlet = catalog.get(pushed.source.strip()) if catalog is not None else None
        given, given_flags = read_given_time(pushed.published, outlet.zone if outlet else UTC, received_at)
        # A newsroom system's clock or zone can be as wrong as a feed's, and a time after arrival
        # cannot be true: it is clamped and flagged exactly as for feeds and files.
        published, flags = settle_published(given, received_at)
        try:
            published = published.astimezone(UTC)
        except OverflowError:  # within hours of year 1 in a zone ahead of UTC: no UTC equivalent
            raise ValueError(f"published: {pushed.published.isoformat()} is out of range") from None
        title, summary, body, cut_flags = capped_text(pushed.title, pushed.summary, pushed.body)
        flags += cut_flags
        return Article.create(
            title=title,
            source=clean_inline(pushed.source),
            published=published,
            received_at=received_at,
            url=pushed.url,
            summary=summary,
            body=body,
            language=pushed.language,
            source_timezone=outlet.timezone if outlet else None,
            source_priority=outlet.priority if outlet else "normal",
            flags=given_flags + flags,
        )
    except ValidationError as error:
        raise ValueError(validation_reason(error)) from None


def capped_text(title: str, summary: str, body: str) -> tuple[str, str, str, tuple[str, ...]]:
    """A JSON article's title, summary and body cleaned and capped as every input kind is
    (newsalert.ingest.limits), and the flags of the cuts (each once)."""
    title, title_cut = capped(clean_inline(title), MAX_TITLE_LENGTH)
    cut_summary, summary_cut = capped(clean_inline(summary), MAX_SUMMARY_LENGTH)
    # A summary longer than an alert carries is cut; with no body of its own, the whole of it is
    # kept as the body (as a feed item's description is), so classify still reads every word.
    whole = body if body.strip() or not summary_cut else summary
    body, body_cut = capped(clean_body(whole), MAX_BODY_LENGTH, max_bytes=MAX_BODY_BYTES)
    return title, cut_summary, body, tuple(dict.fromkeys(title_cut + summary_cut + body_cut))


def validation_reason(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in issue['loc']) or 'article'}: {_problem(issue)}" for issue in error.errors()
    )


def _problem(issue: Mapping[str, Any]) -> str:
    # pydantic says "Input should be a valid string" of a null too; a newsroom system that sends
    # "title": null for an untitled item is better told what it sent.
    if issue["type"] == "string_type" and issue["input"] is None:
        return "null where a text is required"
    return str(issue["msg"])
