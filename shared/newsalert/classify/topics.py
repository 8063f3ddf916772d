"""Classify an article: which topics it belongs to, how strongly, and why.

Pure domain code. The article is read once (``TextIndex``), every word and phrase of every
query and entity is found in it at once (``PatternSet``), entity mentions are resolved once
(``EntityCatalog.mentions``), and then each topic's compiled query only looks up what was
found. A topic none of whose terms is in the article is skipped without evaluating anything,
which is most topics for most articles.

A topic matches when its query matches **and** its score (``newsalert.classify.query.scoring``)
reaches its threshold. The category is the root of the best-scoring matched category or,
when no category matched, of the best-scoring matched watch topic. Same article, same
taxonomy: same topics, scores and evidence, in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from newsalert.classify.query import Document, Hit
from newsalert.classify.query.explain import found_hits, why_not
from newsalert.classify.query.scoring import weigh, without_overlaps
from newsalert.classify.taxonomy import Taxonomy, Topic
from newsalert.classify.words import FieldName, TextIndex
from newsalert.models import Article, Evidence, TopicMatch

MAX_EVIDENCE_PER_TOPIC = 20
"""Evidence kept per topic (the score uses every hit; the record needs only the first few)."""


class ClassifyResult(NamedTuple):
    category: str | None
    """The top-level category, or None when nothing matched."""
    topics: tuple[TopicMatch, ...]
    """Every matched topic, best score first, then by id."""


@dataclass(frozen=True)
class TopicVerdict:
    """What the classifier made of one topic for one article, matched or not, and why."""

    topic: str
    label: str
    kind: Literal["category", "watch"]
    matched: bool
    """The query matched and the score reached the threshold: the topic is in ``classify``'s result."""
    score: float
    """The topic's score, 0.0 when its query did not match."""
    threshold: float
    evidence: tuple[Evidence, ...]
    """For a match, its evidence; otherwise what was found of the query's terms (maybe nothing)."""
    reason: str
    """One line: "query did not match: needs ...; found only ...", "score 0.31 below threshold 0.5",
    or "score 0.92 reached threshold 0.5"."""


def read_article(article: Article, taxonomy: Taxonomy) -> Document:
    """The article as every query of ``taxonomy`` reads it: its words, what was found, its entities."""
    index = TextIndex(article.title, article.summary, article.body)
    found = taxonomy.patterns.find(index)
    mentions, rejected = taxonomy.entities.mentions(found)
    return Document(index, found, mentions, rejected)


def classify(article: Article, taxonomy: Taxonomy) -> ClassifyResult:
    """Every topic of the taxonomy the article belongs to, with scores, evidence and the category."""
    return classify_document(read_article(article, taxonomy), taxonomy)


def classify_document(document: Document, taxonomy: Taxonomy) -> ClassifyResult:
    """``classify``, for an article already read (the story grouper reuses the reading)."""
    matched: list[tuple[Topic, TopicMatch]] = []
    for topic, compiled in taxonomy.matchers:
        if compiled.keys.isdisjoint(document.present):
            continue  # none of its terms is in the article: it cannot match
        hits = compiled.evaluate(document)
        if not hits:
            continue
        topic_score, kept = weigh(hits)
        if topic_score >= topic.threshold:
            matched.append((topic, _match(topic, topic_score, _evidence(kept, document))))
    matched.sort(key=lambda pair: (-pair[1].score, pair[1].topic))
    return ClassifyResult(_category(matched, taxonomy), tuple(match for _, match in matched))


def explain(article: Article, taxonomy: Taxonomy) -> list[TopicVerdict]:
    """A verdict for every topic of the taxonomy, in taxonomy order, each with its reason."""
    document = read_article(article, taxonomy)
    return [_verdict(topic, taxonomy, document) for topic in taxonomy.topics]


def _verdict(topic: Topic, taxonomy: Taxonomy, document: Document) -> TopicVerdict:
    hits = taxonomy.compiled(topic.id).evaluate(document)
    if not hits:
        found = _match(topic, 0.0, _evidence(without_overlaps(found_hits(topic.query, document)), document))
        reason = f"query did not match: {why_not(topic.query.root, document)}"
        return TopicVerdict(topic.id, topic.label, topic.kind, False, 0.0, topic.threshold, found.evidence, reason)
    topic_score, kept = weigh(hits)
    matched = topic_score >= topic.threshold
    relation = "reached" if matched else "below"
    reason = f"score {_shown(topic_score, topic.threshold)} {relation} threshold {topic.threshold:g}"
    evidence = _match(topic, topic_score, _evidence(kept, document)).evidence
    return TopicVerdict(topic.id, topic.label, topic.kind, matched, topic_score, topic.threshold, evidence, reason)


def _shown(value: float, bar: float) -> str:
    # Two decimals would read "0.50 below threshold 0.5" for 0.4996: show as many as it takes.
    for decimals in (2, 4, 6):
        shown = f"{value:.{decimals}f}"
        if (float(shown) >= bar) == (value >= bar):
            return shown
    return repr(value)


def _evidence(hits: list[Hit], document: Document) -> tuple[Evidence, ...]:
    """The first hits as ``Evidence``, with their text and offsets in the article's fields."""
    evidence: list[Evidence] = []
    zones = document.index.zones
    shown = -1
    starts: list[int] = []
    words: list[str] = []
    text = ""
    field: FieldName = "title"
    for zone_number, first, last, _term, label, _weight in hits[:MAX_EVIDENCE_PER_TOPIC]:
        if zone_number != shown:  # hits come in reading order: the zone changes at most twice
            zone = zones[zone_number]
            shown, starts, words, text, field = zone_number, zone.starts(), zone.words, zone.text, zone.field
        # Zone.span, inlined: this runs for every piece of evidence of every matched topic.
        start, end = starts[first], starts[last] + len(words[last])
        evidence.append(Evidence(label, text[start:end], field, start, end))
    return tuple(evidence)


def _match(topic: Topic, score: float, evidence: tuple[Evidence, ...]) -> TopicMatch:
    # Validated like any record; the evidence, already ``Evidence`` instances, is taken as it is.
    return TopicMatch.model_validate({"topic": topic.id, "label": topic.label, "score": score, "evidence": evidence})


def _category(ranked: list[tuple[Topic, TopicMatch]], taxonomy: Taxonomy) -> str | None:
    """The root of the best matched category, else of the best matched watch topic, else None."""
    # Among categories with the same score (the caps make ties common), the one with more distinct
    # evidence wins rather than the alphabetically first.
    categories = sorted(
        ((topic, match) for topic, match in ranked if topic.kind == "category"),
        key=lambda pair: (-pair[1].score, -len(pair[1].evidence), pair[0].id),
    )
    best = categories[0][0] if categories else (ranked[0][0] if ranked else None)
    return taxonomy.root_of(best.id).id if best else None
