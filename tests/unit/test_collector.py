"""The collector settings of a warm classify environment: frozen long-lived heap, rarer young collections."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from newsalert.classify.collector import YOUNG_COLLECTION_EVERY, settle_after_loading


@pytest.fixture
def collector_restored() -> Iterator[None]:
    saved = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*saved)


@pytest.mark.usefixtures("collector_restored")
def test_settling_freezes_the_heap_and_makes_only_young_collections_rarer() -> None:
    gc.unfreeze()
    gc.set_threshold(700, 11, 12)
    assert gc.get_freeze_count() == 0

    settle_after_loading()

    assert gc.get_freeze_count() > 0  # everything alive: modules, and in Lambda the taxonomy
    assert gc.get_threshold() == (YOUNG_COLLECTION_EVERY, 11, 12)


@pytest.mark.usefixtures("collector_restored")
def test_the_collector_still_frees_cycles_after_settling() -> None:
    settle_after_loading()

    class Node:
        partner: object = None

    first, second = Node(), Node()
    first.partner, second.partner = second, first
    del first, second

    assert gc.collect() >= 2
