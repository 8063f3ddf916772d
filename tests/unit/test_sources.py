"""The source catalog: operators' YAML, validated, and matched against files."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsalert.ingest.sources import SourceCatalog, SourceConfigError, load_source_catalog, parse_source_catalog

SAMPLES = Path(__file__).parents[2] / "events" / "samples"


@pytest.fixture(scope="module")
def catalog() -> SourceCatalog:
    return load_source_catalog()


def test_bundled_catalog_loads_with_a_utc_default(catalog: SourceCatalog) -> None:
    assert catalog.default.name == "unknown"
    assert catalog.default.timezone == "UTC"
    assert catalog.get("bangladesh global") is not None


def test_sample_article_matches_bangladesh_global_by_its_markers(catalog: SourceCatalog) -> None:
    text = (SAMPLES / "xi-putin-sco-astana.txt").read_text(encoding="utf-8")

    profile = catalog.match(text, hint="xi-putin-sco-astana.txt")

    assert profile.name == "Bangladesh Global"
    assert profile.timezone == "Asia/Dhaka"
    assert profile.language == "en"


@pytest.mark.parametrize(
    "hint",
    [
        "https://www.bangladeshglobal.com/news/12345",
        "inbox/bangladeshglobal.com/2024/07/story.txt",
    ],
)
def test_a_hint_on_the_outlets_domain_picks_it_without_markers(catalog: SourceCatalog, hint: str) -> None:
    assert catalog.match("No markers in this text.", hint=hint).name == "Bangladesh Global"


def test_a_lookalike_domain_does_not_match(catalog: SourceCatalog) -> None:
    assert catalog.find("Plain text.", hint="https://notbangladeshglobal.com/x") is None


def test_unmatched_text_gets_the_default_profile(catalog: SourceCatalog) -> None:
    profile = catalog.match("A story from nowhere in particular.", hint="story.txt")

    assert profile == catalog.default
    assert catalog.find("A story from nowhere in particular.", hint="story.txt") is None


def test_unmatched_url_hint_names_the_default_profile_after_the_host(catalog: SourceCatalog) -> None:
    profile = catalog.match("Text.", hint="https://www.example.org/world/1")

    assert profile.name == "example.org"
    assert profile.timezone == "UTC"


def test_credit_and_boilerplate_come_from_the_profile(catalog: SourceCatalog) -> None:
    profile = catalog.get("Bangladesh Global")
    assert profile is not None

    assert profile.strip_credit("International Desk, Bangladesh Global: Chinese President") == "Chinese President"
    assert profile.is_boilerplate("Latest News")
    assert profile.is_boilerplate("Read more")
    assert not profile.is_boilerplate("Latest News from the front: troops advance")


def test_the_source_with_most_markers_wins() -> None:
    catalog = parse_source_catalog(
        """
        default: {name: unknown}
        sources:
          - {name: One, markers: [alpha]}
          - {name: Two, markers: [alpha, beta]}
        """
    )

    assert catalog.match("alpha and beta").name == "Two"
    assert catalog.match("only alpha").name == "One"


def test_invalid_file_names_the_source_field_and_problem(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        """
default: {name: unknown, timezone: UTC}
sources:
  - name: Good Outlet
    markers: [good]
  - name: Broken Outlet
    timezone: Asia/Dhakka
    markers: ['(unclosed']
""",
        encoding="utf-8",
    )

    with pytest.raises(SourceConfigError) as raised:
        load_source_catalog(path)

    message = str(raised.value)
    assert str(path) in message
    assert "source 'Broken Outlet' (sources[1]): timezone: unknown time zone 'Asia/Dhakka'" in message
    assert "markers.0: '(unclosed' is not a valid regular expression" in message


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ("default: {name: unknown}\nsources:\n  - {name: X, marker: [x]}", "marker: Extra inputs are not permitted"),
        ("default: {name: unknown}\nsources:\n  - {name: X}", "'X' has neither markers nor domains"),
        ("default: {name: unknown}\nsources:\n  - {name: X, markers: [x]}\n  - {name: x, markers: [y]}", "twice"),
        ("default: {name: unknown}\nsources:\n  - {name: X, domains: ['http://x.com/']}", "is not a domain name"),
        ("default: {name: unknown}\nsources:\n  - {name: X, markers: [x], language: English}", "language"),
        ("sources: []", "default profile: Field required"),
        ("- just a list", "expected a mapping"),
        ("default: {name: [unclosed", "not valid YAML"),
    ],
)
def test_each_kind_of_mistake_is_reported(document: str, problem: str) -> None:
    with pytest.raises(SourceConfigError, match=r"test\.yaml") as raised:
        parse_source_catalog(document, origin="test.yaml")

    assert problem in str(raised.value)


def test_unreadable_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(SourceConfigError, match="cannot be read"):
        load_source_catalog(tmp_path / "missing.yaml")


# ------------------------------------------------------------------------ registered feeds


def test_a_registered_name_names_the_feed_and_picks_the_configured_outlet_s_rules(catalog: SourceCatalog) -> None:
    feed = catalog.for_feed("https://feeds.example.org/world.xml", name="Bangladesh Global")

    assert feed.outlet == "Bangladesh Global"
    assert feed.profile is not None
    assert feed.profile.timezone == "Asia/Dhaka"


def test_a_feed_on_a_configured_domain_carries_that_outlet_s_name_and_priority() -> None:
    catalog = parse_source_catalog(
        "default: {name: unknown}\n"
        "sources:\n"
        "  - {name: Valley Post, timezone: Asia/Kathmandu, priority: high, domains: [valleypost.example]}\n"
    )

    feed = catalog.for_feed("https://rss.valleypost.example/top.xml")

    assert (feed.outlet, feed.priority) == ("Valley Post", "high")
    assert feed.profile is not None
    assert feed.profile.timezone == "Asia/Kathmandu"


def test_an_unknown_feed_is_named_by_its_own_title_never_its_host(catalog: SourceCatalog) -> None:
    feed = catalog.for_feed("https://feeds.newcomer.example/rss.xml")

    assert feed.outlet is None  # the feed's own title names its articles
    assert feed.profile is None


def test_a_registered_zone_gives_an_unknown_feed_reading_rules_but_not_a_name(catalog: SourceCatalog) -> None:
    feed = catalog.for_feed("https://feeds.newcomer.example/rss.xml", timezone="Asia/Dhaka", priority="high")

    assert feed.outlet is None
    assert feed.profile is not None
    assert (feed.profile.timezone, feed.priority) == ("Asia/Dhaka", "high")
