"""Why an input could not become an article.

Ingest quarantines an input that raises one of these and shows ``reason`` to
operators, so each reason names the specific problem, not just "parse error".
"""

from __future__ import annotations


class ParseError(ValueError):
    """An input that cannot be turned into articles; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ArticleParseError(ParseError):
    """A single article file (raw text or an HTML page) that cannot be read."""


class FeedParseError(ParseError):
    """An RSS or Atom document that is refused or cannot be read as a feed."""


class UnsupportedInputError(ParseError):
    """A document of a kind newsalert does not read (a PDF, an image, an archive...), named in the reason."""
