"""RSS and Atom documents become articles; unusable items are rejected with a reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsalert.errors import FeedParseError
from newsalert.feeds import MAX_FEED_BYTES, FeedParseResult, parse_feed
from newsalert.sources import SourceProfile, load_source_catalog

SAMPLES = Path(__file__).parents[2] / "events" / "samples"
RECEIVED = datetime(2024, 7, 4, 9, 10, tzinfo=UTC)
FEED_URL = "https://news.example.com/rss/top.xml"


def parse(
    data: bytes, *, source: SourceProfile | None = None, max_items: int = 500, max_bytes: int = MAX_FEED_BYTES
) -> FeedParseResult:
    return parse_feed(
        data, feed_url=FEED_URL, received_at=RECEIVED, source=source, max_items=max_items, max_bytes=max_bytes
    )


def rss(items: str, channel: str = "<title>Wire</title>") -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


# ------------------------------------------------------------------------ samples


def test_rss_sample_gives_every_item_with_clean_text_and_utc_times() -> None:
    result = parse((SAMPLES / "feed-rss.xml").read_bytes())

    assert result.rejected == []
    assert result.feed_title == "Example News Wire \u2014 Top Stories"
    titles = [article.title for article in result.articles]
    assert titles[:3] == [
        "Bangladesh beat Sri Lanka by six wickets to win Tri-Nation Cup final",
        "Central bank holds policy rate at 8.5% as inflation eases",
        "Kazakh drama opens Dhaka film week",
    ]
    sport = result.articles[0]
    assert sport.published == datetime(2024, 7, 4, 8, 52, tzinfo=UTC)
    assert sport.source == "Example News Wire \u2014 Top Stories"
    assert sport.language == "en"
    assert sport.body == (
        "Bangladesh won the Tri-Nation Cup in Colombo on Thursday, chasing down 247 with six wickets and 11 balls"
        " to spare in the final against hosts Sri Lanka.\n\nOpener Tanvir Hasan made an unbeaten 104."
    )
    assert "<p>" not in sport.summary
    assert result.articles[1].body.endswith("Analysts had expected a hold & a cautious tone.")
    assert "Vladimir Putin\u2019s visit" in result.articles[2].body


def test_rss_duplicate_with_tracking_parameters_gets_the_same_id() -> None:
    articles = parse((SAMPLES / "feed-rss.xml").read_bytes()).articles

    sport, duplicate = articles[0], articles[3]
    assert duplicate.url == sport.url == "https://news.example.com/sport/cricket/2024/07/04/tri-nation-cup-final"
    assert duplicate.id == sport.id


def test_rss_content_encoded_is_the_body_and_description_the_summary() -> None:
    floods = parse((SAMPLES / "feed-rss.xml").read_bytes()).articles[4]

    assert floods.summary.startswith("Heavy overnight rain")
    assert floods.body.endswith("forecast more showers through the weekend.")
    assert floods.body.count("\n\n") == 1


def test_atom_sample_reads_html_titles_content_and_offsets() -> None:
    result = parse((SAMPLES / "feed-atom.xml").read_bytes())

    nato, un, heat = result.articles
    assert nato.title == "NATO allies agree to open Ukraine support command in Germany"
    assert nato.published == datetime(2024, 7, 4, 8, 40, tzinfo=UTC)  # published, not updated
    assert un.title == "UN Security Council calls emergency session on Red Sea shipping attacks"
    assert un.published == datetime(2024, 7, 4, 5, 5, tzinfo=UTC)  # +02:00 converted
    assert un.body.startswith("The Security Council will meet on Friday")
    assert heat.published == datetime(2024, 7, 4, 6, 20, tzinfo=UTC)  # only <updated>
    assert nato.source == "Example World Desk"
    assert result.rejected == []


def test_source_profile_name_and_language_win_over_the_feed_title() -> None:
    profile = load_source_catalog().get("Deutsche Welle")
    assert profile is not None

    result = parse(rss("<item><title>T</title><link>https://dw.com/a</link></item>"), source=profile)

    assert result.articles[0].source == "Deutsche Welle"


def test_feed_without_a_title_is_named_after_its_host() -> None:
    result = parse_feed(
        rss("<item><title>T</title><link>https://e.example/a</link></item>", channel=""),
        feed_url="https://www.feeds.example.org/x.xml",
        received_at=RECEIVED,
    )

    assert result.articles[0].source == "feeds.example.org"


# ------------------------------------------------------------------------- dates


def test_missing_date_uses_arrival_time_and_flags_it() -> None:
    article = parse(rss("<item><title>T</title><link>https://e.example/a</link></item>")).articles[0]

    assert article.published == RECEIVED
    assert article.flags == ("published-missing",)


def test_future_date_is_clamped_and_flagged() -> None:
    item = (
        "<item><title>T</title><link>https://e.example/a</link><pubDate>Fri, 05 Jul 2024 09:00:00 GMT</pubDate></item>"
    )

    article = parse(rss(item)).articles[0]

    assert article.published == RECEIVED
    assert article.flags == ("published-in-future",)


# ------------------------------------------------------------------------ items


def test_unusable_items_are_rejected_with_reasons_not_dropped() -> None:
    items = (
        "<item><link>https://e.example/untitled</link><description>Text</description></item>"
        "<item><title>Nothing else</title></item>"
        "<item><title>Script link</title><link>javascript:alert(1)</link></item>"
        "<item><title>Kept</title><link>https://e.example/kept</link></item>"
    )

    result = parse(rss(items))

    assert [article.title for article in result.articles] == ["Kept"]
    assert [(item.origin, item.reason) for item in result.rejected] == [
        (f"{FEED_URL}#item-1", "item has no title"),
        (f"{FEED_URL}#item-2", "item has neither a link nor any content"),
        (
            f"{FEED_URL}#item-3",
            "item has no usable link (only http and https article URLs are accepted, "
            "got 'javascript:alert(1)') and no content",
        ),
    ]
    assert result.rejected[0].raw == "https://e.example/untitled | Text"


def test_item_with_content_but_no_link_is_kept_without_url() -> None:
    article = parse(rss("<item><title>T</title><description>Only text.</description></item>")).articles[0]

    assert article.url is None
    assert article.body == "Only text."


def test_relative_link_is_resolved_against_the_feed_url() -> None:
    article = parse(rss("<item><title>T</title><link>/world/1</link></item>")).articles[0]

    assert article.url == "https://news.example.com/world/1"


def test_permalink_guid_serves_as_link() -> None:
    item = '<item><title>T</title><guid isPermaLink="true">https://e.example/guid</guid></item>'

    assert parse(rss(item)).articles[0].url == "https://e.example/guid"


def test_markup_and_scripts_in_items_are_reduced_to_text() -> None:
    item = (
        "<item><title>Rates &lt;b&gt;cut&lt;/b&gt;</title><link>https://e.example/a</link>"
        "<description>&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;Cut by &amp;#36;5&lt;/p&gt;</description></item>"
    )

    article = parse(rss(item)).articles[0]

    assert article.title == "Rates cut"
    assert article.body == "Cut by $5"


def test_items_past_the_limit_are_reported_once() -> None:
    items = "".join(f"<item><title>T{n}</title><link>https://e.example/{n}</link></item>" for n in range(5))

    result = parse(rss(items), max_items=3)

    assert len(result.articles) == 3
    assert [item.reason for item in result.rejected] == ["feed has 5 items; only the first 3 were read"]


# ---------------------------------------------------------------------- refusals

ENTITY_ON_ONE_LINE = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">]><rss version="2.0"/>'
ENTITY_ACROSS_LINES = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;">
]>
<rss version="2.0"><channel><title>&lol2;</title></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!doctype rss
  [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  ]>
<rss version="2.0"><channel><title>&xxe;</title></channel></rss>"""


@pytest.mark.parametrize(
    "document",
    [
        ENTITY_ON_ONE_LINE,
        ENTITY_ACROSS_LINES,
        EXTERNAL_ENTITY,
        ENTITY_ACROSS_LINES.decode().replace('"1.0"?>', '"1.0" encoding="utf-16"?>').encode("utf-16"),
    ],
    ids=["one-line", "across-lines", "external", "utf-16"],
)
def test_documents_declaring_entities_are_refused(document: bytes) -> None:
    with pytest.raises(FeedParseError, match="XML entity declarations are refused"):
        parse(document)


def test_doctype_without_entities_is_accepted() -> None:
    document = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Old</title>'
        b"<item><title>T</title><link>https://e.example/a</link></item></channel></rss>"
    )

    assert len(parse(document).articles) == 1


def test_malformed_feed_that_still_has_items_is_accepted() -> None:
    broken = rss("<item><title>Tom & Jerry</title><link>https://e.example/a</link></item><item><title>Unclosed")

    result = parse(broken)

    assert result.articles[0].title == "Tom & Jerry"


def test_empty_but_valid_feed_gives_nothing() -> None:
    result = parse(rss(""))

    assert result.articles == []
    assert result.rejected == []


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"", "feed is empty"),
        (b"  \n", "feed is empty"),
        (b"garbage <<< not xml", "not a readable RSS or Atom feed"),
        (b"<html><body><p>A web page</p></body></html>", "not an RSS or Atom feed"),
    ],
)
def test_documents_that_are_not_feeds_are_refused(document: bytes, reason: str) -> None:
    with pytest.raises(FeedParseError) as raised:
        parse(document)

    assert raised.value.reason.startswith(reason)


def test_oversized_feed_is_refused() -> None:
    with pytest.raises(FeedParseError, match=r"feed exceeds 10 bytes"):
        parse(rss(""), max_bytes=10)


def test_a_path_given_as_content_is_never_opened() -> None:
    # Given bytes that name a file, feedparser would read that file if handed the bytes directly.
    with pytest.raises(FeedParseError):
        parse(str(SAMPLES / "feed-rss.xml").encode())
