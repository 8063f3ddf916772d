"""Turning a breaking article into an alert: which story, which update, to whom, with what text.

The alert holds the text as written; ``newsalert.notify.rendering`` makes it into what each
channel shows.
"""

from __future__ import annotations

from newsalert.models import Alert, AlertRoute, ClassifiedArticle, StoryRef

SUMMARY_SOURCE_LIMIT = 400
"""Characters of the body an alert takes as its summary when the article has none."""


def build_alert(classified: ClassifiedArticle, story: StoryRef, update: int, routes: tuple[AlertRoute, ...]) -> Alert:
    """Update ``update`` of the story's alert, with the article that made it, to the followers of ``routes``."""
    article, classification = classified.article, classified.classification
    return Alert(
        alert_id=f"{story.story_id}#{update}",
        story_id=story.story_id,
        update=update,
        article_id=article.id,
        title=article.title,
        url=article.url,
        source=article.source,
        source_timezone=article.source_timezone,
        published=article.published,
        language=article.language,
        summary=article.summary or article.body[:SUMMARY_SOURCE_LIMIT],
        topics=tuple(route.topic for route in routes),
        topic_labels=tuple(route.label for route in routes),
        urgency=classification.urgency,
        urgency_reasons=classification.urgency_reasons,
        other_outlets=tuple(outlet for outlet in story.outlets if outlet != article.source),
    )
