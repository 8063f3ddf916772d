"""Raw text article files become articles, or are refused with a specific reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsalert.ingest.errors import ArticleParseError
from newsalert.ingest.formats.raw_text import parse_raw_article
from newsalert.ingest.sources import SourceCatalog, load_source_catalog, parse_source_catalog
from newsalert.models import Article
from tests.unit.test_published import TIMESTAMP_LINES

SAMPLES = Path(__file__).parents[2] / "events" / "samples"
RECEIVED = datetime(2024, 7, 7, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog() -> SourceCatalog:
    return load_source_catalog()


@pytest.fixture(scope="module")
def dhaka_catalog() -> SourceCatalog:
    """A catalog whose only outlet prints its times in Dhaka time (UTC+6)."""
    return parse_source_catalog(
        """
        default: {name: unknown, timezone: UTC}
        sources:
          - name: Dhaka Daily
            timezone: Asia/Dhaka
            markers: ['Dhaka Daily']
        """
    )


def parse(text: str | bytes, catalog: SourceCatalog, *, received_at: datetime = RECEIVED) -> Article:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_raw_article(data, received_at=received_at, origin="inbox/story.txt", catalog=catalog)


# --------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample(catalog: SourceCatalog) -> Article:
    data = (SAMPLES / "xi-putin-sco-astana.txt").read_bytes()
    return parse_raw_article(data, received_at=RECEIVED, origin="inbox/xi-putin-sco-astana.txt", catalog=catalog)


def test_sample_headline_source_language_and_time(sample: Article) -> None:
    assert sample.title == "Xi Jinping holds talks with Vladimir Putin on SCO sidelines in Kazakhstan"
    assert sample.source == "Bangladesh Global"
    assert sample.language == "en"
    # "04 July 2024, 1:29 PM" in Asia/Dhaka (UTC+6); the dateline's 07 July is not the publication date.
    assert sample.published == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
    assert sample.received_at == RECEIVED
    assert sample.flags == ()
    assert sample.url is None


def test_sample_body_has_no_credit_and_no_footer(sample: Article) -> None:
    assert sample.body.startswith("Chinese President Xi Jinping met his Russian counterpart")
    assert sample.body.endswith("traditionally part of Russia\u2019s sphere of influence.")
    for boilerplate in ("International Desk", "Stay tuned", "Latest News", "Read more", "bangladeshglobal.com"):
        assert boilerplate not in sample.body
        assert boilerplate not in sample.summary


def test_sample_body_keeps_its_paragraphs(sample: Article) -> None:
    paragraphs = sample.body.split("\n\n")

    assert len(paragraphs) == 11
    assert all(paragraph and "\n" not in paragraph for paragraph in paragraphs)
    assert "\u201cgolden age\u201d" in sample.body  # curly quotes kept
    assert "\u00a0" not in sample.title + sample.body


def test_sample_summary_is_the_first_paragraph(sample: Article) -> None:
    assert sample.summary == sample.body.split("\n\n")[0]
    assert len(sample.summary) <= 300


# --------------------------------------------------------------- times and lines


@pytest.mark.parametrize("timestamp_line", TIMESTAMP_LINES)
def test_each_timestamp_format_is_read_in_the_outlets_zone(timestamp_line: str, dhaka_catalog: SourceCatalog) -> None:
    article = parse(f"Headline of the day\n\n{timestamp_line}\n\nDhaka Daily: Body.", dhaka_catalog)

    assert article.published == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)
    assert article.flags == ()


def test_timestamp_before_the_headline_counts_too(dhaka_catalog: SourceCatalog) -> None:
    article = parse("04 July 2024, 1:29 PM\nHeadline of the day\nDhaka Daily: Body.", dhaka_catalog)

    assert article.title == "Headline of the day"
    assert article.published == datetime(2024, 7, 4, 7, 29, tzinfo=UTC)


def test_midnight_and_noon_in_twelve_hour_clock(catalog: SourceCatalog) -> None:
    assert parse("Title here\n04 July 2024, 12:05 AM\nBody.", catalog).published == datetime(
        2024, 7, 4, 0, 5, tzinfo=UTC
    )
    assert parse("Title here\n04 July 2024, 12:05 PM\nBody.", catalog).published == datetime(
        2024, 7, 4, 12, 5, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "dateline",
    ["Dhaka Sunday, 07 July, 2024", "New Delhi, July 7, 2024", "07 July 2024", "Rio de Janeiro Sun 7 Jul 2024"],
)
def test_dateline_is_not_taken_as_headline_nor_as_publication_time(dateline: str, catalog: SourceCatalog) -> None:
    article = parse(f"{dateline}\n\nReal headline\n\nBody text.", catalog)

    assert article.title == "Real headline"
    assert article.body == "Body text."
    # A dateline has no time of day, so it does not say when the article was published.
    assert article.published == RECEIVED
    assert article.flags == ("published-missing",)


def test_missing_timestamp_uses_arrival_time_and_says_so(catalog: SourceCatalog) -> None:
    article = parse("Headline\n\nBody.", catalog)

    assert article.published == RECEIVED
    assert "published-missing" in article.flags


def test_time_in_the_future_is_clamped_to_arrival(catalog: SourceCatalog) -> None:
    received = datetime(2024, 7, 4, 7, 0, tzinfo=UTC)

    article = parse("Headline\n04 July 2024, 9:00 AM\nBody.", catalog, received_at=received)

    assert article.published == received
    assert article.flags == ("published-in-future",)


def test_a_few_minutes_of_clock_skew_is_tolerated(catalog: SourceCatalog) -> None:
    received = datetime(2024, 7, 4, 7, 0, tzinfo=UTC)

    article = parse("Headline\n04 July 2024, 7:04 AM\nBody.", catalog, received_at=received)

    assert article.published == datetime(2024, 7, 4, 7, 4, tzinfo=UTC)
    assert article.flags == ()


def test_impossible_date_is_not_a_timestamp(catalog: SourceCatalog) -> None:
    article = parse("Headline\n31 June 2024, 1:29 PM\nBody.", catalog)

    assert "published-missing" in article.flags


# -------------------------------------------------------------- body and summary


def test_hard_wrapped_paragraphs_are_joined(catalog: SourceCatalog) -> None:
    article = parse("Headline\n\nFirst line of a paragraph\nthat goes on.\n\nSecond\nparagraph.\n", catalog)

    assert article.body == "First line of a paragraph that goes on.\n\nSecond paragraph."


def test_file_without_blank_lines_has_one_paragraph_a_line(catalog: SourceCatalog) -> None:
    article = parse("Headline\nFirst paragraph.\nSecond paragraph.\n", catalog)

    assert article.body == "First paragraph.\n\nSecond paragraph."


def test_paragraph_lines_after_one_blank_line_stay_separate(catalog: SourceCatalog) -> None:
    article = parse("Headline\n\nFirst paragraph.\n\u201cA quote,\u201d he said.\nLast one\nwrapped.", catalog)

    assert article.body == "First paragraph.\n\n\u201cA quote,\u201d he said.\n\nLast one wrapped."


def test_default_profile_drops_generic_boilerplate(catalog: SourceCatalog) -> None:
    article = parse("Headline\n\nBody.\n\nRead more\n\nAdvertisement\n\nMore body.", catalog)

    assert article.source == "unknown"
    assert article.body == "Body.\n\nMore body."


def test_long_first_paragraph_gives_a_truncated_summary(catalog: SourceCatalog) -> None:
    first = " ".join(["Sentence with several words in it."] * 20)

    article = parse(f"Headline\n\n{first}\n\nSecond.", catalog)

    assert len(article.summary) <= 300
    assert article.summary.endswith("\u2026")
    assert first.startswith(article.summary[:-1])


def test_entities_in_raw_text_are_resolved(catalog: SourceCatalog) -> None:
    article = parse("Oil at &#36;85 &amp; rising\n\nBrent rose to &#36;85.", catalog)

    assert article.title == "Oil at $85 & rising"
    assert article.body == "Brent rose to $85."


def test_headline_only_file_is_an_article_flagged_without_body(catalog: SourceCatalog) -> None:
    article = parse("Headline only", catalog)

    assert article.body == ""
    assert "body-missing" in article.flags


# ----------------------------------------------------------------------- decoding


def test_utf8_with_bom_is_decoded(catalog: SourceCatalog) -> None:
    article = parse(b"\xef\xbb\xbfRussia\xe2\x80\x99s headline\n\nBody.", catalog)

    assert article.title == "Russia\u2019s headline"
    assert article.flags == ("published-missing",)


def test_cp1252_file_is_decoded_and_flagged(catalog: SourceCatalog) -> None:
    article = parse("Russia\u2019s \u201cgolden age\u201d\n\nCaf\u00e9 talk.".encode("cp1252"), catalog)

    assert article.title == "Russia\u2019s \u201cgolden age\u201d"
    assert article.body == "Caf\u00e9 talk."
    assert "decoded-as-cp1252" in article.flags


def test_utf16_with_bom_is_decoded(catalog: SourceCatalog) -> None:
    article = parse("Headline\n\nBody.".encode("utf-16"), catalog)

    assert article.title == "Headline"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "file is empty"),
        (b" \r\n\t\n", "file is empty"),
        (b"\xef\xbb\xbf\n", "file is empty"),
        (b"Headline\x00\x00\x01binary", "file is not text (binary content)"),
        (b"\x89PNG\r\n\x1a\n....", "file is not text (binary content)"),
        (b"%PDF-1.7\n", "file is not text (binary content)"),
        (bytes(range(1, 32)) * 20, "file is not text (binary content)"),
        (b"Dhaka Sunday, 07 July, 2024\n\n04 July 2024, 1:29 PM\n", "no headline found"),
        (b"---\n***\n", "no headline found"),
    ],
)
def test_unusable_files_are_refused_with_a_specific_reason(data: bytes, reason: str, catalog: SourceCatalog) -> None:
    with pytest.raises(ArticleParseError) as raised:
        parse(data, catalog)

    assert raised.value.reason == reason


def test_first_line_too_long_for_a_headline_is_refused(catalog: SourceCatalog) -> None:
    with pytest.raises(ArticleParseError, match="no headline found: the first line of text is 400 characters"):
        parse("x" * 400 + "\n\nBody.", catalog)


def test_oversized_file_is_refused(catalog: SourceCatalog) -> None:
    data = b"Headline\n\n" + b"word " * 100

    with pytest.raises(
        ArticleParseError, match=r"the article file is 510 bytes, over the limit of 100 bytes: not read"
    ):
        parse_raw_article(data, received_at=RECEIVED, origin="big.txt", catalog=catalog, max_bytes=100)
