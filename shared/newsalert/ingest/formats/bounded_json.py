"""Reading JSON that anyone may send, without letting its nesting take the reader down.

Python's parser recurses once per level and gives up with ``RecursionError`` near a thousand
levels, which would surface as a 500 or a traceback. ``load_json`` measures the nesting first,
skipping over strings, and refuses a document deeper than ``MAX_JSON_DEPTH`` with a reason
that says so; an article is two levels deep (a list of objects), a labelled one a few more.
"""

from __future__ import annotations

import json
import re
from typing import Any

from newsalert.ingest.limits import MAX_JSON_DEPTH

# A JSON string (skipped whole, so that brackets inside it do not count) or a bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class JsonTooDeepError(ValueError):
    """JSON nested deeper than ``MAX_JSON_DEPTH`` levels; the message is the reason to show."""


def too_deep_reason(limit: int = MAX_JSON_DEPTH) -> str:
    return f"JSON nested deeper than {limit} levels (an article is two): not read"


def nesting_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` anywhere in ``text``."""
    if text.count("[") + text.count("{") <= limit:
        return False  # the usual case: too few brackets to be that deep, no scan
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        character = match.group()[0]
        if character in "[{":
            depth += 1
            if depth > limit:
                return True
        elif character in "]}":
            depth -= 1
    return False


def load_json(text: str) -> Any:
    """``json.loads``, refusing nesting deeper than ``MAX_JSON_DEPTH`` with ``JsonTooDeepError``.

    Other errors are ``json.JSONDecodeError`` as usual (``JsonTooDeepError`` is not one).
    """
    if nesting_exceeds(text):
        raise JsonTooDeepError(too_deep_reason())
    return json.loads(text)
