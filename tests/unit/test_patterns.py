"""Patterns: one object per distinct pattern, so that they hash by identity and still compare by value."""

from __future__ import annotations

import copy
import pickle

import pytest

from newsalert.classify.query.patterns import Pattern, make_pattern


def test_equal_patterns_are_one_object_however_they_are_made() -> None:
    made = make_pattern("Shanghai  Cooperation", case_sensitive=False)
    direct = Pattern(("shanghai", "cooperation"))

    assert made is direct
    assert {made: "found"}[direct] == "found"
    assert copy.copy(made) is made
    assert copy.deepcopy(made) is made
    assert pickle.loads(pickle.dumps(made)) is made


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (Pattern(("sco",)), Pattern(("SCO",), case_sensitive=True)),
        (Pattern(("sanction",)), Pattern(("sanction",), prefix=True)),
        (Pattern(("china", "russia")), Pattern(("russia", "china"))),
    ],
)
def test_patterns_that_differ_are_different_keys(one: Pattern, other: Pattern) -> None:
    assert one != other
    assert len({one: 1, other: 2}) == 2


def test_a_pattern_reads_as_its_fields() -> None:
    pattern = make_pattern("sanction", case_sensitive=False, prefix=True)

    assert (pattern.words, pattern.case_sensitive, pattern.prefix) == (("sanction",), False, True)
    assert str(pattern) == "sanction*"
    assert repr(pattern) == "Pattern(words=('sanction',), case_sensitive=False, prefix=True)"
