"""Read a query into its tree, or say exactly where and why it cannot be read.

The grammar (docs/topic-queries.md), from the loosest binding to the tightest::

    query      := or_expr
    or_expr    := and_expr ( "OR" and_expr )*
    and_expr   := not_expr ( [ "AND" ] not_expr )*     -- side by side means AND
    not_expr   := "NOT" not_expr | "MENTIONS/" N near_expr | near_expr
    near_expr  := primary ( "NEAR/" N primary )*
    primary    := "(" or_expr ")" | FIELD ":" primary | term
    term       := WORD [ "*" ] [ "^" WEIGHT ] | '"' words '"' [ "^" WEIGHT ] | "@" ENTITY [ "^" WEIGHT ]

Beyond the grammar, a query is refused when it could match an article that contains none of
its terms (``NOT x`` alone, ``a OR NOT b``), when a side of NEAR is an AND or a NOT (there
is no single place to measure the distance from), and when it names an entity that is not
known.
"""

from __future__ import annotations

from collections.abc import Collection

from newsalert.classify.query.errors import QuerySyntaxError
from newsalert.classify.query.lexer import Token, tokenize
from newsalert.classify.query.nodes import And, EntityRef, Mentions, Near, Node, Not, Or, Query, Term
from newsalert.classify.query.patterns import make_pattern, written_in_capitals
from newsalert.classify.words import ScopeName

MAX_WEIGHT = 5.0

_SCOPES: dict[str, ScopeName] = {"title": "title", "lead": "lead", "body": "body", "subject": "subject"}
_WITHIN_SUBJECT = frozenset({"title", "lead"})
"""The scopes that narrow ``subject:`` (the headline and the lead) rather than contradict it."""
_STARTS_PRIMARY = frozenset({"(", "FIELD", "WORD", "PHRASE", "ENTITY"})
_STARTS_OPERAND = _STARTS_PRIMARY | {"NOT", "MENTIONS"}


def parse_query(text: str, *, known_entities: Collection[str] | None = None) -> Query:
    """Parse ``text``; with ``known_entities``, an ``@id`` not among them is an error.

    Raises ``QuerySyntaxError`` with the position of the first problem.
    """
    root = _Parser(text, tokenize(text), known_entities).parse()
    _check_needs_a_term(root, text)
    return Query(text, root)


class _Parser:
    def __init__(self, text: str, tokens: list[Token], known_entities: Collection[str] | None) -> None:
        self._text = text
        self._tokens = tokens
        self._next = 0
        self._known_entities = known_entities

    def parse(self) -> Node:
        if self._peek().kind == "END":
            raise self._error("the query is empty", 0)
        node = self._or(None)
        leftover = self._peek()
        if leftover.kind == ")":
            raise self._error("unexpected ')'", leftover.position, "no '(' before it")
        if leftover.kind != "END":
            raise self._error(f"unexpected {leftover.describe()}", leftover.position)
        return node

    # --- one method per grammar rule ---------------------------------------------------------

    def _or(self, scope: ScopeName | None) -> Node:
        children = [self._and(scope)]
        while self._peek().kind == "OR":
            self._operand_must_follow(self._take())
            children.append(self._and(scope))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def _and(self, scope: ScopeName | None) -> Node:
        children = [self._not(scope)]
        while True:
            upcoming = self._peek()
            if upcoming.kind == "AND":
                self._operand_must_follow(self._take())
            elif upcoming.kind not in _STARTS_OPERAND:
                break
            children.append(self._not(scope))
        return children[0] if len(children) == 1 else And(tuple(children))

    def _not(self, scope: ScopeName | None) -> Node:
        if self._peek().kind == "MENTIONS":
            return self._mentions(scope)
        if self._peek().kind != "NOT":
            return self._near(scope)
        operator = self._take()
        self._operand_must_follow(operator)
        return Not(self._not(scope), operator.position)

    def _mentions(self, scope: ScopeName | None) -> Node:
        operator = self._take()
        self._operand_must_follow(operator)
        if self._peek().kind in ("NOT", "MENTIONS"):
            raise self._error(
                f"{operator.text} counts terms, not a NOT or another MENTIONS",
                self._peek().position,
                "as in MENTIONS/2 (@china OR @russia)",
            )
        return Mentions(self._near(scope), int(operator.number), operator.position)

    def _near(self, scope: ScopeName | None) -> Node:
        left = self._primary(scope)
        while self._peek().kind == "NEAR":
            operator = self._take()
            if self._peek().kind == "NOT":
                raise self._error(f"a side of {operator.text} cannot be a NOT", self._peek().position)
            self._operand_must_follow(operator)
            right = self._primary(scope)
            for side in (left, right):
                if not _fits_beside_near(side):
                    raise self._error(
                        f"a side of {operator.text} must be a term or an OR of terms",
                        operator.position,
                        "not an AND or a NOT: put AND outside, as in (a NEAR/5 b) AND c",
                    )
            left = Near(left, right, int(operator.number))
        return left

    def _primary(self, scope: ScopeName | None) -> Node:
        token = self._take()
        match token.kind:
            case "(":
                return self._group(token, scope)
            case "FIELD":
                return self._scoped(token, scope)
            case "WORD" | "PHRASE":
                return self._term(token, scope)
            case "ENTITY":
                return self._entity(token, scope)
            case "AND" | "OR" | "NEAR" | "MENTIONS":
                raise self._error(f"{token.text} needs a term before it", token.position)
            case "WEIGHT":
                raise self._error("a weight goes right after a term", token.position, "as in Astana^2")
            case ")":
                raise self._error("unexpected ')'", token.position, "no term before it")
            case _:
                raise self._error("expected a term", token.position)

    # --- the pieces of a primary -------------------------------------------------------------

    def _group(self, opening: Token, scope: ScopeName | None) -> Node:
        if self._peek().kind == ")":
            raise self._error("empty parentheses", opening.position)
        node = self._or(scope)
        closing = self._take()
        if closing.kind != ")":
            raise self._error(
                "expected ')'", closing.position, f"the '(' at column {opening.position + 1} is never closed"
            )
        if self._peek().kind == "WEIGHT":
            raise self._error("a weight goes on a term, not on a group", self._peek().position)
        return node

    def _scoped(self, field: Token, scope: ScopeName | None) -> Node:
        name = _SCOPES[field.text]
        if scope == "subject" and name in _WITHIN_SUBJECT:
            pass  # title: or lead: inside subject: narrows it
        elif scope in _WITHIN_SUBJECT and name == "subject":
            name = scope  # subject: inside title: or lead: is that field
        elif scope is not None and scope != name:
            raise self._error(f"{name}: inside {scope}: can never match", field.position)
        if self._peek().kind not in _STARTS_PRIMARY:
            raise self._error(f"{name}: needs a term after it", field.position)
        return self._primary(name)

    def _term(self, token: Token, scope: ScopeName | None) -> Term:
        quoted = token.kind == "PHRASE"
        try:
            pattern = make_pattern(
                token.text,
                case_sensitive=not quoted and written_in_capitals(token.text),
                prefix=token.prefix,
            )
        except ValueError as problem:
            raise self._error(str(problem), token.position) from None
        written = token.text + ("*" if token.prefix else "")
        return Term(pattern, written, quoted, self._weight(), scope, token.position)

    def _entity(self, token: Token, scope: ScopeName | None) -> EntityRef:
        if self._known_entities is not None and token.text not in self._known_entities:
            raise self._error(f"unknown entity '@{token.text}'", token.position, "not in entities.yaml")
        return EntityRef(token.text, self._weight(), scope, token.position)

    def _weight(self) -> float:
        if self._peek().kind != "WEIGHT":
            return 1.0
        token = self._take()
        if not 0 < token.number <= MAX_WEIGHT:
            raise self._error(
                f"weight {token.text} is out of range", token.position, f"above 0, at most {MAX_WEIGHT:g}"
            )
        return token.number

    # --- helpers -----------------------------------------------------------------------------

    def _peek(self) -> Token:
        return self._tokens[self._next]

    def _take(self) -> Token:
        token = self._tokens[self._next]
        if token.kind != "END":
            self._next += 1
        return token

    def _operand_must_follow(self, operator: Token) -> None:
        upcoming = self._peek()
        if upcoming.kind in _STARTS_OPERAND:
            return
        name = operator.text or operator.kind
        what = "nothing" if upcoming.kind == "END" else upcoming.describe()
        raise self._error(f"{name} needs a term after it", operator.position, f"found {what}")

    def _error(self, problem: str, position: int, note: str = "") -> QuerySyntaxError:
        return QuerySyntaxError(problem, self._text, position, note)


def _fits_beside_near(node: Node) -> bool:
    """Terms, ORs of terms and NEARs have places to measure a distance from; AND and NOT do not."""
    match node:
        case Term() | EntityRef() | Near():
            return True
        case Or(children):
            return all(_fits_beside_near(child) for child in children)
        case _:
            return False


def needs_a_term(node: Node) -> bool:
    """Whether every way for ``node`` to match needs at least one of its positive terms found (then an
    article with none of them can skip it)."""
    match node:
        case Term() | EntityRef() | Near():
            return True
        case Mentions(child):
            return needs_a_term(child)
        case Not():
            return False
        case And(children):
            return any(needs_a_term(child) for child in children)
        case Or(children):
            return all(needs_a_term(child) for child in children)


def _first_not(node: Node) -> Not | None:
    match node:
        case Not():
            return node
        case And(children) | Or(children):
            return next((found for child in children if (found := _first_not(child))), None)
        case Mentions(child):
            return _first_not(child)
        case _:
            return None


def _check_needs_a_term(root: Node, text: str) -> None:
    # An article with none of the terms would match such a query: every topic would fire on
    # unrelated news, and the classifier could no longer skip topics whose terms are absent.
    if needs_a_term(root):
        return
    offender = _first_not(root)
    raise QuerySyntaxError(
        "the query can match an article that has none of its terms",
        text,
        offender.position if offender else 0,
        'NOT only excludes: put a term beside it, as in tennis NOT "Shanghai Masters"',
    )
