"""The query parser: every operator, precedence, and malformed queries refused with their position."""

from __future__ import annotations

import pytest

from newsalert.classify.query import And, EntityRef, Near, Not, Or, Pattern, QuerySyntaxError, Term, parse_query, render
from newsalert.classify.query.nodes import Node
from newsalert.classify.words import ZoneName


def word(text: str, *, weight: float = 1.0, scope: ZoneName | None = None) -> Term:
    """The term the parser makes of a bare word (capitals make it case-sensitive)."""
    case_sensitive = text.isupper() and len(text) >= 2
    pattern = Pattern((text if case_sensitive else text.casefold(),), case_sensitive)
    return Term(pattern, text, weight=weight, scope=scope)


def parsed(text: str) -> Node:
    return parse_query(text).root


def refusal(text: str, *, known_entities: set[str] | None = None) -> QuerySyntaxError:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text, known_entities=known_entities)
    return caught.value


# --- operators and precedence ------------------------------------------------------------------


def test_a_single_word() -> None:
    assert parsed("summit") == word("summit")


def test_or_and_and_not() -> None:
    assert parsed("a OR b") == Or((word("a"), word("b")))
    assert parsed("a AND b") == And((word("a"), word("b")))
    assert parsed("a NOT b") == And((word("a"), Not(word("b"))))


def test_side_by_side_means_and() -> None:
    assert parsed("a b c") == parsed("a AND b AND c") == And((word("a"), word("b"), word("c")))


def test_and_binds_tighter_than_or() -> None:
    assert parsed("a OR b c") == Or((word("a"), And((word("b"), word("c")))))
    assert parsed("a b OR c") == Or((And((word("a"), word("b"))), word("c")))


def test_not_binds_tighter_than_and_and_near_tighter_than_not() -> None:
    assert parsed("NOT a b") == And((Not(word("a")), word("b")))
    assert parsed("x NOT a NEAR/3 b") == And((word("x"), Not(Near(word("a"), word("b"), 3))))


def test_parentheses_group() -> None:
    assert parsed("(a OR b) c") == And((Or((word("a"), word("b"))), word("c")))


def test_lower_case_operators_are_ordinary_words() -> None:
    assert parsed("war and peace") == And((word("war"), word("and"), word("peace")))
    assert parsed("near or not") == And((word("near"), word("or"), word("not")))


def test_near_takes_a_distance_and_groups_of_alternatives() -> None:
    assert parsed("summit NEAR/8 (Astana OR Tianjin)") == Near(word("summit"), Or((word("Astana"), word("Tianjin"))), 8)


def test_near_chains_to_the_left() -> None:
    assert parsed("a NEAR/2 b NEAR/3 c") == Near(Near(word("a"), word("b"), 2), word("c"), 3)


def test_phrases_keep_their_words_in_order_and_ignore_case() -> None:
    term = parsed('"Shanghai  Cooperation Organisation"')

    assert term == Term(Pattern(("shanghai", "cooperation", "organisation")), "Shanghai Cooperation Organisation", True)


def test_a_hyphenated_word_is_a_phrase_of_its_parts() -> None:
    term = parsed("China-Russia")

    assert isinstance(term, Term)
    assert term.pattern == Pattern(("china", "russia"))
    assert term.written == "China-Russia"


def test_words_in_capitals_are_case_sensitive() -> None:
    for text in ("SCO", "NATO", "G20", "UN", "U.S."):
        term = parsed(text)
        assert isinstance(term, Term)
        assert term.pattern.case_sensitive, text
    for text in ("Nato", "summit", "A", '"SCO"'):
        term = parsed(text)
        assert isinstance(term, Term)
        assert not term.pattern.case_sensitive, text


def test_prefix_wildcards() -> None:
    assert parsed("sanction*") == Term(Pattern(("sanction",), prefix=True), "sanction*")


def test_field_scopes_reach_every_term_inside() -> None:
    assert parsed("title:SCO") == word("SCO", scope="title")
    assert parsed("lead:(a OR b) c") == And((Or((word("a", scope="lead"), word("b", scope="lead"))), word("c")))
    assert parsed("body:title") == word("title", scope="body")


def test_entities_and_weights() -> None:
    assert parsed("@sco^2") == EntityRef("sco", 2.0)
    assert parsed('"export controls"^1.5') == Term(Pattern(("export", "controls")), "export controls", True, 1.5)
    assert parsed("title:sanction*^3") == Term(Pattern(("sanction",), prefix=True), "sanction*", False, 3.0, "title")


def test_known_entities_are_accepted() -> None:
    assert parsed("@xi-jinping") == EntityRef("xi-jinping")
    assert parse_query("@sco", known_entities={"sco"}).root == EntityRef("sco")


def test_a_query_renders_back_to_equivalent_text() -> None:
    text = '(@china OR @xi-jinping) NEAR/30 (@russia OR "Vladimir Putin"^2) NOT title:tennis OR sanction*'

    rendered = render(parsed(text))

    expected = '(@china OR @xi-jinping) NEAR/30 (@russia OR "Vladimir Putin"^2) AND NOT title:tennis OR sanction*'
    assert rendered == expected
    assert parsed(rendered) == parsed(text)


def test_space_after_a_field_or_before_a_weight_is_allowed() -> None:
    assert parsed("title: a ^2") == parsed("title:a^2") == word("a", weight=2.0, scope="title")


def test_the_query_keeps_its_text() -> None:
    query = parse_query("a  OR b")

    assert str(query) == query.text == "a  OR b"


# --- malformed queries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "position", "problem"),
    [
        pytest.param("", 0, "the query is empty", id="empty"),
        pytest.param("(a OR b", 7, "expected ')'", id="unclosed-paren"),
        pytest.param("a OR b)", 6, "unexpected ')'", id="stray-close-paren"),
        pytest.param("a ()", 2, "empty parentheses", id="empty-parens"),
        pytest.param("a OR", 2, "OR needs a term after it", id="dangling-or"),
        pytest.param("a AND", 2, "AND needs a term after it", id="dangling-and"),
        pytest.param("a NOT", 2, "NOT needs a term after it", id="dangling-not"),
        pytest.param("OR a", 0, "OR needs a term before it", id="leading-or"),
        pytest.param("a AND OR b", 2, "AND needs a term after it", id="two-operators"),
        pytest.param('a ""', 2, "empty phrase", id="empty-phrase"),
        pytest.param('a "  , "', 2, "empty phrase", id="blank-phrase"),
        pytest.param('"a b', 0, "unterminated phrase", id="unterminated-phrase"),
        pytest.param("a NEAR b", 2, "NEAR needs a distance in words", id="near-without-number"),
        pytest.param("a NEAR/x b", 2, "NEAR needs a distance in words", id="near-not-a-number"),
        pytest.param("a NEAR/0 b", 2, "NEAR distance 0 is out of range", id="near-zero"),
        pytest.param("a NEAR/51 b", 2, "NEAR distance 51 is out of range", id="near-too-far"),
        pytest.param("a NEAR/5", 2, "NEAR/5 needs a term after it", id="near-dangling"),
        pytest.param("NEAR/5 a", 0, "NEAR/5 needs a term before it", id="near-leading"),
        pytest.param("(a b) NEAR/5 c", 6, "a side of NEAR/5 must be a term or an OR of terms", id="near-and-side"),
        pytest.param("a NEAR/5 NOT b", 9, "a side of NEAR/5 cannot be a NOT", id="near-not-side"),
        pytest.param("headline:a", 0, "unknown field 'headline:'", id="bad-field"),
        pytest.param("a title:", 2, "title: needs a term after it", id="field-without-term"),
        pytest.param("title:(body:a)", 7, "body: inside title: can never match", id="conflicting-fields"),
        pytest.param("a :b", 2, "':' must follow a field name", id="lone-colon"),
        pytest.param("sa*", 0, "a wildcard needs at least 3 letters before '*'", id="wildcard-too-short"),
        pytest.param(
            "re-elect*", 0, "a wildcard applies to one word, and 're-elect' is several", id="wildcard-on-phrase"
        ),
        pytest.param("a *", 2, "'*' must follow a word", id="lone-star"),
        pytest.param("sanc*ion", 4, "'*' can only end a word", id="star-inside-word"),
        pytest.param('"sanction* relief"', 9, "a wildcard cannot stand in a phrase", id="star-in-phrase"),
        pytest.param("a^6", 1, "weight 6 is out of range", id="weight-too-high"),
        pytest.param("a^0", 1, "weight 0 is out of range", id="weight-zero"),
        pytest.param("a^", 2, "expected a number after '^'", id="weight-without-number"),
        pytest.param("^2 a", 0, "a weight goes right after a term", id="weight-alone"),
        pytest.param("(a OR b)^2", 8, "a weight goes on a term, not on a group", id="weight-on-group"),
        pytest.param("@", 0, "'@' must be followed by an entity id", id="at-alone"),
        pytest.param("@China", 0, "'@China' is not an entity id", id="entity-in-capitals"),
        pytest.param("&", 0, "'&' has no letters or digits", id="punctuation-word"),
        pytest.param("NOT a", 0, "the query can match an article that has none of its terms", id="only-not"),
        pytest.param("a OR NOT b", 5, "the query can match an article that has none of its terms", id="or-not"),
    ],
)
def test_malformed_queries_are_refused_at_their_position(query: str, position: int, problem: str) -> None:
    error = refusal(query)

    assert error.position == position
    assert error.problem == problem


def test_an_unknown_entity_is_refused_at_its_position() -> None:
    error = refusal("summit NEAR/5 @kazakstan", known_entities={"kazakhstan"})

    assert (error.position, error.problem) == (14, "unknown entity '@kazakstan'")


def test_the_message_shows_the_column_and_a_caret_under_the_problem() -> None:
    message = str(refusal("(summit OR Astana"))

    assert message == (
        "expected ')' at column 18 (the '(' at column 1 is never closed)\n    (summit OR Astana\n                     ^"
    )


def test_a_long_query_is_shown_around_the_problem() -> None:
    query = " OR ".join(f"word{number}" for number in range(40)) + " OR (x"

    lines = str(refusal(query)).splitlines()

    assert lines[1].startswith("    …")
    assert lines[1].endswith("OR (x")
    assert len(lines[1]) < 120
    assert lines[2].index("^") == len(lines[1])  # just after the end, where the ')' is missing


def test_a_multi_line_query_keeps_the_caret_in_line() -> None:
    error = refusal("a OR\n  (b")

    assert str(error).splitlines()[1:] == ["    a OR   (b", "             ^"]
