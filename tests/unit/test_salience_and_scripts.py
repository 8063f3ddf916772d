"""Salience in queries (``subject:``, ``MENTIONS/n``) and names in scripts without spaces or with
inflection: what an editor writes to say "this must be what the article is about", and that a
name is found in Chinese, Russian, Arabic, Hindi and Bengali text.

Every sentence here was written for these tests.
"""

# ruff: noqa: RUF001 - Cyrillic, Arabic and other letters that look Latin are the point of these tests.

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsalert.classify.entities import EntityCatalog, clitic_forms, parse_entities
from newsalert.classify.query import QuerySyntaxError, parse_query
from newsalert.classify.taxonomy import Taxonomy, parse_taxonomy
from newsalert.classify.topics import TopicVerdict, explain
from newsalert.classify.words import words_of
from newsalert.models import Article

ENTITIES = """
version: 1
entities:
  - id: sco
    kind: organisation
    label: Shanghai Cooperation Organisation
    aliases: ["Shanghai Cooperation Organisation", "上合组织", "ШОС*", "منظمة شنغهاي للتعاون", "एससीओ",
              "সাংহাই সহযোগিতা সংস্থা"]
  - {id: china, kind: country, label: China, aliases: [China, "中国", "Китай*"]}
  - {id: russia, kind: country, label: Russia, aliases: [Russia, "俄罗斯", "Росси*"]}
  - {id: nato, kind: organisation, label: NATO, aliases: [Nato, "الناتو", "नाटो"]}
  - {id: vladimir-putin, kind: person, label: Vladimir Putin, aliases: [Putin, "Путин*"]}
"""
WHEN = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def entities() -> EntityCatalog:
    return parse_entities(ENTITIES)


def taxonomy(query: str, entities: EntityCatalog) -> Taxonomy:
    topic = f"{{id: t, label: T, kind: watch, parent: c, threshold: 0.0, query: {json.dumps(query)}}}"
    category = "{id: c, label: C, kind: category, threshold: 0.5, query: zzzz}"
    return parse_taxonomy(f"version: 1\ntopics:\n  - {category}\n  - {topic}\n", entities=entities)


def verdict(query: str, entities: EntityCatalog, title: str, summary: str = "", body: str = "") -> TopicVerdict:
    article = Article.create(title=title, summary=summary, body=body, source="t", published=WHEN, received_at=WHEN)
    return next(v for v in explain(article, taxonomy(query, entities)) if v.topic == "t")


# --- subject: the headline and the lead ---------------------------------------------------------


def test_subject_scope_looks_in_the_headline_and_the_lead_only(entities: EntityCatalog) -> None:
    query = "subject:@nato"
    assert verdict(query, entities, "Nato ministers meet in Brussels").matched
    assert verdict(query, entities, "Ministers meet", summary="The Nato allies agreed on a plan.").matched
    missed = verdict(query, entities, "Turkish inflation slows", summary="Prices rose less.", body="A Nato member.")
    assert not missed.matched
    assert "only outside the subject" in missed.reason


def test_a_field_inside_subject_narrows_it_and_subject_inside_a_field_is_that_field(entities: EntityCatalog) -> None:
    assert parse_query("subject:(title:a OR b)").root == parse_query("title:a OR subject:b").root
    assert parse_query("lead:(subject:a)").root == parse_query("lead:a").root
    with pytest.raises(QuerySyntaxError, match="can never match"):
        parse_query("body:(subject:a)")


# --- MENTIONS/n: repeated mentions --------------------------------------------------------------


def test_mentions_needs_that_many_places(entities: EntityCatalog) -> None:
    query = "MENTIONS/3 (@china OR @russia)"
    assert verdict(query, entities, "China and Russia sign a deal", summary="Russia sells gas to China.").matched
    once = verdict(query, entities, "Oil prices rise", summary="Traders cited demand in China and Russia.")
    assert not once.matched
    assert "found 2 of 3 mentions" in once.reason


def test_mentions_combines_with_scopes_and_other_clauses(entities: EntityCatalog) -> None:
    query = "MENTIONS/2 subject:@vladimir-putin AND @china"
    assert verdict(query, entities, "Putin lands in China", summary="Putin was met by officials.").matched
    later = "He flew overnight.\n\nPutin was met by officials."  # the second Putin is past the lead
    assert not verdict(query, entities, "Putin lands in China", body=later).matched


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("MENTIONS/1 a", "out of range"),
        ("MENTIONS/x a", "MENTIONS needs a count"),
        ("MENTIONS/2 NOT a", "counts terms"),
        ("a MENTIONS/2", "needs a term after it"),
    ],
)
def test_mentions_is_refused_where_it_cannot_mean_anything(query: str, problem: str) -> None:
    with pytest.raises(QuerySyntaxError, match=problem):
        parse_query(query)


# --- scripts ------------------------------------------------------------------------------------


def test_chinese_text_without_spaces_is_read_character_by_character(entities: EntityCatalog) -> None:
    assert words_of("上合组织峰会") == ["上", "合", "组", "织", "峰", "会"]
    found = verdict("@sco", entities, "上合组织成员国领导人在天津举行峰会")
    assert found.matched
    assert [piece.text for piece in found.evidence] == ["上合组织"]


def test_indic_vowel_signs_stay_inside_their_word(entities: EntityCatalog) -> None:
    assert words_of("नाटो शिखर सम्मेलन।") == ["नाटो", "शिखर", "सम्मेलन"]
    assert verdict("@nato", entities, "नाटो शिखर सम्मेलन आज शुरू होगा").matched
    assert verdict("@sco", entities, "ঢাকায় সাংহাই সহযোগিতা সংস্থা নিয়ে আলোচনা").matched
    assert verdict("@sco", entities, "एससीओ बैठक में भारत की भूमिका").matched


def test_a_stem_name_matches_its_inflected_forms_and_keeps_its_capitals(entities: EntityCatalog) -> None:
    query = "@sco AND @vladimir-putin"
    assert verdict(query, entities, "Путина ждут на саммите ШОСа").matched
    assert verdict(query, entities, "Путину рассказали о планах ШОС").matched
    # "шос" in lower case (the highway abbreviation in a street name) is not the SCO.
    assert not verdict("@sco", entities, "Ремонт на шоссе").matched


def test_arabic_names_are_found_with_a_conjunction_or_preposition_joined_to_them(entities: EntityCatalog) -> None:
    assert "للناتو" in clitic_forms("الناتو")
    assert "والناتو" in clitic_forms("الناتو")
    assert verdict("@nato", entities, "اجتماع وزراء الدفاع للناتو في بروكسل").matched
    assert verdict("@sco", entities, "قمة لمنظمة شنغهاي للتعاون في الصين").matched
    assert clitic_forms("Nato") == ()
