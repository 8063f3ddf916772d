"""Classify an article: which topics it belongs to, how strongly, and why.

Pure domain code: the taxonomy brings compiled matchers, this module finds
their terms in the article, weighs the evidence and ranks the topics.

How a topic is scored (deterministic: the same article and taxonomy always
give the same floats, in the same order):

1. Every find of a term gives ``term weight x field weight`` (title 2.0,
   summary 1.5, body 1.0): a headline that names a subject says more than a
   passing mention deep in the text.
2. Repeats of one term (aliases included) add with diminishing returns: the
   strongest find counts in full, the next half, the next a quarter... so a
   body that says "Russia" twenty times is not twenty times more Russian.
3. The summary and the body each add at most ``FIELD_CAP`` (3.0), so that a
   long text alone cannot reach a high score; to score near 1 the topic must
   also be in the headline (or the lead).
4. The total ``E`` saturates: ``score = 1 - exp(-E / 2)``. One body mention
   gives 0.39, a headline mention 0.63, a headline mention with a full body
   about it 0.92; more evidence never takes the score past 1.

Finds inside URLs (``www.example.com/sco/...``) are ignored, a find that
overlaps a longer find of the same topic is dropped (so "Xi Jinping" is not
also "Xi"), and terms with a context rule count only with their context near.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from newsalert.models import Article, Evidence, TopicMatch
from newsalert.taxonomy import CompiledContext, CompiledTerms, Taxonomy, Topic

FieldName = Literal["title", "summary", "body"]
FIELDS: tuple[FieldName, ...] = ("title", "summary", "body")
FIELD_WEIGHT: dict[FieldName, float] = {"title": 2.0, "summary": 1.5, "body": 1.0}
FIELD_CAP: dict[FieldName, float] = {"title": math.inf, "summary": 3.0, "body": 3.0}
REPEAT_DECAY = 0.5
SATURATION = 2.0
MAX_EVIDENCE_PER_TOPIC = 20
"""Evidence kept per topic (the score uses every find; the record needs only the first few)."""

_WORD = re.compile(r"\w+")
# Links with a scheme or "www.", and host/path forms such as example.com/sco/summit.
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.IGNORECASE)


class ClassifyResult(NamedTuple):
    category: str | None
    """The top-level category, or None when nothing matched."""
    topics: tuple[TopicMatch, ...]
    """Every matched topic, best score first, then by id."""


@dataclass(frozen=True, slots=True)
class _Find:
    field: FieldName
    start: int
    end: int
    term: str
    spelling: str
    weight: float


class _FieldText:
    """One field of the article, with what the matcher needs to know about it computed once."""

    def __init__(self, name: FieldName, text: str) -> None:
        self.name = name
        self.text = text
        self._word_starts = [word.start() for word in _WORD.finditer(text)]
        self._url_spans = [url.span() for url in _URL.finditer(text)]
        self._context_words: dict[CompiledContext, list[tuple[int, int]]] = {}

    def in_url(self, start: int, end: int) -> bool:
        return any(start < url_end and url_start < end for url_start, url_end in self._url_spans)

    def _word_index(self, offset: int) -> int:
        return bisect_right(self._word_starts, offset) - 1

    def _word_span(self, start: int, end: int) -> tuple[int, int]:
        return self._word_index(start), self._word_index(end - 1)

    def has_context(self, context: CompiledContext, start: int, end: int) -> bool:
        """Whether a context phrase stands within ``context.within`` words of text[start:end]."""
        if context not in self._context_words:
            self._context_words[context] = [
                self._word_span(*found.span())
                for found in context.pattern.finditer(self.text)
                if not self.in_url(*found.span())
            ]
        first, last = self._word_span(start, end)
        for context_first, context_last in self._context_words[context]:
            if context_first > last:
                distance = context_first - last
            elif context_last < first:
                distance = first - context_last
            else:
                distance = 0
            if distance <= context.within:
                return True
        return False


def _finds(terms: CompiledTerms, fields: Iterable[_FieldText]) -> list[_Find]:
    finds = []
    for field in fields:
        for found in terms.scan(field.text):
            if field.in_url(found.start, found.end):
                continue
            if found.context is not None and not field.has_context(found.context, found.start, found.end):
                continue
            finds.append(_Find(field.name, found.start, found.end, found.term, found.spelling, found.weight))
    return finds


def _field_rank(field: FieldName) -> int:
    return FIELDS.index(field)


def _without_overlaps(finds: list[_Find]) -> list[_Find]:
    """Keep the leftmost, then longest, of overlapping finds; the result is in reading order."""
    kept: list[_Find] = []
    reached: dict[FieldName, int] = {}
    for find in sorted(finds, key=lambda f: (_field_rank(f.field), f.start, f.start - f.end, f.term)):
        if find.start >= reached.get(find.field, 0):
            kept.append(find)
            reached[find.field] = find.end
    return kept


def _topic_finds(topic: Topic, taxonomy: Taxonomy, fields: list[_FieldText]) -> list[_Find]:
    matcher = taxonomy.matcher(topic.id)
    group_finds = [_finds(group, fields) for group in matcher.all_of]
    if not all(group_finds):
        return []  # an all_of group found nothing: the topic does not match, whatever else was found
    finds = _finds(matcher.any_terms, fields)
    for found in group_finds:
        finds.extend(found)
    return _without_overlaps(finds)


def _score(finds: list[_Find]) -> float:
    """Saturating score of weighted evidence; see the module docstring."""

    def strength(find: _Find) -> float:
        return find.weight * FIELD_WEIGHT[find.field]

    per_field: dict[FieldName, float] = defaultdict(float)
    repeats: dict[str, int] = defaultdict(int)
    for find in sorted(finds, key=lambda f: (f.term, -strength(f), _field_rank(f.field), f.start)):
        per_field[find.field] += strength(find) * REPEAT_DECAY ** repeats[find.term]
        repeats[find.term] += 1
    evidence = sum(min(total, FIELD_CAP[field]) for field, total in per_field.items())
    return 1.0 - math.exp(-evidence / SATURATION)


def _evidence(finds: list[_Find], fields: dict[FieldName, str]) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(term=f.spelling, text=fields[f.field][f.start : f.end], field=f.field, start=f.start, end=f.end)
        for f in finds[:MAX_EVIDENCE_PER_TOPIC]
    )


def classify(article: Article, taxonomy: Taxonomy) -> ClassifyResult:
    """Match every topic of the taxonomy against the article's title, summary and body.

    The category is the top-level topic of the best-scoring matched category
    or, when no category matched, of the best-scoring watch topic.
    """
    texts: dict[FieldName, str] = {"title": article.title, "summary": article.summary, "body": article.body}
    fields = [_FieldText(name, texts[name]) for name in FIELDS if texts[name]]
    matches = []
    for topic in taxonomy.topics:
        finds = _topic_finds(topic, taxonomy, fields)
        if not finds:
            continue
        score = _score(finds)
        if score >= topic.threshold:
            matches.append(TopicMatch(topic=topic.id, label=topic.label, score=score, evidence=_evidence(finds, texts)))
    matches.sort(key=lambda m: (-m.score, m.topic))
    return ClassifyResult(_category(matches, taxonomy), tuple(matches))


def _category(matches: list[TopicMatch], taxonomy: Taxonomy) -> str | None:
    categories = [m for m in matches if taxonomy.topic(m.topic).kind == "category"]
    best = categories[0] if categories else (matches[0] if matches else None)
    return taxonomy.root_of(best.topic).id if best else None
