"""How much of each kind of input newsalert reads: one limit per kind, the same for ingest and every command.

Ingest (polls, dropped files, pushes), ``newsalert parse``, ``classify`` and ``simulate`` import
these constants instead of keeping their own, so a file that one of them takes is never refused
by another for its size. The README's "Limits per input kind" table says the same.

Why these numbers:

- Every article, whatever it came in as, keeps at most ``MAX_TITLE_LENGTH``, ``MAX_SUMMARY_LENGTH``
  and ``MAX_BODY_LENGTH`` characters, the body also at most ``MAX_BODY_BYTES`` bytes (cut at a word,
  flagged ``text-truncated``; a cut summary with no body is kept whole as the body, as a feed item's
  description is). An article's message then stays under the 256 KiB of an SQS queue
  (whatever its script, escaped or not), its alert under SNS's 256 KiB (title and summary, no
  body) and its item under DynamoDB's 400 KB (which holds no body).
- A raw text or HTML article file: 1 MiB, several times the longest news story with its markup.
- JSON articles (a request to ``POST /articles`` or a dropped ``.json``/``.jsonl`` file): 4 MiB and
  100 articles. Lambda takes at most 6 MB per synchronous request, and API Gateway passes a body it
  does not read as text base64-encoded, a third larger: 4 MiB is what still fits.
- A feed document, fetched or dropped: 5 MiB and 500 items; the fetcher stops reading at the same
  size (after decompression).
- A dropped file of any kind over the largest of these is quarantined unread.
- JSON nested deeper than ``MAX_JSON_DEPTH`` is refused before it is parsed: an article is two
  levels deep, and Python's parser would give up (``RecursionError``) near a thousand.
"""

from __future__ import annotations

MAX_TITLE_LENGTH = 300
MAX_SUMMARY_LENGTH = 300
MAX_BODY_LENGTH = 100_000
MAX_BODY_BYTES = 100_000
"""A body is also cut to this many bytes of UTF-8 (about 33,000 characters of Japanese or Chinese):
even escaped in JSON, an article then fits the 256 KiB that an SQS queue takes by default."""

MAX_ARTICLE_FILE_BYTES = 1_048_576
MAX_JSON_BYTES = 4 * 1_048_576
MAX_JSON_ARTICLES = 100
MAX_FEED_BYTES = 5 * 1_048_576
MAX_FEED_ITEMS = 500
MAX_DROPPED_FILE_BYTES = max(MAX_ARTICLE_FILE_BYTES, MAX_JSON_BYTES, MAX_FEED_BYTES)

MAX_JSON_DEPTH = 64


def size_refusal(what: str, size: int, limit: int) -> str:
    """The reason an input over its kind's limit is refused, the same words wherever it is refused."""
    return f"{what} is {size:,} bytes, over the limit of {limit:,} bytes: not read"
