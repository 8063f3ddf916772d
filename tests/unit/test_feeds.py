"""Feed documents of every format become articles; unusable items are rejected with a reason, attacks refused."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsalert.ingest.errors import FeedParseError
from newsalert.ingest.formats.feed_decoding import is_feed_document
from newsalert.ingest.formats.feed_document import (
    MAX_BODY_LENGTH,
    MAX_FEED_BYTES,
    MAX_TITLE_LENGTH,
    FeedParseResult,
    parse_feed,
)
from newsalert.ingest.sources import SourceProfile, load_source_catalog

SAMPLES = Path(__file__).parents[2] / "events" / "samples"
RECEIVED = datetime(2024, 7, 4, 9, 10, tzinfo=UTC)
FEED_URL = "https://news.example.com/rss/top.xml"


def parse(
    data: bytes, *, source: SourceProfile | None = None, max_items: int = 500, max_bytes: int = MAX_FEED_BYTES
) -> FeedParseResult:
    return parse_feed(
        data,
        feed_url=FEED_URL,
        received_at=RECEIVED,
        source=source,
        outlet=source.name if source else None,
        max_items=max_items,
        max_bytes=max_bytes,
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


def test_a_profile_for_reading_rules_alone_leaves_the_name_to_the_feed_title() -> None:
    # A feed registered with a zone but no name: the zone applies, the feed's title names its articles.
    result = parse_feed(
        rss("<item><title>T</title><link>https://e.example/a</link></item>", channel="<title>Valley Post</title>"),
        feed_url="https://feeds.valley.example/top.xml",
        received_at=RECEIVED,
        source=SourceProfile(name="unknown", timezone="Asia/Dhaka"),
    )

    assert result.articles[0].source == "Valley Post"
    assert result.articles[0].source_timezone == "Asia/Dhaka"


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
    assert [item.reason for item in result.rejected] == ["2 items over the cap of 3 were not read"]


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
    with pytest.raises(FeedParseError, match=r"the feed is [0-9,]+ bytes, over the limit of 10 bytes: not read"):
        parse(rss(""), max_bytes=10)


def test_a_path_given_as_content_is_never_opened() -> None:
    # Given bytes that name a file, feedparser would read that file if handed the bytes directly.
    with pytest.raises(FeedParseError):
        parse(str(SAMPLES / "feed-rss.xml").encode())


# ======================================================================
# Every format, told by content
# ======================================================================

FIXTURES = Path(__file__).parents[1] / "fixtures" / "feeds"
DHAKA = SourceProfile(name="Dhaka Evening Wire", timezone="Asia/Dhaka")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_fixture(name: str, *, source: SourceProfile | None = None, feed_url: str = FEED_URL) -> FeedParseResult:
    return parse_feed(
        fixture(name), feed_url=feed_url, received_at=RECEIVED, source=source, outlet=source.name if source else None
    )


@pytest.mark.parametrize(
    ("name", "feed_format", "title", "published", "language"),
    [
        (
            "rss-0.91.xml",
            "RSS 0.91",
            "Ferry service to the islands resumes after storm repairs",
            RECEIVED,
            "en-gb",
        ),
        ("rss-0.92.xml", "RSS 0.92", "Road over the pass reopens to lorries", RECEIVED, "en"),
        (
            "rss-1.0-rdf.xml",
            "RSS 1.0",
            "Raumsonde erreicht die Umlaufbahn des Mars",
            datetime(2024, 7, 4, 6, 15, tzinfo=UTC),
            "de",
        ),
        (
            "rss-2.0.xml",
            "RSS 2.0",
            "City council approves night bus network",
            # 07:45 -04:00 is 11:45 UTC, after arrival at 09:10: clamped (checked below with a later arrival).
            RECEIVED,
            "en-us",
        ),
        (
            "atom-0.3.xml",
            "Atom 0.3",
            "Le festival de jazz affiche complet pour sa première soirée",
            datetime(2024, 7, 4, 8, 30, tzinfo=UTC),
            "fr",
        ),
        (
            "atom-1.0.xml",
            "Atom 1.0",
            "Sea wall upgrade wins national funding",
            datetime(2024, 7, 4, 5, 30, tzinfo=UTC),
            "en",
        ),
        (
            "jsonfeed-1.0.json",
            "JSON Feed 1.0",
            "Library extends summer opening hours",
            datetime(2024, 7, 3, 21, 0, tzinfo=UTC),
            "en",
        ),
        (
            "jsonfeed-1.1.json",
            "JSON Feed 1.1",
            "Strong aurora expected over the north tonight",
            datetime(2024, 7, 4, 7, 10, tzinfo=UTC),
            "en",
        ),
    ],
)
def test_every_format_gives_its_articles(
    name: str, feed_format: str, title: str, published: datetime, language: str
) -> None:
    result = parse_fixture(name)

    assert result.feed_format == feed_format
    first = result.articles[0]
    assert (first.title, first.published, first.language) == (title, published, language)
    assert first.body
    assert result.rejected == []


def test_the_format_is_told_by_content_not_by_the_name_it_came_under() -> None:
    as_xml = parse_feed(fixture("jsonfeed-1.1.json"), feed_url="https://e.example/feed.xml", received_at=RECEIVED)
    as_json = parse_feed(fixture("atom-1.0.xml"), feed_url="https://e.example/feed.json", received_at=RECEIVED)

    assert as_xml.feed_format == "JSON Feed 1.1"
    assert as_json.feed_format == "Atom 1.0"


@pytest.mark.parametrize(
    "name", ["rss-0.91.xml", "rss-1.0-rdf.xml", "atom-0.3.xml", "jsonfeed-1.0.json", "encoding-utf16-bom.xml"]
)
def test_feed_documents_are_recognised_by_content(name: str) -> None:
    assert is_feed_document(fixture(name)) is True


@pytest.mark.parametrize(
    "document",
    [
        b'{"title": "A pushed article", "source": "Wire"}',
        b"<!doctype html><html><body><p>A page</p></body></html>",
        b"Dhaka, 4 July\nA raw text article",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_other_documents_are_not_taken_for_feeds(document: bytes) -> None:
    assert is_feed_document(document) is False


def test_rss_2_reads_content_encoded_as_body_and_strips_tracking_from_links() -> None:
    article = parse_feed(
        fixture("rss-2.0.xml"), feed_url=FEED_URL, received_at=datetime(2024, 7, 4, 12, tzinfo=UTC)
    ).articles[0]

    assert article.published == datetime(2024, 7, 4, 11, 45, tzinfo=UTC)
    assert article.url == "https://metro.example.com/2024/07/04/night-buses"
    assert article.summary == "Six routes will run every 20 minutes from midnight."
    assert article.body == (
        "Six routes will run every 20 minutes from midnight, starting in September.\n\nThe vote was 11 to 2."
    )


def test_atom_html_feed_title_and_xhtml_content_become_text() -> None:
    result = parse_fixture("atom-1.0.xml")

    assert result.feed_title == "Coastal Observer"
    assert result.articles[0].body == (
        "The town will receive 12 million to raise the wall by a metre.\n\nWork starts in spring."
    )


def test_json_feed_resolves_relative_urls_and_reads_numeric_ids() -> None:
    result = parse_fixture("jsonfeed-1.1.json", feed_url="https://lights.example.org/feed.json")

    second = result.articles[1]
    assert second.url == "https://lights.example.org/2024/07/04/observatory-open-night"
    assert second.body == "Visitors can look through the main telescope from nine until midnight."
    assert result.articles[0].summary == "Forecasters say a solar storm could make the lights visible far south."


def test_json_feed_items_that_break_the_specification_are_rejected_one_by_one() -> None:
    result = parse_fixture("jsonfeed-strict.json")

    assert [article.title for article in result.articles] == ["The one good item"]
    assert [(item.origin, item.reason) for item in result.rejected] == [
        (f"{FEED_URL}#item-1", "item is a string, not an object"),
        (
            f"{FEED_URL}#item-2",
            "item has neither 'content_html' nor 'content_text' (the JSON Feed specification requires one)",
        ),
        (f"{FEED_URL}#item-3", "item has no 'id' (the JSON Feed specification requires one)"),
        (f"{FEED_URL}#item-4", "item field 'title' must be a string, not a list"),
        (f"{FEED_URL}#item-5", "item has no title"),
    ]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (
            b'[{"version": "https://jsonfeed.org/version/1.1"}]',
            "not a JSON Feed: the document is a list, not an object",
        ),
        (b'{"version": "2", "items": []}', "not a JSON Feed: 'version' must be one of"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}', "not a JSON Feed: 'items' must be a list"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": 7, "items": []}', "not a valid JSON Feed: 'title'"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "not a readable JSON Feed"),
        (b"[" * 100_000, "not a"),
    ],
    ids=["array", "version", "items", "title-type", "truncated", "deeply-nested"],
)
def test_json_documents_that_are_not_json_feeds_are_refused(document: bytes, reason: str) -> None:
    with pytest.raises(FeedParseError) as raised:
        parse(document)

    assert raised.value.reason.startswith(reason)


# ======================================================================
# Odd but common input
# ======================================================================


def test_cdata_keeps_bare_ampersands_and_angle_brackets_and_drops_scripts() -> None:
    result = parse_fixture("cdata.xml")

    article = result.articles[0]
    assert result.feed_title == "Riverside Chronicle & Post"
    assert article.title == "Flood barrier holds as river peaks at 5.2 m & rain < forecast"
    assert article.body == (
        "The barrier built after the 2019 floods held overnight.\n\n"
        "Residents were told they could return home & check their cellars."
    )


def test_html_entities_and_double_escaping_in_titles_and_descriptions_come_out_as_text() -> None:
    articles = parse_fixture("html-in-titles.xml").articles

    assert [article.title for article in articles] == [
        "Rates cut to 4% \u2014 first time since 2020",
        "Merger of Smith & Sons and Jones & Co approved",
        "Breaking: harbour bridge closed",
        "Caf\u00e9 owners \u201crelieved\u201d as tax plan dropped",
    ]
    assert articles[0].body == "The bank cut rates by a quarter point.\n\nMarkets rose +2%."
    assert articles[1].body == "Regulators approved the deal between Smith & Sons and Jones."
    assert articles[2].body == "Wind gusts reached 110 km/h."


def test_media_rss_is_read_without_captions_passing_for_the_story() -> None:
    articles = parse_fixture("media-rss.xml").articles

    assert [(article.title, article.body) for article in articles] == [
        (
            "Tall ships sail into the harbour for the regatta",
            "Forty ships from twelve countries arrived on the morning tide.",
        ),
        (
            "Drone footage shows the scale of the beach clean-up",
            "Volunteers collected two tonnes of plastic in one weekend.",
        ),
    ]


def test_without_guids_items_are_identified_by_link_then_by_content() -> None:
    linked, no_link, same_text, opaque_guid = parse_fixture("missing-guids.xml").articles
    republished = parse(
        rss(
            "<item><title>Market hall reopens after restoration</title>"
            "<link>https://noguid.example.com/market-hall</link><description>Updated text.</description></item>"
        )
    ).articles[0]

    assert republished.id == linked.id  # same link, other text: the same article
    assert no_link.url is None
    assert same_text.id == no_link.id  # no link: the same text is the same article
    assert opaque_guid.url is None  # an opaque <guid> is not taken for a (relative) link
    assert "url-invalid" not in opaque_guid.flags
    assert len({linked.id, no_link.id, opaque_guid.id}) == 3


def test_missing_and_unparseable_dates_become_the_arrival_time_with_a_flag() -> None:
    articles = parse_fixture("dates-missing-and-unparseable.xml").articles

    assert len(articles) == 4
    for article in articles:
        assert article.published == RECEIVED
        assert article.flags == ("published-missing",)


def test_dates_without_an_offset_are_read_in_the_sources_time_zone() -> None:
    articles = parse_fixture("dates-local-time.xml", source=DHAKA).articles

    # 13:29 in Dhaka (UTC+6) is 07:29 UTC, whether the offset is missing, "-0000" or written.
    assert [article.published for article in articles] == [datetime(2024, 7, 4, 7, 29, tzinfo=UTC)] * 4
    assert all(article.flags == () for article in articles)


def test_dates_without_an_offset_and_without_a_source_are_read_as_utc() -> None:
    articles = parse_fixture("dates-local-time.xml").articles

    # 13:29 UTC is after arrival (09:10 UTC): such times are clamped and flagged.
    assert [article.flags for article in articles] == [
        ("published-in-future",),
        ("published-in-future",),
        (),
        ("published-in-future",),
    ]


@pytest.mark.parametrize(
    "written",
    [
        "Thu, 04 Jul 2024 07:29:00 GMT",
        "Thu, 04 Jul 2024 03:29:00 EDT",
        "Thursday, 04 July 2024 09:29:00 CEST",
        "4 Jul 24 07:29 +0000",
        "Thu, 04 Jul 2024 13:29:00 XYZ",  # a zone nobody knows: the source's
        "2024-07-04T07:29:00.000Z",
        "2024-07-04T13:29:00",
        "July 4, 2024 13:29",
    ],
)
def test_the_ways_feeds_write_dates_are_read(written: str) -> None:
    item = f"<item><title>T</title><link>https://e.example/a</link><pubDate>{written}</pubDate></item>"

    article = parse(rss(item), source=DHAKA).articles[0]

    assert (article.published, article.flags) == (datetime(2024, 7, 4, 7, 29, tzinfo=UTC), ())


def test_future_dates_are_clamped_and_flagged_but_clock_skew_is_tolerated() -> None:
    tomorrow, skewed, far_future = parse_fixture("dates-future.xml").articles

    assert (tomorrow.published, tomorrow.flags) == (RECEIVED, ("published-in-future",))
    assert (skewed.published, skewed.flags) == (datetime(2024, 7, 4, 9, 12, tzinfo=UTC), ())
    assert (far_future.published, far_future.flags) == (RECEIVED, ("published-in-future", "published-implausible"))


CAFE_TITLE = "Caf\u00e9 owners in Z\u00fcrich say \u201cthe season is saved\u201d"
CAFE_BODY = "Bookings rose 12% \u2013 the best June since 2019."


@pytest.mark.parametrize(
    ("name", "encoding", "flags"),
    [
        ("encoding-declares-utf8-is-cp1252.xml", "cp1252", ("decoded-as-cp1252",)),
        ("encoding-declares-latin1-is-utf8.xml", "utf-8", ()),
        ("encoding-undeclared-cp1252.xml", "cp1252", ("decoded-as-cp1252",)),
        ("encoding-utf16-bom.xml", "utf-16-le", ()),
        ("encoding-utf8-bom.xml", "utf-8", ()),
    ],
)
def test_wrong_or_missing_encoding_declarations_and_byte_order_marks_are_read_right(
    name: str, encoding: str, flags: tuple[str, ...]
) -> None:
    result = parse_fixture(name)

    article = result.articles[0]
    assert result.encoding == encoding
    assert (article.title, article.body) == (CAFE_TITLE, CAFE_BODY)
    assert article.flags == (*flags, "published-missing")


def test_a_true_declaration_of_another_encoding_is_followed() -> None:
    result = parse_fixture("encoding-declared-windows-1251.xml")

    article = result.articles[0]
    assert result.encoding == "cp1251"
    assert article.title == "Москва: метро продлевает часы работы"
    assert article.language == "ru"  # the feed declares none: detected
    assert article.flags == ("published-missing",)


def test_utf16_without_a_byte_order_mark_is_recognised() -> None:
    document = rss("<item><title>Wide text</title><link>https://e.example/a</link></item>")

    assert parse(document.decode().encode("utf-16-be")).articles[0].title == "Wide text"
    assert parse(document.decode().encode("utf-32-le")).articles[0].title == "Wide text"


def test_control_characters_are_removed_and_the_items_come_through() -> None:
    article = parse_fixture("control-characters.xml").articles[0]

    assert article.title == "Bus timetable changes from Monday"
    assert article.body == "New times are posted at every stop. Night buses are not affected."


def test_white_space_before_the_xml_declaration_is_tolerated() -> None:
    assert parse_fixture("whitespace-before-declaration.xml").articles[0].title == "Bakery wins regional bread prize"


def test_relative_links_are_resolved_against_the_feed_url_and_xml_base() -> None:
    articles = parse_fixture("relative-links.xml", feed_url="https://news.example.com/feeds/main/atom.xml").articles

    assert [article.url for article in articles] == [
        "https://news.example.com/news/2024/07/04/root-relative",
        "https://news.example.com/feeds/main/stories/path-relative",
        "https://cdn.example.net/mirror/based",
    ]


def test_a_feed_that_is_a_file_cannot_resolve_relative_links_and_says_so() -> None:
    article = parse_feed(
        rss("<item><title>T</title><link>/world/1</link><description>Text.</description></item>"),
        feed_url="inbox/feed.xml",
        received_at=RECEIVED,
    ).articles[0]

    assert (article.url, article.flags) == (None, ("url-invalid", "published-missing"))


# ======================================================================
# Normalisation: boilerplate, language
# ======================================================================

PRESS_SHOP = SourceProfile(
    name="Press Shop",
    boilerplate=(r"^Advertisement$",),  # patterns as text: the model compiles them
    end_markers=(r"^The post .* appeared first on",),
    credit_prefixes=(r"^Staff Reporter, Press Shop:\s*",),
)


def test_the_sources_boilerplate_is_dropped_from_feed_summaries() -> None:
    article = parse_fixture("boilerplate.xml", source=PRESS_SHOP).articles[0]

    assert article.summary == "Dock workers accepted a 6 per cent rise."
    assert article.body == (
        "Dock workers accepted a 6 per cent rise.\n\nShips queued off the coast will start unloading on Friday."
    )


def test_without_a_source_nothing_is_taken_for_boilerplate() -> None:
    article = parse_fixture("boilerplate.xml").articles[0]

    assert article.body.count("\n\n") == 3


def test_the_language_is_detected_when_nothing_declares_it() -> None:
    articles = parse_fixture("languages.xml").articles

    assert [article.language for article in articles] == ["fr", "bn", "de"]


def test_a_declared_language_wins_over_detection() -> None:
    german_text = (
        "<item><title>Die Regierung erh\u00f6ht den Mindestlohn</title><link>https://e.example/a</link>"
        "<description>Die Erh\u00f6hung gilt ab dem ersten September f\u00fcr alle.</description></item>"
    )

    declared_by_feed = parse(rss(german_text, channel="<title>W</title><language>pt-BR</language>"))
    declared_by_source = parse(rss(german_text), source=SourceProfile(name="Wire", language="nl"))
    default_profile = parse(rss(german_text), source=SourceProfile(name="Wire"))

    assert declared_by_feed.articles[0].language == "pt-BR"
    assert declared_by_source.articles[0].language == "nl"
    assert default_profile.articles[0].language == "de"  # the model's default "en" was never said


def test_an_undecidable_language_is_und() -> None:
    article = parse(rss("<item><title>Xi Jinping</title><link>https://e.example/a</link></item>")).articles[0]

    assert article.language == "und"


# ======================================================================
# Caps
# ======================================================================


def test_overlong_titles_and_bodies_are_cut_at_a_word_and_flagged() -> None:
    title = "Word " * 200
    body = "<p>" + "sentence " * 20_000 + "</p>"
    item = f"<item><title>{title}</title><link>https://e.example/a</link><description>{body}</description></item>"

    article = parse(rss(item)).articles[0]

    assert len(article.title) <= MAX_TITLE_LENGTH
    assert article.title.endswith("\u2026")
    assert len(article.body) <= MAX_BODY_LENGTH
    assert article.body.endswith("sentence\u2026")
    assert article.flags == ("text-truncated", "published-missing")  # once, however many parts were cut


def test_items_over_the_cap_are_counted_in_one_rejection() -> None:
    items = "".join(f"<item><title>T{n}</title><link>https://e.example/{n}</link></item>" for n in range(12))

    result = parse(rss(items), max_items=10)

    assert len(result.articles) == 10
    assert [(item.origin, item.reason) for item in result.rejected] == [
        (FEED_URL, "2 items over the cap of 10 were not read")
    ]


def test_an_oversized_document_is_refused_with_its_size() -> None:
    with pytest.raises(FeedParseError) as raised:
        parse(fixture("rss-2.0.xml"), max_bytes=500)

    size = len(fixture("rss-2.0.xml"))
    assert raised.value.reason == f"the feed is {size:,} bytes, over the limit of 500 bytes: not read"


# ======================================================================
# Hostile input
# ======================================================================


@pytest.mark.parametrize(
    ("name", "declared"),
    [
        ("attack-billion-laughs-one-line.xml", "the entity 'lol0'"),
        ("attack-billion-laughs-many-lines.xml", "the entity 'lol0'"),
        ("attack-parameter-entities.xml", "the parameter entity 'pe'"),
        ("attack-external-entity.xml", "the external entity 'xxe' (SYSTEM: it would read a file or URL)"),
        ("attack-odd-whitespace-and-case.xml", "the entity 'lol'"),
        ("attack-utf16-dtd.xml", "the entity 'lol0'"),
    ],
)
def test_entity_expansion_attacks_are_refused_quickly_whatever_the_dtd_layout(name: str, declared: str) -> None:
    document = fixture(name)
    started = time.perf_counter()

    with pytest.raises(FeedParseError) as raised:
        parse(document)

    assert time.perf_counter() - started < 0.5
    assert raised.value.reason == f"XML entity declarations are refused: the document's DOCTYPE declares {declared}"


def test_the_refusal_reads_the_decoded_text_not_the_bytes() -> None:
    document = fixture("attack-utf16-dtd.xml")
    assert b"<!ENTITY" not in document
    assert b"<!DOCTYPE" not in document

    with pytest.raises(FeedParseError, match="XML entity declarations are refused"):
        parse(document)


def test_a_dtd_in_utf32_without_byte_order_mark_is_refused() -> None:
    with pytest.raises(FeedParseError, match="XML entity declarations are refused"):
        parse(ENTITY_ACROSS_LINES.decode().encode("utf-32-be"))


def test_an_article_that_quotes_an_entity_declaration_is_not_an_attack() -> None:
    item = (
        "<item><title>How XML bombs work</title><link>https://e.example/xml</link>"
        '<description><![CDATA[<p>An attacker writes <!ENTITY lol "lol"> in a DTD.</p>]]></description></item>'
    )

    assert parse(rss(item)).articles[0].title == "How XML bombs work"


def test_a_huge_document_of_control_characters_is_handled_in_linear_time() -> None:
    document = rss("<item><title>T</title><link>https://e.example/a</link></item>").replace(
        b"<item>", b"\x01" * 2_000_000 + b"<item>"
    )
    started = time.perf_counter()

    assert parse(document).articles[0].title == "T"
    assert time.perf_counter() - started < 2.0
