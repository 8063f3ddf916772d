"""Whatever bytes arrive, the parsers either refuse them with a reason or give sound articles.

Hypothesis feeds the feed parser and the raw article parser arbitrary bytes, valid
documents with bytes inserted, deleted or replaced, and feeds whose fields hold
arbitrary text. The only exception allowed out is the parser's own (``FeedParseError``,
``ArticleParseError``), and every article let through has a title and a time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newsalert.ingest.errors import ArticleParseError, FeedParseError
from newsalert.ingest.formats.feed_document import FeedParseResult, parse_feed
from newsalert.ingest.formats.raw_text import parse_raw_article
from newsalert.ingest.sources import SourceProfile, load_source_catalog
from newsalert.models import Article

FIXTURES = Path(__file__).parents[1] / "fixtures" / "feeds"
SAMPLES = Path(__file__).parents[2] / "events" / "samples"
RECEIVED = datetime(2024, 7, 4, 9, 10, tzinfo=UTC)
DHAKA = SourceProfile(name="Dhaka Wire", timezone="Asia/Dhaka", boilerplate=(r"^Read more$",))
CATALOG = load_source_catalog()

VALID_FEEDS = sorted(
    path.read_bytes()
    for path in [*FIXTURES.iterdir(), *SAMPLES.glob("feed-*.xml")]
    if path.suffix in (".xml", ".json") and not path.name.startswith("attack-")
)
VALID_ARTICLES = sorted(path.read_bytes() for path in SAMPLES.glob("*.txt"))
# Byte strings that break documents in the ways real feeds are broken.
DAMAGE = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#1;",
    b"&#x110000;",
    b"]]>",
    b"<![CDATA[",
    b"<!DOCTYPE rss>",
    b"<item>",
    b"</item>",
    b"<title>",
    b"</channel>",
    b'"',
    b"\x00",
    b"\x1b",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\x93",
    b"\r\n",
    b"{",
    b"}",
    b'"items": [',
]

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw: st.DrawFn, documents: list[bytes]) -> bytes:
    """One of ``documents`` with a few bytes inserted, deleted or replaced."""
    data = bytearray(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        start = draw(st.integers(min_value=0, max_value=len(data)))
        end = min(len(data), start + draw(st.integers(min_value=0, max_value=16)))
        piece = draw(st.sampled_from(DAMAGE) | st.binary(min_size=1, max_size=8))
        operation = draw(st.sampled_from(("insert", "delete", "replace")))
        if operation == "insert":
            data[start:start] = piece
        elif operation == "delete":
            del data[start:end]
        else:
            data[start:end] = piece
    return bytes(data)


def assert_sound(article: Article) -> None:
    assert article.title.strip()
    assert article.published.tzinfo is not None
    assert article.published.utcoffset() == timedelta(0)
    assert article.published <= article.received_at + timedelta(minutes=5)


def parse_or_refuse(data: bytes, source: SourceProfile | None = None) -> FeedParseResult | None:
    try:
        result = parse_feed(
            data,
            feed_url="https://feeds.example.com/rss.xml",
            received_at=RECEIVED,
            source=source,
            outlet=source.name if source else None,
        )
    except FeedParseError as error:
        refusal: str | None = error.reason
    else:
        refusal = None
    if refusal is not None:
        assert refusal, "a refusal always says why"
        event("refused")
        return None
    event("gave articles" if result.articles else "gave no article")
    for article in result.articles:
        assert_sound(article)
    for item in result.rejected:
        assert item.reason
    return result


@FAST
@given(st.binary(max_size=2_000))
def test_arbitrary_bytes_never_crash_the_feed_parser(data: bytes) -> None:
    parse_or_refuse(data)


@FAST
@given(mutated(VALID_FEEDS))
def test_damaged_feeds_never_crash_the_feed_parser(data: bytes) -> None:
    parse_or_refuse(data, source=DHAKA)


# Text that goes into one field of an otherwise valid feed: any characters, markup,
# entities, dates in any shape.
FIELD_TEXT = st.text(max_size=80) | st.sampled_from(
    ["", " ", "<b>", "&amp;amp;", "]]>", "Thu, 04 Jul 2024 13:29:00", "9999-12-31T23:59:59+14:00", "0001-01-01"]
)


@FAST
@given(title=FIELD_TEXT, description=FIELD_TEXT, date=FIELD_TEXT, link=FIELD_TEXT, cdata=st.booleans())
def test_any_text_in_an_rss_item_gives_a_sound_article_or_a_reason(
    title: str, description: str, date: str, link: str, cdata: bool
) -> None:
    def wrap(text: str) -> str:
        return f"<![CDATA[{text.replace(']]>', '')}]]>" if cdata else escape(text)

    document = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>{wrap(title)}</title><link>{escape(link)}</link>"
        f"<description>{wrap(description)}</description><pubDate>{escape(date)}</pubDate></item>"
        "</channel></rss>"
    ).encode("utf-8", errors="surrogatepass")

    result = parse_or_refuse(document, source=DHAKA)

    if result is not None:
        assert len(result.articles) + len(result.rejected) == 1


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)
OPTIONAL_ITEM_FIELDS = {
    "url": FIELD_TEXT | JSON_VALUES,
    "summary": FIELD_TEXT | JSON_VALUES,
    "content_html": FIELD_TEXT | JSON_VALUES,
    "date_published": FIELD_TEXT | JSON_VALUES,
    "language": FIELD_TEXT | JSON_VALUES,
}
JSON_ITEMS = st.lists(
    # Items shaped as the specification asks, with any text in them...
    st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=8), "title": FIELD_TEXT, "content_text": FIELD_TEXT},
        optional=OPTIONAL_ITEM_FIELDS,
    )
    # ...and anything at all.
    | st.fixed_dictionaries({}, optional={"id": JSON_VALUES, "title": JSON_VALUES, **OPTIONAL_ITEM_FIELDS})
    | JSON_VALUES,
    max_size=4,
)


@FAST
@given(JSON_ITEMS)
def test_any_json_feed_items_give_sound_articles_or_reasons(items: list[object]) -> None:
    import json

    document = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items})

    result = parse_or_refuse(document.encode("utf-8", errors="surrogatepass"))

    assert result is not None
    assert len(result.articles) + len(result.rejected) == len(items)


# ------------------------------------------------------------------ raw article files


def parse_article_or_refuse(data: bytes) -> None:
    try:
        article = parse_raw_article(data, received_at=RECEIVED, origin="inbox/story.txt", catalog=CATALOG)
    except ArticleParseError as error:
        refusal: str | None = error.reason
    else:
        refusal = None
    if refusal is not None:
        assert refusal, "a refusal always says why"
        event("refused")
        return
    event("gave an article")
    assert_sound(article)


@FAST
@given(st.binary(max_size=2_000))
def test_arbitrary_bytes_never_crash_the_raw_article_parser(data: bytes) -> None:
    parse_article_or_refuse(data)


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes_the_raw_article_parser(text: str) -> None:
    parse_article_or_refuse(text.encode("utf-8", errors="surrogatepass"))


@FAST
@given(mutated(VALID_ARTICLES))
def test_damaged_article_files_never_crash_the_raw_article_parser(data: bytes) -> None:
    parse_article_or_refuse(data)
