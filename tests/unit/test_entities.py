"""Entities: names, demonyms, metonyms, ambiguous aliases with context, validation, and the SCO traps."""

# ruff: noqa: RUF001 - typographic apostrophes are what articles contain.

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsalert.classify.entities import EntityCatalog, EntityError, load_entities, parse_entities
from newsalert.classify.taxonomy import Taxonomy, load_taxonomy, parse_taxonomy
from newsalert.classify.topics import classify, read_article
from newsalert.models import Article

WHEN = datetime(2024, 7, 4, 7, 29, tzinfo=UTC)

CATALOG = """
version: 1
entities:
  - id: china
    kind: country
    label: China
    aliases: [China, "People's Republic of China"]
    demonyms: [Chinese]
    metonyms: [Beijing]
  - id: kazakhstan
    kind: country
    label: Kazakhstan
    aliases: [Kazakhstan]
  - id: sco
    kind: organisation
    label: Shanghai Cooperation Organisation
    aliases: ["Shanghai Cooperation Organisation"]
    ambiguous:
      - alias: SCO
        context: {within: 5, any_of: [summit, "@kazakhstan"], none_of: ["SCO Group"]}
  - id: xi-jinping
    kind: person
    label: Xi Jinping
    aliases: ["Xi Jinping"]
    ambiguous:
      - alias: Xi
        context: {within: 3, any_of: [President, "@china"], none_of: ["Xi'an"]}
  - id: united-states
    kind: country
    label: United States
    aliases: ["United States", U.S.]
    ambiguous:
      - alias: American
        context: {within: 1, none_of: ["Latin American"]}
"""


@pytest.fixture(scope="module")
def catalog() -> EntityCatalog:
    return parse_entities(CATALOG)


@pytest.fixture(scope="module")
def taxonomy(catalog: EntityCatalog) -> Taxonomy:
    return parse_taxonomy(
        "version: 1\ntopics:\n  - {id: t, label: T, kind: category, threshold: 0, query: '@china OR @sco'}\n",
        entities=catalog,
    )


def article(title: str, body: str = "", summary: str = "") -> Article:
    return Article.create(title=title, body=body, summary=summary, source="test", published=WHEN, received_at=WHEN)


def mentions(taxonomy: Taxonomy, title: str, body: str = "") -> list[tuple[str, str]]:
    """(entity, text) of every mention, in reading order."""
    document = read_article(article(title, body), taxonomy)
    found = []
    for entity, places in document.mentions.items():
        for place in places:
            zone = document.index.zones[place.zone]
            start, end = zone.span(place.first, place.last)
            found.append((place.zone, start, entity, zone.text[start:end]))
    return [(entity, text) for _, _, entity, text in sorted(found)]


# --- names -------------------------------------------------------------------------------------


def test_aliases_demonyms_and_metonyms_all_name_the_entity(taxonomy: Taxonomy) -> None:
    assert mentions(taxonomy, "Beijing says Chinese exports from the People’s Republic of China rose") == [
        ("china", "Beijing"),
        ("china", "Chinese"),
        ("china", "People’s Republic of China"),
    ]


def test_the_longest_name_wins_where_names_overlap(taxonomy: Taxonomy) -> None:
    assert mentions(taxonomy, "President Xi Jinping") == [("xi-jinping", "Xi Jinping")]


def test_a_name_in_capitals_is_case_sensitive_and_others_are_not(taxonomy: Taxonomy) -> None:
    assert mentions(taxonomy, "CHINA and the u.s. sign a deal") == [("china", "CHINA")]
    # Offsets cover words, so the full stop of "U.S." is punctuation outside the mention.
    assert mentions(taxonomy, "China and the U.S. sign a deal") == [("china", "China"), ("united-states", "U.S")]


# --- ambiguous aliases -------------------------------------------------------------------------


def test_an_ambiguous_alias_counts_with_a_context_phrase_near(taxonomy: Taxonomy) -> None:
    assert mentions(taxonomy, "SCO summit opens") == [("sco", "SCO")]
    assert mentions(taxonomy, "SCO leaders gather today for a summit") == []  # summit is 5+ words away


def test_an_ambiguous_alias_counts_with_a_context_entity_near(taxonomy: Taxonomy) -> None:
    assert mentions(taxonomy, "SCO meets in Kazakhstan") == [("sco", "SCO"), ("kazakhstan", "Kazakhstan")]
    assert mentions(taxonomy, "Xi visits Beijing") == [("xi-jinping", "Xi"), ("china", "Beijing")]


def test_an_ambiguous_alias_without_context_does_not_count(taxonomy: Taxonomy) -> None:
    assert mentions(taxonomy, "SCO reports results") == []
    assert mentions(taxonomy, "Xi spoke for an hour") == []


def test_context_must_be_in_the_same_field(taxonomy: Taxonomy) -> None:
    assert mentions(taxonomy, "SCO reports", body="The summit ended.") == []


def test_after_the_full_name_the_ambiguous_alias_counts_anywhere(taxonomy: Taxonomy) -> None:
    body = "Xi Jinping arrived on Monday.\n\nLater, Xi spoke for an hour."

    assert mentions(taxonomy, "News", body) == [("xi-jinping", "Xi Jinping"), ("xi-jinping", "Xi")]


def test_none_of_vetoes_even_with_context(taxonomy: Taxonomy) -> None:
    assert mentions(taxonomy, "SCO Group summit in Kazakhstan") == [("kazakhstan", "Kazakhstan")]
    assert mentions(taxonomy, "President Xi’an mayor") == []


def test_none_of_alone_counts_everywhere_but_near_the_veto(taxonomy: Taxonomy) -> None:
    assert mentions(taxonomy, "American officials and Latin American leaders") == [("united-states", "American")]


def test_rejected_ambiguous_aliases_are_kept_for_explanations(taxonomy: Taxonomy) -> None:
    document = read_article(article("SCO reports results"), taxonomy)

    assert list(document.rejected) == ["sco"]
    assert [mention.alias for mention in document.rejected["sco"]] == ["SCO"]


# --- validation --------------------------------------------------------------------------------


def refusal(text: str) -> str:
    with pytest.raises(EntityError) as caught:
        parse_entities(text)
    return str(caught.value)


@pytest.mark.parametrize(
    ("entities_yaml", "expected"),
    [
        pytest.param(
            "- {id: a, kind: country, label: A, aliases: [A1]}\n  - {id: a, kind: country, label: B, aliases: [B1]}",
            "entity 'a': duplicate id",
            id="duplicate-id",
        ),
        pytest.param(
            "- {id: a, kind: country, label: A, aliases: ['  ']}",
            "entity 'a': aliases.0: name '  ' is empty or has no letters or digits",
            id="empty-alias",
        ),
        pytest.param(
            "- {id: a, kind: country, label: A, aliases: [Alpha, ALPHA]}",
            "entity 'a': name 'ALPHA' is listed twice (as 'Alpha' too)",
            id="alias-twice",
        ),
        pytest.param(
            "- {id: a, kind: country, label: A, aliases: [Georgia]}\n"
            "  - {id: b, kind: place, label: B, aliases: [Georgia]}",
            "entity 'b': name 'Georgia' is also 'a''s name 'Georgia'",
            id="alias-of-two-entities",
        ),
        pytest.param(
            "- {id: a, kind: country, label: A, ambiguous: [{alias: A, context: {any_of: ['@nowhere']}}]}",
            "entity 'a': context of 'A' names unknown entity '@nowhere'",
            id="unknown-entity-in-context",
        ),
        pytest.param(
            "- {id: a, kind: country, label: A, ambiguous: [{alias: A, context: {within: 5}}]}",
            "context needs any_of, none_of or both",
            id="empty-context",
        ),
        pytest.param(
            "- {id: a, kind: country, label: A, ambiguous: [{alias: A, context: {within: 99, any_of: [x]}}]}",
            "entity 'a': ambiguous.0.context.within: Input should be less than or equal to 50",
            id="context-too-wide",
        ),
        pytest.param(
            "- {id: a, kind: country, label: A, ambiguous: [{alias: A, context: {any_of: ['@Bad Id']}}]}",
            "'@Bad Id' is not an entity reference",
            id="bad-reference",
        ),
        pytest.param("- {id: a, kind: country, label: A}", "entity 'a': no aliases", id="no-names"),
        pytest.param("- {id: a, kind: planet, label: A, aliases: [A1]}", "entity 'a': kind: Input should", id="kind"),
        pytest.param("- {id: a, kind: country, label: A, alias: [A1]}", "entity 'a': alias: Extra inputs", id="typo"),
        pytest.param("[]", "no entities", id="no-entities"),
    ],
)
def test_a_malformed_catalog_is_refused_naming_the_entity_and_the_problem(entities_yaml: str, expected: str) -> None:
    assert expected in refusal(f"version: 1\nentities:\n  {entities_yaml}\n")


def test_a_malformed_file_is_refused() -> None:
    assert "not valid YAML" in refusal("entities: [unclosed")
    assert "unsupported version 2" in refusal("version: 2\nentities: []")


def test_entities_load_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text(CATALOG, encoding="utf-8")

    assert load_entities(path).ids == {"china", "kazakhstan", "sco", "xi-jinping", "united-states"}
    with pytest.raises(EntityError, match="cannot read entities"):
        load_entities(tmp_path / "missing.yaml")


# --- the bundled catalog and the SCO traps -----------------------------------------------------


def test_the_bundled_catalog_has_the_seed_entities() -> None:
    seeds = {
        "sco",
        "china",
        "russia",
        "kazakhstan",
        "india",
        "pakistan",
        "iran",
        "united-states",
        "ukraine",
        "nato",
        "un",
        "eu",
        "brics",
        "g7",
        "g20",
        "xi-jinping",
        "vladimir-putin",
        "kyrgyzstan",
        "tajikistan",
        "uzbekistan",
        "belarus",
    }

    assert seeds <= load_entities().ids


@pytest.fixture(scope="module")
def bundled() -> Taxonomy:
    return load_taxonomy()


def topics(taxonomy: Taxonomy, title: str, body: str = "", summary: str = "", url: str | None = None) -> set[str]:
    item = Article.create(
        title=title, body=body, summary=summary, url=url, source="test", published=WHEN, received_at=WHEN
    )
    return {match.topic for match in classify(item, taxonomy).topics}


@pytest.mark.parametrize(
    ("title", "body"),
    [
        pytest.param(
            "Sinner beats Medvedev to win Shanghai Masters title",
            "The world number one won in straight sets at the Shanghai Masters, his fourth title in China this "
            "year, before flying to Beijing for an exhibition.",
            id="shanghai-masters",
        ),
        pytest.param(
            "SCO Group's Linux lawsuit against IBM revived",
            "An appeals court revived the SCO Group's decades-old claim that Linux copied Unix code. SCO, once "
            "a Unix vendor, said the summit of its legal fight was still ahead.",
            id="sco-group-lawsuit",
        ),
        pytest.param(
            "Fintech leaders gather for summit in Shanghai",
            "Bankers from China and Russia joined the two-day business summit in Shanghai to discuss digital "
            "payments and cross-border settlement.",
            id="shanghai-business-summit",
        ),
        pytest.param(
            "Markets steady ahead of central bank decision",
            "Live coverage at https://news.example.com/sco/summit-live and www.example.org/SCO-summit-Astana.",
            id="sco-in-url",
        ),
        pytest.param(
            "Scotland beat England in Six Nations rugby",
            "Scotland scored twice in the second half at Murrayfield.",
            id="scotland",
        ),
        pytest.param(
            "Kazakh drama opens Dhaka film week",
            "A family drama from Almaty opened the festival. Its director joked that her film drew less "
            "attention in Kazakhstan than Vladimir Putin’s visit to Astana.",
            id="putin-in-passing",
        ),
        pytest.param(
            "Leaders gather for the sco summit",
            "The sco summit opens in Astana on Wednesday.",
            id="lower-case",
        ),
    ],
)
def test_the_sco_traps_are_not_sco(bundled: Taxonomy, title: str, body: str) -> None:
    assert "sco" not in topics(bundled, title, body)


def test_an_sco_link_in_the_article_url_is_not_evidence(bundled: Taxonomy) -> None:
    assert "sco" not in topics(bundled, "Parliament debates budget", url="https://example.com/news/sco-summit-astana")


def test_the_sco_in_passing_in_the_body_is_not_sco(bundled: Taxonomy) -> None:
    body = (
        "Parliament approved the budget on Tuesday after a long debate.\n\n"
        "The prime minister, back from the SCO summit in Astana last week, praised the vote."
    )

    assert "sco" not in topics(bundled, "Parliament passes budget", body)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        pytest.param("SCO leaders open summit in Astana", "", id="title"),
        pytest.param(
            "Leaders meet in Astana",
            "Heads of state of the Shanghai Cooperation Organisation met on Thursday.\n\n"
            "The SCO summit adopted a declaration on regional security.",
            id="named-in-the-lead-and-the-body",
        ),
    ],
)
def test_the_sco_itself_is_sco(bundled: Taxonomy, title: str, body: str) -> None:
    assert "sco" in topics(bundled, title, body)
