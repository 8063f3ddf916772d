"""The arithmetic of ``newsalert eval``, on cases small enough to work out by hand."""

from __future__ import annotations

import pytest

from newsalert.tools.accuracy import (
    AG_NEWS_MAPPING,
    NO_CATEGORY,
    BinaryCounts,
    CategoryMapping,
    ConfusionMatrix,
    binary_counts,
    mean,
    topic_counts,
)

# ------------------------------------------------------------------ yes/no decisions


def test_precision_recall_and_f1_from_the_four_counts() -> None:
    # Given 3 hits, 1 false alarm, 2 misses: precision 3/4, recall 3/5, F1 2*3/(6+1+2) = 2/3
    counts = BinaryCounts(true_positives=3, false_positives=1, false_negatives=2, true_negatives=10)

    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(0.6)
    assert counts.f1 == pytest.approx(2 / 3)
    assert counts.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))  # the harmonic mean
    assert counts.support == 5
    assert counts.predicted == 4


def test_a_topic_never_predicted_has_no_precision_but_an_f1_of_zero() -> None:
    counts = BinaryCounts(false_negatives=4, true_negatives=6)

    assert counts.precision is None
    assert counts.recall == 0.0
    assert counts.f1 == 0.0


def test_a_topic_no_article_is_about_has_no_recall() -> None:
    assert BinaryCounts(false_positives=2).recall is None
    assert BinaryCounts(false_positives=2).precision == 0.0


def test_nothing_to_count_gives_none_everywhere() -> None:
    counts = BinaryCounts(true_negatives=7)

    assert (counts.precision, counts.recall, counts.f1) == (None, None, None)


def test_binary_counts_tally_gold_and_predicted_pairs() -> None:
    pairs = [(True, True), (True, True), (False, True), (True, False), (False, False), (False, False)]

    assert binary_counts(pairs) == BinaryCounts(2, 1, 1, 2)


def test_mean_ignores_undefined_values() -> None:
    assert mean([0.5, None, 1.0]) == pytest.approx(0.75)
    assert mean([None, None]) is None


# ------------------------------------------------------------------ one label per article


@pytest.fixture
def matrix() -> ConfusionMatrix:
    # gold -> predicted, 10 articles:
    #            World  Sports  Business
    # World        3      0        1
    # Sports       1      2        0
    # Business     1      0        2
    pairs = (
        [("World", "World")] * 3
        + [("World", "Business")]
        + [("Sports", "World")]
        + [("Sports", "Sports")] * 2
        + [("Business", "World")]
        + [("Business", "Business")] * 2
    )
    return ConfusionMatrix.build(pairs)


def test_accuracy_is_the_diagonal_over_the_total(matrix: ConfusionMatrix) -> None:
    assert matrix.total == 10
    assert matrix.correct == 7
    assert matrix.accuracy == pytest.approx(0.7)


def test_each_label_is_read_off_its_row_and_column(matrix: ConfusionMatrix) -> None:
    # World: predicted 5 times (3 right), truly 4 times.
    assert matrix.per_label("World") == BinaryCounts(
        true_positives=3, false_positives=2, false_negatives=1, true_negatives=4
    )
    assert matrix.per_label("World").precision == pytest.approx(3 / 5)
    assert matrix.per_label("World").recall == pytest.approx(3 / 4)
    # Sports: never wrongly predicted, one missed.
    assert matrix.per_label("Sports") == BinaryCounts(2, 0, 1, 7)
    assert matrix.per_label("Business") == BinaryCounts(2, 1, 1, 6)


def test_macro_f1_weighs_every_gold_label_alike(matrix: ConfusionMatrix) -> None:
    world, sports, business = 6 / 9, 4 / 5, 4 / 6  # 2TP / (2TP + FP + FN) each

    assert matrix.macro_f1 == pytest.approx((world + sports + business) / 3)


def test_labels_keep_the_given_order_then_the_order_first_seen() -> None:
    matrix = ConfusionMatrix.build([("b", "c"), ("a", "a")], labels=("a", "z"))

    assert matrix.labels == ("a", "z", "b", "c")
    assert matrix.count("b", "c") == 1
    assert matrix.count("c", "b") == 0


def test_a_label_only_ever_predicted_does_not_count_in_the_macro_f1() -> None:
    matrix = ConfusionMatrix.build([("a", "a"), ("a", "politics")])

    assert matrix.gold_labels == ("a",)
    assert matrix.macro_f1 == pytest.approx(2 / 3)


def test_an_empty_matrix_has_no_accuracy() -> None:
    assert ConfusionMatrix.build([]).accuracy is None


def test_the_json_form_holds_the_figures_and_the_matrix(matrix: ConfusionMatrix) -> None:
    document = matrix.to_dict()

    assert document["accuracy"] == pytest.approx(0.7)
    assert document["n"] == 10
    assert document["confusion"]["Sports"] == {"World": 1, "Sports": 2, "Business": 0}
    assert document["labels"]["Sports"]["recall"] == pytest.approx(2 / 3)


# ------------------------------------------------------------------ category mappings


@pytest.mark.parametrize(
    ("category", "label"),
    [
        ("sport", "Sports"),
        ("economy", "Business"),
        ("science-technology", "Sci/Tech"),
        ("health", "Sci/Tech"),
        ("politics", "World"),
        ("conflict", "World"),
        (None, "World"),
    ],
)
def test_the_built_in_mapping_is_the_ag_news_readme_table(category: str | None, label: str) -> None:
    assert AG_NEWS_MAPPING.label_for(category) == label


def test_a_mapping_reads_a_fallback_under_star() -> None:
    mapping = CategoryMapping.from_document({"sport": "S", "*": "Other"})

    assert mapping.label_for("sport") == "S"
    assert mapping.label_for("economy") == "Other"
    assert mapping.label_for(None) == "Other"
    assert mapping.to_dict() == {"sport": "S", "*": "Other"}


def test_without_a_fallback_an_unmapped_category_stands_for_itself() -> None:
    mapping = CategoryMapping.from_document({"sport": "S"})

    assert mapping.label_for("economy") == "economy"
    assert mapping.label_for(None) == NO_CATEGORY


@pytest.mark.parametrize("document", [[], {}, "sport", {"sport": 3}, {"sport": ""}])
def test_a_malformed_mapping_is_refused_with_the_reason(document: object) -> None:
    with pytest.raises(ValueError, match=r"map|label"):
        CategoryMapping.from_document(document)


# ------------------------------------------------------------------ topics, any number per article


def test_topic_counts_score_each_topic_as_its_own_decision() -> None:
    examples = [
        (frozenset({"sco", "china-russia"}), frozenset({"sco"})),  # sco hit, china-russia missed
        (frozenset({"sco"}), frozenset({"sco", "nato"})),  # sco hit, nato false alarm
        (frozenset(), frozenset({"sco"})),  # sco false alarm
        (frozenset(), frozenset()),
    ]

    counts = topic_counts(examples, ["sco", "china-russia", "nato"])

    assert counts["sco"] == BinaryCounts(true_positives=2, false_positives=1, false_negatives=0, true_negatives=1)
    assert counts["china-russia"] == BinaryCounts(0, 0, 1, 3)
    assert counts["nato"] == BinaryCounts(0, 1, 0, 3)
    assert counts["sco"].precision == pytest.approx(2 / 3)
    assert counts["nato"].recall is None


# --- clusterings (stories) ------------------------------------------------------------------

from newsalert.tools.accuracy import cluster_scores  # noqa: E402

# Gold: a, b, c are one story (G1), d, e another (G2). Predicted: {a, b} and {c, d, e}.
SPLIT_AND_MERGED = [("G1", "P1"), ("G1", "P1"), ("G1", "P2"), ("G2", "P2"), ("G2", "P2")]


def test_bcubed_by_hand() -> None:
    scores = cluster_scores(SPLIT_AND_MERGED)

    # precision per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3; recall: a 2/3, b 2/3, c 1/3, d 2/2, e 2/2
    assert scores.bcubed_precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert scores.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert scores.bcubed_f1 == pytest.approx(11 / 15)
    assert (scores.items, scores.gold_clusters, scores.predicted_clusters) == (5, 2, 2)


def test_pairwise_by_hand() -> None:
    pairs = cluster_scores(SPLIT_AND_MERGED).pairs

    # gold pairs: ab ac bc de (4); predicted: ab cd ce de (4); together in both: ab, de
    assert (pairs.true_positives, pairs.false_positives, pairs.false_negatives) == (2, 2, 2)
    assert pairs.precision == pytest.approx(0.5)
    assert pairs.f1 == pytest.approx(0.5)


def test_every_item_alone_is_precise_and_recalls_only_itself() -> None:
    scores = cluster_scores([("G1", "1"), ("G1", "2"), ("G1", "3"), ("G2", "4"), ("G2", "5")])

    assert scores.bcubed_precision == 1.0
    assert scores.bcubed_recall == pytest.approx((3 * (1 / 3) + 2 * (1 / 2)) / 5)
    assert scores.pairs.precision is None  # no pair was put together: nothing to be precise about
    assert scores.pairs.recall == 0.0


def test_the_gold_grouping_scores_one() -> None:
    scores = cluster_scores([("G1", "x"), ("G1", "x"), ("G2", "y")])

    assert (scores.bcubed_precision, scores.bcubed_recall, scores.bcubed_f1) == (1.0, 1.0, 1.0)
    assert scores.pairs.f1 == 1.0


def test_no_items_scores_nothing() -> None:
    scores = cluster_scores([])

    assert scores.bcubed_precision is None
    assert scores.bcubed_f1 is None
