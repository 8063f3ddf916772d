"""Articles for the commands that classify (classify, explain, eval, backtest), from whatever an editor has.

Two kinds of input:

- **JSON articles**, one object a line (or one object, or a list): ``id``, ``title``,
  ``summary``, ``body`` (or ``text``, read as the body when there is no ``body``), ``url``,
  ``source``, ``published``, ``language``. Only ``title`` is required, so that a labelled set
  such as AG News (id, title, summary) reads as it is; other keys (``label``, ``topics``,
  ``story``...) are kept in ``InputArticle.json_object`` for whoever needs them. A date is never
  a reason to refuse an item: a time without a zone is read as UTC (``published-without-zone``),
  a day alone (``"2021-08-03"``) as that day (``published-date-only``); a missing or unreadable
  one is replaced by the arrival time (``published-missing``), as ingest does.
  (``read_stored_articles`` reads the ``Article`` JSON that classify archives exactly, its
  times and id included, for the backtest.)
- **Article files**, told apart by content as ``newsalert parse`` tells them: a raw text
  article or an HTML page is read by ingest's own parsers, a feed gives its items.

Text is cleaned and capped as ``POST /articles`` cleans and caps it, so an article is classified
exactly as the pipeline would classify it, and evidence offsets point into that cleaned text.
Article files and feeds are read under ingest's limits (``newsalert.ingest.limits``); a JSON
file is a data set here (eval's labelled sets hold thousands of articles), read whatever its
length, where ingest takes at most 100 articles a file or request. One bad item
is a ``RefusedInput`` with its reason, never an exception: a thousand-line file with one bad
line still gives 999 articles.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from newsalert.aws.archive import ArticleArchive
from newsalert.flags import FLAG_PUBLISHED_MISSING
from newsalert.ingest import limits
from newsalert.ingest.cleaning import clean_inline
from newsalert.ingest.errors import ParseError, UnsupportedInputError
from newsalert.ingest.fetch import FetchFailedError
from newsalert.ingest.formats.bounded_json import JsonTooDeepError, load_json
from newsalert.ingest.formats.feed_document import parse_feed
from newsalert.ingest.formats.html_page import parse_html_article
from newsalert.ingest.formats.pushed_json import PushedBodyError, capped_text, json_text, validation_reason
from newsalert.ingest.formats.raw_text import parse_raw_article
from newsalert.ingest.input_kind import input_kind
from newsalert.ingest.published import read_given_time
from newsalert.ingest.sources import SourceCatalog, SourceConfigError, load_source_catalog
from newsalert.models import Article, LanguageCode, NonEmptyText
from newsalert.tools.inputs import InputUnreadableError, read_input

RAW_SNIPPET_LENGTH = 200
UNKNOWN_SOURCE = "unknown"


@dataclass(frozen=True)
class InputArticle:
    """One article read from the input, with the id the input gave it."""

    item_id: str
    """The input's own ``id`` when it has one (``ag-5147``), else the article's id (``art-...``)."""
    article: Article
    origin: str
    """Where it came from: ``path:line`` for JSON lines, the path or URL for a file."""
    json_object: Mapping[str, Any] = field(default_factory=dict)
    """The JSON object as read, with keys the article does not use (gold labels); empty for files."""


@dataclass(frozen=True)
class RefusedInput:
    """An item that could not be made into an article."""

    origin: str
    reason: str
    raw: str
    """The start of the item as it was, to find it again."""
    item_id: str | None = None


ReadItem = InputArticle | RefusedInput


class _JsonArticle(BaseModel):
    """What a JSON line must hold to be classified: a title; the rest is optional, unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str | int | None = None
    title: NonEmptyText
    summary: str = ""
    body: str = ""
    text: str = ""
    """The body under another name (some labelled sets call it so); read only when there is no ``body``."""
    url: str | None = None
    source: str | None = ""
    published: object = None
    """Read by ``published_time``: whatever it holds, the item is not refused over it."""
    language: LanguageCode = "en"


_GIVEN_TIME: TypeAdapter[date | datetime] = TypeAdapter(date | datetime)  # a day alone reads as a date


def published_time(value: object, received_at: datetime) -> tuple[datetime, tuple[str, ...]]:
    """The time a JSON item's ``published`` gives, and the flags of its doubts, as ingest reads pushed times.

    A time with a zone is taken as it is; a time without one is read as UTC, and a day alone as that
    day, each flagged (``newsalert.ingest.published.read_given_time``); none, or one that cannot be
    read, leaves the arrival time, flagged as missing (exactly as ingest does for undated items).
    """
    if not isinstance(value, str) or not value.strip():
        # Numbers are not taken for epoch seconds: in a JSON article they are more likely a mistake.
        return received_at, (FLAG_PUBLISHED_MISSING,)
    try:
        given = _GIVEN_TIME.validate_python(value)
    except ValidationError:
        return received_at, (FLAG_PUBLISHED_MISSING,)
    moment, flags = read_given_time(given, UTC, received_at)
    return (received_at, (FLAG_PUBLISHED_MISSING,)) if moment is None else (moment, flags)


def article_from_json(json_object: Mapping[str, Any], *, received_at: datetime) -> tuple[str | None, Article]:
    """The article a JSON object describes and the id it gave; ``ValueError`` with the reason when it cannot be one."""
    try:
        item = _JsonArticle.model_validate(json_object)
        published, flags = published_time(item.published, received_at)
        # Capped as ingest caps a pushed article (newsalert.ingest.limits): classified as it would be.
        title, summary, body, cut_flags = capped_text(item.title, item.summary, item.body or item.text)
        article = Article.create(
            title=title,
            source=clean_inline(item.source or "") or UNKNOWN_SOURCE,
            published=published,
            received_at=received_at,
            url=item.url or None,
            summary=summary,
            body=body,
            language=item.language,
            flags=flags + cut_flags,
        )
    except ValidationError as error:
        raise ValueError(validation_reason(error)) from None
    return (None if item.id is None else str(item.id)), article


def _snippet(data: str | bytes) -> str:
    text = data if isinstance(data, str) else data[: RAW_SNIPPET_LENGTH * 4].decode("utf-8", errors="replace")
    return clean_inline(text)[:RAW_SNIPPET_LENGTH]


def read_json_lines(lines: Iterable[str], *, origin: str, received_at: datetime) -> Iterator[ReadItem]:
    """Articles from JSON lines; each line is refused on its own. Blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            json_object = load_json(line)
        except JsonTooDeepError as error:
            yield RefusedInput(where, str(error), _snippet(line))
            continue
        except json.JSONDecodeError as error:
            yield RefusedInput(where, f"not JSON: {error.msg} at column {error.colno}", _snippet(line))
            continue
        yield _read_json_object(json_object, where, received_at)


def _read_json_object(json_object: Any, where: str, received_at: datetime) -> ReadItem:
    if not isinstance(json_object, dict):
        return RefusedInput(
            where, f"expected a JSON object, got {type(json_object).__name__}", _snippet(json.dumps(json_object))
        )
    given_id = json_object.get("id")
    try:
        item_id, article = article_from_json(json_object, received_at=received_at)
    except ValueError as error:
        raw = _snippet(json.dumps(json_object, ensure_ascii=False))
        return RefusedInput(where, str(error), raw, None if given_id is None else str(given_id))
    return InputArticle(item_id or article.id, article, where, json_object)


def _read_json_document(text: str, *, origin: str, received_at: datetime) -> Iterator[ReadItem]:
    """A JSON file: one object, a list of objects, or JSON lines."""
    try:
        document = load_json(text)
    except JsonTooDeepError:  # which line is too deep, the lines say
        yield from read_json_lines(text.splitlines(), origin=origin, received_at=received_at)
        return
    except json.JSONDecodeError:
        yield from read_json_lines(text.splitlines(), origin=origin, received_at=received_at)
        return
    json_objects = document if isinstance(document, list) else [document]
    for index, json_object in enumerate(json_objects):
        yield _read_json_object(json_object, f"{origin}#{index}", received_at)


def read_article_input(
    location: str, *, received_at: datetime, catalog: SourceCatalog, note: Callable[[str], None] | None = None
) -> list[ReadItem]:
    """Every article in a file (or at a URL), read by its kind; ``InputUnreadableError`` when it cannot be read.

    ``note`` is told when a JSON file is read past what ingest would take in one file or request.
    """
    try:
        source = read_input(location, allow_loopback=False)
    except FetchFailedError as error:
        raise InputUnreadableError(str(error)) from None
    try:
        kind = input_kind(source.data, source.name)
    except UnsupportedInputError as error:
        return [RefusedInput(source.origin, error.reason, _snippet(source.data))]
    if kind == "json":
        try:
            text = json_text(source.data)  # UTF-8, as ingest reads JSON: never read with replacements
        except PushedBodyError as error:
            return [RefusedInput(source.origin, str(error), _snippet(source.data))]
        items = list(_read_json_document(text, origin=source.origin, received_at=received_at))
        if note is not None and (len(items) > limits.MAX_JSON_ARTICLES or len(source.data) > limits.MAX_JSON_BYTES):
            note(
                f"{source.origin}: {len(items)} articles in {len(source.data):,} bytes, read as a data set; "
                f"ingest and parse take at most {limits.MAX_JSON_ARTICLES} articles and "
                f"{limits.MAX_JSON_BYTES:,} bytes in one file or request"
            )
        return items
    if kind == "feed":
        return _read_feed(source.data, source.origin, received_at)
    parse = parse_html_article if kind == "html" else parse_raw_article
    try:
        article = parse(source.data, received_at=received_at, origin=source.origin, catalog=catalog)
    except ParseError as error:
        return [RefusedInput(source.origin, error.reason, _snippet(source.data))]
    return [InputArticle(article.id, article, source.origin)]


def _read_feed(data: bytes, origin: str, received_at: datetime) -> list[ReadItem]:
    try:
        result = parse_feed(data, feed_url=origin, received_at=received_at)
    except ParseError as error:
        return [RefusedInput(origin, error.reason, _snippet(data))]
    items: list[ReadItem] = [InputArticle(article.id, article, origin) for article in result.articles]
    items.extend(RefusedInput(item.origin, item.reason, _snippet(item.raw)) for item in result.rejected)
    return items


def read_articles(
    locations: list[str],
    *,
    stdin: Iterable[str],
    sources: Path | None,
    received_at: datetime,
    note: Callable[[str], None] | None = None,
) -> Iterator[ReadItem]:
    """Articles from each file or URL in order or, with none, from JSON lines on ``stdin`` as they come.

    ``InputUnreadableError`` when a file cannot be read or the sources file does not load;
    ``note``: as for ``read_article_input``.
    """
    if not locations:
        yield from read_json_lines(stdin, origin="stdin", received_at=received_at)
        return
    try:
        catalog = load_source_catalog(sources)
    except SourceConfigError as error:
        raise InputUnreadableError(str(error)) from None
    for location in locations:
        yield from read_article_input(location, received_at=received_at, catalog=catalog, note=note)


# ---------------------------------------------------------------------------
# Stored articles: as the pipeline keeps them, times and ids included
# ---------------------------------------------------------------------------

PROBLEMS_SHOWN = 3
"""Problems named when a line is not a stored article: a line of something else entirely has a dozen."""


def _stored_article(text: str, where: str) -> ReadItem:
    try:
        article = Article.model_validate_json(text)
    except ValidationError as error:
        problems = validation_reason(error).split("; ")
        more = len(problems) - PROBLEMS_SHOWN
        reason = "; ".join(problems[:PROBLEMS_SHOWN]) + (f" (and {more} more)" if more > 0 else "")
        return RefusedInput(where, f"not a stored article: {reason}", _snippet(text))
    return InputArticle(article.id, article, where)


def read_stored_articles(lines: Iterable[str], *, origin: str) -> Iterator[ReadItem]:
    """Articles from JSON lines of the ``Article`` model, exactly as stored (times, id and flags kept)."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield _stored_article(line, f"{origin}:{number}")


def read_archived_articles(archive: ArticleArchive) -> Iterator[ReadItem]:
    """Every article in a stack's archive, as classify read it; each once (a batch that came back is kept twice)."""
    seen: set[str] = set()
    for where, stored in archive.articles():
        item = _stored_article(stored, where)
        if isinstance(item, InputArticle):
            if item.article.id in seen:
                continue
            seen.add(item.article.id)
        yield item
