"""The derivation of category vocabulary from the IPTC Media Topics scheme (newsalert.tools.iptc_categories).

Every test uses a tiny scheme written here: no test depends on the scheme file in ../shared/data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from newsalert.classify.taxonomy import parse_taxonomy
from newsalert.tools import iptc_categories
from newsalert.tools.iptc_categories import (
    COPYRIGHT,
    GENERATED,
    GENERIC,
    Derived,
    augmented_document,
    derive,
    label_terms,
    read_scheme,
)

TAXONOMY = """
version: 1
topics:
  - {id: sport, label: Sport, parent: null, kind: category, iptc: "medtop:15000000", threshold: 0.35,
     query: 'football^2 OR tennis^2'}
  - {id: health, label: Health, parent: null, kind: category, iptc: "medtop:07000000", threshold: 0.35,
     query: 'hospital OR disease*'}
  - {id: economy, label: Economy, parent: null, kind: category, iptc: "medtop:04000000", threshold: 0.35,
     query: 'shares^2'}
  - {id: nato, label: NATO, parent: sport, kind: watch, threshold: 0.6, query: 'NATO'}
"""


def concept(qcode: str, label: str, top: str, level: int = 2, definition: str = "") -> str:
    return json.dumps({"qcode": qcode, "label": label, "definition": definition, "top": top, "level": level})


SCHEME = [
    concept("medtop:15000000", "sport", "medtop:15000000", level=1, definition="Competitive activity"),
    concept("medtop:1", "badminton", "medtop:15000000", definition="A racquet game played over a net"),
    concept("medtop:2", "squash racquet", "medtop:15000000", definition="A racquet game played in a court"),
    concept("medtop:3", "beam (artistic gymnastics)", "medtop:15000000"),
    concept("medtop:4", "team", "medtop:15000000"),
    concept("medtop:5", "tennis", "medtop:15000000"),
    concept("medtop:6", "chess", "medtop:15000000"),
    concept("medtop:07000000", "health", "medtop:07000000", level=1),
    concept("medtop:7", "plague (disease)", "medtop:07000000"),
    concept("medtop:8", "hospital and clinic", "medtop:07000000", definition="Where badminton injuries heal"),
    concept("medtop:04000000", "economy, business and finance", "medtop:04000000", level=1),
    concept("medtop:9", "chess", "medtop:04000000", definition="Chess as an industry"),
    concept("medtop:10", "semiconductors and active components", "medtop:04000000"),
    concept("medtop:99", "mystery", "medtop:99000000"),
]


@pytest.fixture
def derived() -> dict[str, list[Derived]]:
    return derive(read_scheme(SCHEME), parse_taxonomy(TAXONOMY))


def terms(items: list[Derived]) -> list[str]:
    return [item.term for item in items]


# --- labels and definitions ------------------------------------------------------------------


def test_a_label_is_cut_into_its_terms() -> None:
    assert label_terms("crime, law and justice") == ["crime", "law", "justice"]
    assert label_terms("weather forecast / weather warning") == ["weather forecast", "weather warning"]


def test_a_lone_word_sharing_the_head_of_a_phrase_keeps_the_whole_label() -> None:
    assert label_terms("rock and roll music") == ["rock and roll music"]
    assert label_terms("air and space accident and incident") == ["air and space accident and incident"]
    assert label_terms("oil and gas - upstream activities") == ["oil", "gas", "upstream activities"]


def test_a_single_word_the_standard_qualifies_is_dropped_but_a_qualified_phrase_is_kept() -> None:
    assert label_terms("beam (artistic gymnastics)") == []
    assert label_terms("individual time trial (cycling)") == ["individual time trial"]


def test_a_plural_is_added_only_where_the_scheme_uses_it() -> None:
    assert label_terms("earthquake", frozenset({"earthquakes"})) == ["earthquake", "earthquakes"]
    assert label_terms("judo", frozenset({"earthquakes"})) == ["judo"]


def test_a_definition_word_must_be_the_categorys_and_named_in_its_labels(derived: dict[str, list[Derived]]) -> None:
    sport = {item.term: item.source for item in derived["sport"]}

    # "racquet": in two sport definitions, in no other category's, and in a sport label.
    assert sport["racquet"] == "definition"
    # "played" is in two sport definitions but in no label; "badminton" is also in a health
    # definition, but as a label it stays.
    assert "played" not in sport
    assert sport["badminton"] == "label"


# --- the filters ------------------------------------------------------------------------------


def test_generic_words_are_never_derived(derived: dict[str, list[Derived]]) -> None:
    assert "team" in GENERIC
    assert all(GENERIC.values())  # every exclusion says why
    assert "team" not in terms(derived["sport"])


def test_a_term_the_standard_files_under_two_categories_is_dropped(derived: dict[str, list[Derived]]) -> None:
    derived_anywhere = {term.lower() for items in derived.values() for term in terms(items)}

    assert "chess" not in GENERIC  # so it is the two-categories rule that drops it
    assert "chess" not in derived_anywhere


def test_a_term_a_hand_written_query_covers_is_dropped(derived: dict[str, list[Derived]]) -> None:
    # "tennis" is sport's own word already, "hospital" health's; "plague" is qualified.
    assert "tennis" not in terms(derived["sport"])
    assert terms(derived["health"]) == ["clinic"]
    assert terms(derived["economy"]) == ["semiconductors and active components"]


def test_categories_come_from_the_taxonomys_iptc_codes(derived: dict[str, list[Derived]]) -> None:
    # a watch topic is never augmented, and a concept under an unknown top level is ignored
    assert sorted(derived) == ["economy", "health", "sport"]
    assert "mystery" not in {term for items in derived.values() for term in terms(items)}


def test_derived_terms_are_weighted_by_their_source(derived: dict[str, list[Derived]]) -> None:
    weights = {item.source: item.weight for items in derived.values() for item in items}

    assert weights == {"label": iptc_categories.LABEL_WEIGHT, "definition": iptc_categories.DEFINITION_WEIGHT}
    assert 0 < iptc_categories.DEFINITION_WEIGHT <= iptc_categories.LABEL_WEIGHT < 1


# --- what it writes ---------------------------------------------------------------------------


def test_the_augmented_taxonomy_ors_the_terms_after_the_hand_written_query(
    derived: dict[str, list[Derived]],
) -> None:
    document = augmented_document(yaml.safe_load(TAXONOMY), derived)
    taxonomy = parse_taxonomy(yaml.safe_dump(document))

    assert str(taxonomy.topic("health").query) == "(hospital OR disease*) OR clinic^0.3"
    assert str(taxonomy.topic("nato").query) == "NATO"


def test_main_writes_the_vocabulary_with_the_copyright_and_check_finds_it_stale(tmp_path: Path) -> None:
    scheme, taxonomy, out = tmp_path / "scheme.jsonl", tmp_path / "taxonomy.yaml", tmp_path / "vocabulary.yaml"
    scheme.write_text("\n".join(SCHEME) + "\n", encoding="utf-8")
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    arguments = [str(scheme), "--taxonomy", str(taxonomy), "--out", str(out)]

    assert iptc_categories.main([*arguments, "--check"]) == 1  # not written yet
    assert iptc_categories.main([*arguments, "--candidate", str(tmp_path / "candidate.yaml")]) == 0
    assert iptc_categories.main([*arguments, "--check"]) == 0
    text = out.read_text(encoding="utf-8")
    assert COPYRIGHT in " ".join(line.removeprefix("# ") for line in text.splitlines() if line.startswith("#"))
    assert yaml.safe_load(text)["categories"]["health"] == ["clinic^0.3"]
    parse_taxonomy((tmp_path / "candidate.yaml").read_text(encoding="utf-8"))

    taxonomy.write_text(TAXONOMY.replace("hospital OR", "clinic OR hospital OR"), encoding="utf-8")
    assert iptc_categories.main([*arguments, "--check"]) == 1  # the filters read the taxonomy


def test_a_line_that_is_not_a_concept_is_refused_with_its_number() -> None:
    with pytest.raises(ValueError, match="line 2"):
        read_scheme([SCHEME[0], '{"label": "no qcode"}'])


# --- the committed vocabulary -----------------------------------------------------------------


def test_the_committed_vocabulary_states_the_copyright_and_every_term_parses() -> None:
    text = GENERATED.read_text(encoding="utf-8")
    assert COPYRIGHT in " ".join(line.removeprefix("# ") for line in text.splitlines() if line.startswith("#"))
    categories = yaml.safe_load(text)["categories"]
    queries = {category: " OR ".join(items) for category, items in categories.items() if items}
    taxonomy = parse_taxonomy(
        "version: 1\ntopics:\n"
        + "".join(
            f"  - {{id: {category}, label: x, kind: category, threshold: 0.5, query: {json.dumps(query)}}}\n"
            for category, query in queries.items()
        )
    )

    assert {topic.id for topic in taxonomy.topics} == set(queries)
