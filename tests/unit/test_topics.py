"""The classifier: which topics an article belongs to, how strongly, and why."""

# ruff: noqa: RUF001 - the sample article keeps its typographic apostrophes and quotes.

from __future__ import annotations

import itertools
import json
import math
import re
from datetime import UTC, datetime

import pytest

from newsalert.classify.query.scoring import SATURATION, ZONE_CAP
from newsalert.classify.taxonomy import Taxonomy, load_taxonomy, parse_taxonomy
from newsalert.classify.topics import MAX_EVIDENCE_PER_TOPIC, classify, explain
from newsalert.classify.words import BODY
from newsalert.models import Article

SAMPLE_TITLE = "Xi Jinping holds talks with Vladimir Putin on SCO sidelines in Kazakhstan"
# The body of a real report (Bangladesh Global, 4 July 2024), boilerplate footer included,
# copied from the shared samples so that the tests do not depend on files outside the repo.
SAMPLE_BODY = (
    "International Desk, Bangladesh Global: Chinese President Xi Jinping met his Russian counterpart "
    "Vladimir Putin for the second time in less than two months on Wednesday, making him the world "
    "leader with the most frequent contact with the isolated Russian strongman.\n\n"
    "Xi and Putin met in Astana, the capital of Kazakhstan, on the sidelines of the Shanghai Cooperation "
    "Organisation summit, which both leaders are attending.\n\n"
    "It was the fifth face-to-face meeting between the two men since Russia’s invasion of Ukraine in "
    "February 2022 and the second since Putin was re-elected in March.\n\n"
    "In May, during Putin’s visit to China, both leaders vowed to deepen the “comprehensive strategic "
    "partnership” between China and Russia, including strengthening defence and military ties.\n\n"
    "At Astana, Xi spoke highly of Putin’s visit in May, saying that it provided important planning for "
    "the next step in the development of relations and that the implementation of cooperation in various "
    "areas were “progressing steadily along the established track”.\n\n"
    "Xi said the two countries should continuously “nurture the unique value of China-Russia relations "
    "and explore the endogenous dynamics of cooperation” in the face of a chaotic international "
    "situation and external environment, state broadcaster CCTV reported.\n\n"
    "“We must make efforts to safeguard the legitimate rights and interests of the two countries and "
    "defend the basic principles of international relations,” Xi told Putin.\n\n"
    "Putin hailed the “golden age” of the bilateral ties, an era “being built on the principles of "
    "equality, mutual benefit and respect for each other’s sovereignty”, according to Russia’s state "
    "TASS news agency.\n\n"
    "“We have stated that Russian-Chinese relations of comprehensive partnership and strategic "
    "cooperation are in the best period of their history,” he said, recalling the “warm welcomes” he "
    "received in the northeastern city of Harbin and “substantial talks” with Xi.\n\n"
    "Two weeks ago, Putin also visited Vietnam and North Korea; during his trip to Pyongyang, he signed "
    "a mutual military aid agreement with that nation’s leader Kim Jong-un.\n\n"
    "At the same time, China has expanded its presence in Central Asia, traditionally part of Russia’s "
    "sphere of influence.\n\n"
    "Stay tuned for latest news and updates bangladeshglobal.com Log in to get breaking news and hot "
    "topics of the day:www.bangladeshglobal.com"
)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def make_article(title: str, body: str = "", summary: str = "", url: str | None = None) -> Article:
    return Article.create(
        title=title,
        body=body,
        summary=summary,
        url=url,
        source="test",
        published=datetime(2024, 7, 4, 7, 29, tzinfo=UTC),
        received_at=datetime(2024, 7, 4, 7, 41, tzinfo=UTC),
    )


def topic_ids(article: Article, taxonomy: Taxonomy) -> set[str]:
    return {match.topic for match in classify(article, taxonomy).topics}


def small_taxonomy(query: str, *, threshold: float = 0.0) -> Taxonomy:
    """A one-category taxonomy whose only topic ``t`` has the given query."""
    return parse_taxonomy(
        "version: 1\ntopics:\n"
        f"  - {{id: t, label: T, kind: category, threshold: {threshold}, query: {json.dumps(query)}}}\n"
    )


def score_of(article: Article, taxonomy: Taxonomy, topic: str = "t") -> float:
    return next((m.score for m in classify(article, taxonomy).topics if m.topic == topic), 0.0)


# --- the sample article ------------------------------------------------------------------------


def test_sample_matches_sco_geopolitics_and_china_russia_under_politics(taxonomy: Taxonomy) -> None:
    category, topics = classify(make_article(SAMPLE_TITLE, SAMPLE_BODY), taxonomy)

    assert category == "politics"
    assert {"sco", "geopolitics", "china-russia", "politics"} <= {m.topic for m in topics}
    assert all(0.0 <= m.score <= 1.0 for m in topics)


def test_sample_evidence_points_at_the_text_it_quotes(taxonomy: Taxonomy) -> None:
    article = make_article(SAMPLE_TITLE, SAMPLE_BODY)

    for match in classify(article, taxonomy).topics:
        assert match.evidence, match.topic
        for evidence in match.evidence:
            assert getattr(article, evidence.field)[evidence.start : evidence.end] == evidence.text


def test_sample_sco_evidence_is_the_acronym_in_the_title_and_the_full_name_in_the_body(taxonomy: Taxonomy) -> None:
    article = make_article(SAMPLE_TITLE, SAMPLE_BODY)
    sco = next(m for m in classify(article, taxonomy).topics if m.topic == "sco")

    title_evidence = [e for e in sco.evidence if e.field == "title"]
    assert [(e.term, e.text, e.start) for e in title_evidence] == [("@sco:SCO", "SCO", SAMPLE_TITLE.index("SCO"))]
    assert "Shanghai Cooperation Organisation" in {e.text for e in sco.evidence if e.field == "body"}


def test_sample_china_russia_prefers_the_longest_name_and_never_overlaps(taxonomy: Taxonomy) -> None:
    article = make_article(SAMPLE_TITLE, SAMPLE_BODY)
    china_russia = next(m for m in classify(article, taxonomy).topics if m.topic == "china-russia")

    # The names (the headline's "talks" is evidence too: two leaders meeting is the relationship).
    names = [e.text for e in china_russia.evidence if e.field == "title" and e.term.startswith("@")]
    assert names == ["Xi Jinping", "Vladimir Putin"]
    spans = [(e.field, e.start, e.end) for e in china_russia.evidence]
    for (field_a, _, end_a), (field_b, start_b, _) in itertools.pairwise(spans):
        assert field_a != field_b or end_a <= start_b


def test_classification_is_deterministic(taxonomy: Taxonomy) -> None:
    article = make_article(SAMPLE_TITLE, SAMPLE_BODY)

    first = classify(article, taxonomy)
    assert classify(article, taxonomy) == first
    assert classify(article, load_taxonomy()) == first


def test_topics_are_ordered_by_score_then_id(taxonomy: Taxonomy) -> None:
    topics = classify(make_article(SAMPLE_TITLE, SAMPLE_BODY), taxonomy).topics

    assert list(topics) == sorted(topics, key=lambda m: (-m.score, m.topic))


# --- SCO traps ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body"),
    [
        pytest.param(
            "Sinner beats Medvedev to win Shanghai Masters tennis title",
            "The world number one won in straight sets at the Shanghai Masters final.",
            id="shanghai-masters",
        ),
        pytest.param(
            "SCO Group's Linux lawsuit against IBM revived",
            "An appeals court revived the SCO Group's decades-old claim that Linux copied Unix code.",
            id="sco-group-lawsuit",
        ),
        pytest.param(
            "Markets steady ahead of central bank decision",
            "Live coverage at https://news.example.com/sco/summit-live and www.example.org/SCO-summit-Astana.",
            id="url",
        ),
        pytest.param(
            "Scotland beat England in Six Nations rugby",
            "Scotland scored twice in the second half at Murrayfield.",
            id="scotland",
        ),
        pytest.param(
            "Leaders gather for the sco summit",
            "The sco summit opens in Astana on Wednesday.",
            id="lower-case",
        ),
    ],
)
def test_sco_traps_do_not_match_sco(taxonomy: Taxonomy, title: str, body: str) -> None:
    assert "sco" not in topic_ids(make_article(title, body), taxonomy)


@pytest.mark.parametrize(
    ("title", "summary", "expected"),
    [
        # "a smoking gun" is evidence, not tobacco
        (
            "Inspectors report no smoking gun",
            "The agency's inspectors found no smoking gun in the nuclear file.",
            "politics",
        ),
        ("Smoking ban in bars cuts asthma cases", "Doctors say fewer smokers means fewer asthma attacks.", "health"),
        # the tennis and golf majors by their full and AP names, and North America's soccer league
        (
            "Champion waits out the delays",
            "The weather played havoc with the United States Open schedule, but not with her serve.",
            "sport",
        ),
        ("Storms delay the U.S. Open", "Organisers moved two matches to Thursday.", "sport"),
        ("Portland signs a forward on loan", "The MLS side may make the deal permanent in the winter.", "sport"),
    ],
)
def test_category_vocabulary_reads_idioms_and_competition_names(
    title: str, summary: str, expected: str, taxonomy: Taxonomy
) -> None:
    category, _ = classify(make_article(title, summary=summary), taxonomy)

    assert category == expected


def test_sco_in_the_article_url_is_not_evidence(taxonomy: Taxonomy) -> None:
    article = make_article("Parliament debates budget", url="https://example.com/news/sco-summit-astana")

    assert "sco" not in topic_ids(article, taxonomy)


def test_sco_counts_only_within_its_context_window(taxonomy: Taxonomy) -> None:
    filler = " ".join(["word"] * 30)

    near = make_article("Leaders arrive", summary="The SCO summit opens in Astana.")
    far = make_article("Leaders arrive", summary=f"The SCO said nothing. {filler} Later, a summit.")

    assert "sco" in topic_ids(near, taxonomy)
    assert "sco" not in topic_ids(far, taxonomy)


def test_a_clear_sport_story_in_shanghai_is_sport_and_not_sco(taxonomy: Taxonomy) -> None:
    article = make_article(
        "Sinner beats Medvedev in Shanghai Masters final to win tennis title",
        "The top seed won in straight sets. The ATP tournament in Shanghai ended with a tie-break "
        "in the championship match, and Sinner's coach praised the world number one.",
    )
    category, topics = classify(article, taxonomy)

    assert category == "sport"
    assert "sco" not in {m.topic for m in topics}
    sport = next(m for m in topics if m.topic == "sport")
    assert sport.score >= 0.9


# --- china-russia: both sides needed ------------------------------------------------------------


def test_china_russia_needs_both_sides_near_each_other(taxonomy: Taxonomy) -> None:
    china_only = make_article("Chinese exports rise", "Beijing reported higher exports from China in June.")
    both = make_article("Russia and China sign gas deal", "Moscow and Beijing agreed on a new pipeline.")

    far_apart = make_article(
        "Chinese exports rise",
        "Beijing reported higher exports in June.\n\n" + "Other news. " * 20 + "\n\nRussia's grain harvest grew.",
    )

    assert "china-russia" not in topic_ids(china_only, taxonomy)
    assert "china-russia" in topic_ids(both, taxonomy)
    assert "china-russia" not in topic_ids(far_apart, taxonomy)


def test_one_word_naming_both_sides_is_enough(taxonomy: Taxonomy) -> None:
    article = make_article("Sino-Russian ties deepen", "Sino-Russian trade hit a record.")

    assert "china-russia" in topic_ids(article, taxonomy)


# --- matching rules ----------------------------------------------------------------------------


def test_phrases_ignore_case_and_spacing_but_need_whole_words() -> None:
    taxonomy = small_taxonomy('"climate change"')

    assert score_of(make_article("CLIMATE\n  Change talks"), taxonomy) > 0
    assert score_of(make_article("Climate changes"), taxonomy) == 0


def test_case_sensitive_terms_match_only_the_exact_case() -> None:
    taxonomy = small_taxonomy("NATO")

    assert score_of(make_article("NATO meets"), taxonomy) > 0
    assert score_of(make_article("Nato meets"), taxonomy) == 0


def test_straight_and_curly_apostrophes_match_each_other() -> None:
    taxonomy = small_taxonomy('"Russia\'s war"')

    assert score_of(make_article("Russia\u2019s war grinds on"), taxonomy) > 0


def test_evidence_names_the_term_as_the_query_spells_it() -> None:
    taxonomy = small_taxonomy('"Shanghai Cooperation Organization" OR sanction*')
    match = classify(make_article("shanghai cooperation organization meets on sanctions"), taxonomy).topics[0]

    assert [(e.term, e.text) for e in match.evidence] == [
        ("Shanghai Cooperation Organization", "shanghai cooperation organization"),
        ("sanction*", "sanctions"),
    ]


# --- scoring -----------------------------------------------------------------------------------


def test_a_title_mention_weighs_more_than_a_lead_mention_and_that_more_than_a_body_mention() -> None:
    taxonomy = small_taxonomy("earthquake")

    in_title = score_of(make_article("Earthquake hits"), taxonomy)
    in_lead = score_of(make_article("News", "An earthquake hit."), taxonomy)
    in_body = score_of(make_article("News", "Rescuers arrived.\n\nAn earthquake hit."), taxonomy)

    assert (in_title, in_lead, in_body) == pytest.approx((1 - math.exp(-1), 1 - math.exp(-0.75), 1 - math.exp(-0.5)))


def test_the_documented_scores_hold() -> None:
    taxonomy = small_taxonomy("earthquake OR magnitude OR rescuers OR aftershocks")
    body = "Rescuers arrived at dawn.\n\nThe earthquake had a magnitude of 6.1. Aftershocks followed."

    assert score_of(make_article("News", "Intro.\n\nAn earthquake."), taxonomy) == pytest.approx(0.39, abs=0.005)
    assert score_of(make_article("Earthquake hits"), taxonomy) == pytest.approx(0.63, abs=0.005)
    assert score_of(make_article("Earthquake hits", body), taxonomy) > 0.9


def test_repeats_add_with_diminishing_returns() -> None:
    taxonomy = small_taxonomy("earthquake OR tsunami")

    once = score_of(make_article("News", "earthquake."), taxonomy)
    twice = score_of(make_article("News", "earthquake. earthquake."), taxonomy)
    two_terms = score_of(make_article("News", "earthquake. tsunami."), taxonomy)

    assert once < twice < two_terms


def test_repeats_of_a_term_decay_from_the_strongest_hit_not_the_first_read() -> None:
    article = make_article("Earthquake", "Intro.\n\nearthquake")
    one_weight = small_taxonomy("earthquake")
    body_weighs_more = small_taxonomy("title:earthquake OR body:earthquake^3")

    # Title 2.0 in full, then the body 1.0 at half; with ^3 the body (3.0) is the strongest.
    assert score_of(article, one_weight) == pytest.approx(1 - math.exp(-(2.0 + 1.0 * 0.5) / SATURATION))
    assert score_of(article, body_weighs_more) == pytest.approx(1 - math.exp(-(3.0 + 2.0 * 0.5) / SATURATION))


def test_the_score_saturates_below_one_and_body_alone_is_capped() -> None:
    taxonomy = small_taxonomy("earthquake^5 OR tsunami^5")

    body_only = score_of(make_article("News", "Intro.\n\n" + "earthquake tsunami " * 500), taxonomy)

    assert body_only == pytest.approx(1 - math.exp(-ZONE_CAP[BODY] / SATURATION))
    assert 0 < score_of(make_article("Earthquake tsunami " * 50, "earthquake " * 500), taxonomy) <= 1.0


def test_a_topic_below_its_threshold_is_not_matched() -> None:
    taxonomy = small_taxonomy("earthquake", threshold=0.9)

    assert classify(make_article("News", "An earthquake hit."), taxonomy).topics == ()


def test_evidence_is_capped_but_in_reading_order() -> None:
    taxonomy = small_taxonomy("quake")
    match = classify(make_article("Quake", "quake " * 100), taxonomy).topics[0]

    assert len(match.evidence) == MAX_EVIDENCE_PER_TOPIC
    assert match.evidence[0].field == "title"
    assert [e.start for e in match.evidence[1:]] == sorted(e.start for e in match.evidence[1:])


# --- category ----------------------------------------------------------------------------------

WATCH_ONLY = """
version: 1
topics:
  - {id: politics, label: Politics, kind: category, threshold: 0.5, query: parliament}
  - id: sco
    label: SCO
    parent: politics
    kind: watch
    threshold: 0.3
    query: '"Shanghai Cooperation Organisation"'
"""


def test_the_category_falls_back_to_the_parent_of_the_best_watch_topic() -> None:
    taxonomy = parse_taxonomy(WATCH_ONLY)

    category, topics = classify(make_article("News", "The Shanghai Cooperation Organisation met."), taxonomy)

    assert category == "politics"
    assert [m.topic for m in topics] == ["sco"]


def test_nothing_matched_gives_no_category(taxonomy: Taxonomy) -> None:
    assert classify(make_article("Lorem ipsum", "dolor sit amet"), taxonomy) == (None, ())


def test_the_best_category_wins_over_a_better_watch_topic() -> None:
    taxonomy = parse_taxonomy(WATCH_ONLY)

    category, topics = classify(
        make_article("Parliament meets", "The Shanghai Cooperation Organisation met."), taxonomy
    )

    assert category == "politics"
    assert [m.topic for m in topics] == ["politics", "sco"]


def test_queries_are_compiled_at_load_not_per_article(monkeypatch: pytest.MonkeyPatch) -> None:
    taxonomy = load_taxonomy()
    expected = classify(make_article(SAMPLE_TITLE, SAMPLE_BODY), taxonomy)

    def no_compiling(*args: object, **kwargs: object) -> re.Pattern[str]:
        raise AssertionError("re.compile called while classifying")

    monkeypatch.setattr(re, "compile", no_compiling)
    assert classify(make_article(SAMPLE_TITLE, SAMPLE_BODY), taxonomy) == expected


# --- explain -----------------------------------------------------------------------------------


def test_explain_gives_a_verdict_for_every_topic_in_taxonomy_order(taxonomy: Taxonomy) -> None:
    article = make_article(SAMPLE_TITLE, SAMPLE_BODY)

    verdicts = explain(article, taxonomy)

    assert [v.topic for v in verdicts] == [topic.id for topic in taxonomy.topics]
    matched = {v.topic: v for v in verdicts if v.matched}
    assert {(m.topic, m.score, m.evidence) for m in classify(article, taxonomy).topics} == {
        (v.topic, v.score, v.evidence) for v in matched.values()
    }
    assert matched["sco"].reason == "score 0.92 reached threshold 0.7"


def test_explain_says_why_china_russia_did_not_match(taxonomy: Taxonomy) -> None:
    verdict = next(
        v
        for v in explain(make_article("Chinese exports rise", "Beijing reported growth."), taxonomy)
        if v.topic == "china-russia"
    )

    assert not verdict.matched
    assert verdict.score == 0.0
    assert verdict.reason.startswith("query did not match: ")
    # China is there; what is missing is a Russian side in the headline or the lead.
    assert "needs one of (subject:@russia OR subject:@vladimir-putin); found none" in verdict.reason
    assert [e.text for e in verdict.evidence] == ["Chinese", "Beijing"]


def test_explain_names_an_ambiguous_alias_left_out_for_want_of_context(taxonomy: Taxonomy) -> None:
    verdict = next(v for v in explain(make_article("SCO reports quarterly results"), taxonomy) if v.topic == "sco")

    assert verdict.reason == "query did not match: needs @sco^2; found SCO but without the context that makes it @sco"


def test_a_tie_between_categories_goes_to_the_one_with_more_evidence_not_the_first_id() -> None:
    # Both categories reach the lead's cap (3.0), so their scores tie exactly; zzz has two finds.
    taxonomy = parse_taxonomy(
        """
version: 1
topics:
  - {id: aaa, label: A, parent: null, kind: category, threshold: 0.3, query: 'alpha^3'}
  - {id: zzz, label: Z, parent: null, kind: category, threshold: 0.3, query: 'beta^2 OR gamma^2'}
"""
    )
    now = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)
    article = Article.create(
        title="Headline", summary="alpha beta gamma", source="Desk", published=now, received_at=now
    )

    category, topics = classify(article, taxonomy)

    assert topics[0].score == topics[1].score
    assert category == "zzz"
