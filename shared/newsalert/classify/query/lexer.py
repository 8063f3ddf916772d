"""Cut a query into tokens, each with its position, refusing what can never be part of one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from newsalert.classify.query.errors import QuerySyntaxError

TokenKind = Literal[
    "(", ")", "AND", "OR", "NOT", "NEAR", "MENTIONS", "FIELD", "WORD", "PHRASE", "ENTITY", "WEIGHT", "END"
]

FIELDS = ("title", "lead", "body", "subject")
MAX_NEAR = 50
"""Greatest NEAR distance: further apart than this, two words are not "near" in any useful sense."""

# Everything but these characters (and white space) can be part of a word: punctuation inside a
# word (China-Russia, U.S., S&P) is read as the article's text is, as word separators.
_SYNTAX = '()"^*:'
_ENTITY_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# Found with one search each rather than character by character: the watch topics' queries run to
# thousands of words in ten languages, and the taxonomy is read at every cold start.
_SPACES = re.compile(r"\s+")
_WORD_END = re.compile(r"[\s" + re.escape(_SYNTAX) + "]")
MAX_MENTIONS = 20
"""Greatest count MENTIONS/n asks for: more than this is no longer a question of salience."""
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_OPERATORS: dict[str, TokenKind] = {"AND": "AND", "OR": "OR", "NOT": "NOT"}


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    position: int
    """0-based offset of the token's first character in the query."""
    text: str = ""
    """What the token stands for: the word or phrase, the field name, the entity id."""
    number: float = 0.0
    """The NEAR distance or the weight."""
    prefix: bool = False
    """A word written with a trailing ``*``."""

    def describe(self) -> str:
        """The token as an error message names it."""
        if self.kind == "END":
            return "the end of the query"
        if self.kind in ("WORD", "PHRASE", "ENTITY", "FIELD", "WEIGHT", "NEAR", "MENTIONS"):
            return {
                "WORD": f"the word {self.text!r}",
                "PHRASE": f'the phrase "{self.text}"',
                "ENTITY": f"@{self.text}",
                "FIELD": f"{self.text}:",
                "WEIGHT": f"the weight ^{self.number:g}",
                "NEAR": f"NEAR/{self.number:g}",
                "MENTIONS": f"MENTIONS/{self.number:g}",
            }[self.kind]
        return f"'{self.kind}'" if self.kind in "()" else self.kind


def tokenize(query: str) -> list[Token]:
    """The tokens of ``query``, ending with an ``END`` token; raises ``QuerySyntaxError``."""
    tokens = []
    position = 0
    while position < len(query):
        spaces = _SPACES.match(query, position)
        if spaces:
            position = spaces.end()
            continue
        token, position = _next_token(query, position)
        tokens.append(token)
    tokens.append(Token("END", len(query)))
    return tokens


def _next_token(query: str, start: int) -> tuple[Token, int]:
    char = query[start]
    if char in "()":
        return Token("(" if char == "(" else ")", start), start + 1
    if char == '"':
        return _phrase(query, start)
    if char == "@":
        return _entity(query, start)
    if char == "^":
        return _weight(query, start)
    if char == "*":
        raise QuerySyntaxError("'*' must follow a word", query, start, "as in sanction*")
    if char == ":":
        raise QuerySyntaxError("':' must follow a field name", query, start, "title:, lead:, body: or subject:")
    return _word(query, start)


def _phrase(query: str, start: int) -> tuple[Token, int]:
    end = query.find('"', start + 1)
    if end < 0:
        raise QuerySyntaxError("unterminated phrase", query, start, "no closing '\"'")
    text = " ".join(query[start + 1 : end].split())
    if not any(char.isalnum() for char in text):
        raise QuerySyntaxError("empty phrase", query, start)
    if "*" in text:
        raise QuerySyntaxError("a wildcard cannot stand in a phrase", query, start + 1 + query[start + 1 :].index("*"))
    return Token("PHRASE", start, text), end + 1


def _entity(query: str, start: int) -> tuple[Token, int]:
    end = start + 1
    while end < len(query) and (query[end].isalnum() or query[end] in "-_"):
        end += 1
    name = query[start + 1 : end]
    if not _ENTITY_ID.fullmatch(name):
        raise QuerySyntaxError(
            f"'@{name}' is not an entity id" if name else "'@' must be followed by an entity id",
            query,
            start,
            "lower-case letters, digits and hyphens, as in @xi-jinping",
        )
    return Token("ENTITY", start, name), end


def _weight(query: str, start: int) -> tuple[Token, int]:
    found = _NUMBER.match(query, start + 1)
    if not found:
        raise QuerySyntaxError("expected a number after '^'", query, start + 1, "as in Astana^2")
    return Token("WEIGHT", start, found.group(), number=float(found.group())), found.end()


def _word(query: str, start: int) -> tuple[Token, int]:
    found = _WORD_END.search(query, start)
    end = found.start() if found else len(query)
    word = query[start:end]
    if end < len(query) and query[end] == ":":
        if word not in FIELDS:
            raise QuerySyntaxError(
                f"unknown field '{word}:'", query, start, "the fields are title:, lead:, body: and subject:"
            )
        return Token("FIELD", start, word), end + 1
    if word in _OPERATORS:
        return Token(_OPERATORS[word], start, word), end
    if word == "NEAR" or word.startswith("NEAR/"):
        return _near(query, start, word), end
    if word == "MENTIONS" or word.startswith("MENTIONS/"):
        return _mentions(query, start, word), end
    if not any(char.isalnum() for char in word):
        raise QuerySyntaxError(f"'{word}' has no letters or digits", query, start)
    if end < len(query) and query[end] == "*":
        after = end + 1
        if after < len(query) and (query[after].isalnum() or query[after] == "*"):
            raise QuerySyntaxError("'*' can only end a word", query, end, "a prefix, as in sanction*")
        return Token("WORD", start, word, prefix=True), after
    return Token("WORD", start, word), end


def _near(query: str, start: int, word: str) -> Token:
    return _counted(query, start, word, "NEAR", ("a distance in words", "distance"), range(1, MAX_NEAR + 1))


def _mentions(query: str, start: int, word: str) -> Token:
    return _counted(query, start, word, "MENTIONS", ("a count", "count"), range(2, MAX_MENTIONS + 1))


def _counted(query: str, start: int, word: str, kind: TokenKind, what: tuple[str, str], allowed: range) -> Token:
    """``NEAR/5``, ``MENTIONS/2``: an operator with its number, which must be in ``allowed``."""
    found = re.fullmatch(rf"{kind}/(\d+)", word)
    if not found:
        raise QuerySyntaxError(f"{kind} needs {what[0]}", query, start, f"as in {kind}/{allowed.start + 1}")
    number = int(found.group(1))
    if number not in allowed:
        raise QuerySyntaxError(
            f"{kind} {what[1]} {number} is out of range", query, start, f"from {allowed.start} to {allowed.stop - 1}"
        )
    return Token(kind, start, word, number=number)
