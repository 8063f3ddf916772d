"""Read a JSON Feed (https://jsonfeed.org, versions 1.0 and 1.1) into a ``RawFeed``.

feedparser 6 does not read JSON Feed, so this small reader does. It is strict about
what the specification requires and about types: a document that is not a JSON Feed
is refused with the reason, and an item that breaks the rules (not an object, no
``id``, no ``content_html`` nor ``content_text``, a field of the wrong type) is
rejected on its own, with the reason, while the other items are read. Nothing is
coerced, except ``id``, which the specification asks readers to turn into a string.
"""

from __future__ import annotations

import json
from typing import Any

from newsalert.ingest.cleaning import clean_inline
from newsalert.ingest.errors import FeedParseError
from newsalert.ingest.formats.feed_items import RawDate, RawFeed, RawItem, RawText, UnreadableItem

SNIPPET_LENGTH = 300
VERSIONS = {
    "https://jsonfeed.org/version/1": "JSON Feed 1.0",
    "https://jsonfeed.org/version/1.1": "JSON Feed 1.1",
}
_TEXT_FIELDS = ("url", "external_url", "title", "summary", "content_html", "content_text")
_DATE_FIELDS = ("date_published", "date_modified")


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def feed_version(document: Any) -> str | None:
    """The format name (``JSON Feed 1.1``) if ``document`` (parsed JSON) declares a JSON Feed version."""
    if not isinstance(document, dict):
        return None
    version = document.get("version")
    return VERSIONS.get(version.rstrip("/")) if isinstance(version, str) else None


def _optional_string(document: dict[str, Any], key: str, where: str) -> str | None:
    value = document.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}'{key}' must be a string, not {_type_name(value)}")
    return value


def _snippet(item: Any) -> str:
    if not isinstance(item, dict):
        return clean_inline(json.dumps(item, ensure_ascii=False)[:SNIPPET_LENGTH])
    parts = [item[key] for key in ("title", "url", "summary", "content_text") if isinstance(item.get(key), str)]
    return clean_inline(" | ".join(parts))[:SNIPPET_LENGTH]


def _item(item: Any) -> RawItem | UnreadableItem:
    snippet = _snippet(item)
    if not isinstance(item, dict):
        return UnreadableItem(f"item is {_type_name(item)}, not an object", snippet)
    try:
        fields = {key: _optional_string(item, key, "item field ") for key in (*_TEXT_FIELDS, *_DATE_FIELDS)}
        language = _optional_string(item, "language", "item field ")
    except ValueError as error:
        return UnreadableItem(str(error), snippet)
    if item.get("id") is None or item.get("id") == "":
        return UnreadableItem("item has no 'id' (the JSON Feed specification requires one)", snippet)
    if fields["content_html"] is None and fields["content_text"] is None:
        return UnreadableItem(
            "item has neither 'content_html' nor 'content_text' (the JSON Feed specification requires one)", snippet
        )
    content = (
        RawText(fields["content_html"], is_html=True)
        if fields["content_html"]
        else RawText(fields["content_text"] or "", is_html=False)
    )
    return RawItem(
        title=RawText(fields["title"], is_html=False) if fields["title"] else None,
        # "url" is the item's own page; "external_url" the page it is about (link blogs).
        link=fields["url"] or fields["external_url"],
        summary=RawText(fields["summary"], is_html=False) if fields["summary"] else None,
        content=content if content.value else None,
        dates=tuple(RawDate(fields[key] or "") for key in _DATE_FIELDS if fields[key]),
        language=language,
        snippet=snippet,
    )


def read_json_feed(text: str) -> RawFeed:
    """The feed in a JSON Feed document; ``FeedParseError`` if the document is not one."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise FeedParseError("not a readable JSON Feed: nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, or a number too long to read
        raise FeedParseError(f"not a readable JSON Feed: {error}") from None
    if not isinstance(document, dict):
        raise FeedParseError(f"not a JSON Feed: the document is {_type_name(document)}, not an object")
    format_name = feed_version(document)
    if format_name is None:
        raise FeedParseError(
            f"not a JSON Feed: 'version' must be one of {', '.join(VERSIONS)}, got {document.get('version')!r:.80}"
        )
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedParseError(f"not a JSON Feed: 'items' must be a list, not {_type_name(items)}")
    try:
        title = _optional_string(document, "title", "")
        language = _optional_string(document, "language", "")
    except ValueError as error:
        raise FeedParseError(f"not a valid JSON Feed: {error}") from None
    return RawFeed(
        format=format_name,
        title=RawText(title, is_html=False) if title else None,
        language=language,
        items=[_item(item) for item in items],
    )
