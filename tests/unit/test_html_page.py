"""HTML article pages become articles, or are refused with a specific reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsalert.ingest.errors import ArticleParseError
from newsalert.ingest.formats.html_page import parse_html_article
from newsalert.ingest.sources import SourceCatalog, load_source_catalog
from newsalert.models import Article

RECEIVED = datetime(2024, 7, 7, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog() -> SourceCatalog:
    return load_source_catalog()


PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Floods cut off Sylhet villages | Example Times</title>
  <meta property="og:site_name" content="Example Times">
  <meta property="og:title" content="Floods cut off Sylhet villages (og)">
  <meta property="article:published_time" content="2024-07-04T13:29:00+06:00">
  <link rel="canonical" href="https://www.example-times.com/news/sylhet-floods?utm_source=rss">
  <script>var ignored = "<p>not text</p>";</script>
</head>
<body>
  <header><h1>Example Times</h1><nav><p>Home</p><p>World</p></nav></header>
  <article>
    <h1>Floods cut off <em>Sylhet</em> villages</h1>
    <time datetime="2024-07-01T00:00:00Z">1 July</time>
    <p>Rivers burst their banks&nbsp;overnight, cutting off 200&#160;villages.</p>
    <p>Rescue boats reached some of them by <b>noon</b>.</p>
    <aside><p>Related: last year's floods</p></aside>
  </article>
  <footer><p>&copy; Example Times</p></footer>
</body>
</html>
"""


def parse_page(markup: str, catalog: SourceCatalog, *, origin: str = "inbox/page.html") -> Article:
    return parse_html_article(markup.encode("utf-8"), received_at=RECEIVED, origin=origin, catalog=catalog)


def test_html_page_gives_headline_time_url_source_and_paragraphs(catalog: SourceCatalog) -> None:
    article = parse_page(PAGE, catalog)

    assert article.title == "Floods cut off Sylhet villages"
    assert article.published == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
    assert article.url == "https://www.example-times.com/news/sylhet-floods"
    assert article.source == "Example Times"
    assert article.language == "en-GB"
    assert (
        article.body
        == "Rivers burst their banks overnight, cutting off 200 villages.\n\nRescue boats reached some of them by noon."
    )
    assert article.summary == "Rivers burst their banks overnight, cutting off 200 villages."
    assert article.flags == ()


def test_html_page_falls_back_to_time_element_and_title(catalog: SourceCatalog) -> None:
    markup = """<html><head><title>Quake hits coast | Example Times</title>
    <meta property="og:site_name" content="Example Times"></head>
    <body><time datetime="2024-07-04T07:29:00Z">today</time><p>A strong quake shook the coast.</p></body></html>"""

    article = parse_page(markup, catalog)

    assert article.title == "Quake hits coast"
    assert article.published == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
    assert article.url is None


def test_html_page_of_a_configured_outlet_uses_its_profile(catalog: SourceCatalog) -> None:
    markup = """<html><head><link rel="canonical" href="https://www.bangladeshglobal.com/news/1">
    <meta name="description" content="Short description."></head>
    <body><h1>Headline</h1><p>Staff Correspondent, Bangladesh Global: Body text.</p><p>Read more</p></body></html>"""

    article = parse_page(markup, catalog)

    assert article.source == "Bangladesh Global"
    assert article.body == "Body text."
    assert article.summary == "Short description."
    assert article.flags == ("published-missing",)


def test_html_page_without_site_name_is_named_after_its_host(catalog: SourceCatalog) -> None:
    markup = '<link rel="canonical" href="https://www.example.net/a"><h1>Headline</h1><p>Body.</p>'

    assert parse_page(markup, catalog).source == "example.net"


def test_html_page_with_a_bad_canonical_link_keeps_the_article_and_flags_it(catalog: SourceCatalog) -> None:
    markup = '<link rel="canonical" href="javascript:void(0)"><h1>Headline</h1><p>Body.</p>'

    article = parse_page(markup, catalog)

    assert article.url is None
    assert "url-invalid" in article.flags


def test_html_page_without_any_headline_is_refused(catalog: SourceCatalog) -> None:
    with pytest.raises(ArticleParseError, match="no headline found"):
        parse_page("<html><body><p>Just a paragraph.</p></body></html>", catalog)


def test_html_page_in_a_declared_legacy_charset_is_decoded(catalog: SourceCatalog) -> None:
    markup = '<meta charset="iso-8859-15"><h1>Prix en \u20ac</h1><p>Body.</p>'
    data = markup.encode("iso-8859-15")

    article = parse_html_article(data, received_at=RECEIVED, origin="page.html", catalog=catalog)

    assert article.title == "Prix en \u20ac"
