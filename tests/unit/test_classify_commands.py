"""``newsalert classify``, ``explain``, ``eval`` and ``backtest`` on small inline data and the bundled taxonomy."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from newsalert.classify.taxonomy import load_taxonomy
from newsalert.classify.topics import explain
from newsalert.models import Article
from newsalert.tools.cli import main
from newsalert.tools.commands.evaluate import half_of
from newsalert.tools.commands.explain import quote_in_context
from tests.conftest import SAMPLE_ARTICLE, SAMPLE_TITLE

NOW = datetime(2024, 7, 4, 9, 30, tzinfo=UTC)

SCO_ITEM = {
    "id": "story-1",
    "title": "Shanghai Cooperation Organisation leaders meet in Astana",
    "summary": "Leaders of the Shanghai Cooperation Organisation opened their summit in Kazakhstan.",
    "body": "Xi Jinping and Vladimir Putin held talks on the sidelines of the SCO summit in Astana.",
}
SPORT_ITEM = {
    "id": "story-2",
    "title": "Alcaraz wins Wimbledon final in straight sets",
    "summary": "The Spaniard beat his rival in the tennis final to retain the Grand Slam title.",
}
TRAP_ITEM = {
    "id": "story-3",
    "title": "Sinner wins the Shanghai Masters",
    "summary": "The tennis final went to three sets.",
}


@dataclass
class Run:
    status: int
    out: str
    err: str

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.out.splitlines()]


Newsalert = Callable[..., Run]


@pytest.fixture
def newsalert(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Newsalert:
    def run(*arguments: str, stdin: str = "") -> Run:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(list(arguments))
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


def json_lines(*records: object) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def taxonomy_with_alerts(path: Path, *, alerting: bool) -> str:
    """The bundled taxonomy with every topic's alert policy switched on (from its threshold) or off."""
    document = yaml.safe_load(resources.files("newsalert").joinpath("data/taxonomy.yaml").read_text(encoding="utf-8"))
    for topic in document["topics"]:
        topic["alert"] = {"breaking": True, "min_score": topic["threshold"]} if alerting else {"breaking": False}
    return write(path, yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


# ====================================================================== classify


def test_classify_writes_one_line_per_article_with_topics_and_evidence(newsalert: Newsalert) -> None:
    # Given two JSON-lines articles on stdin
    run = newsalert("classify", stdin=json_lines(SCO_ITEM, SPORT_ITEM))

    # Then each gives one line, in order, with its own id, its category and its topics
    assert run.status == 0
    sco, sport = run.lines
    assert [sco["id"], sport["id"]] == ["story-1", "story-2"]
    assert sport["category"] == "sport"
    assert "sco" in [topic["id"] for topic in sco["topics"]]
    topic = next(topic for topic in sco["topics"] if topic["id"] == "sco")
    assert set(topic) == {"id", "label", "score", "evidence"}
    assert 0 < topic["score"] <= 1
    assert all(set(evidence) == {"term", "text", "field", "start", "end"} for evidence in topic["evidence"])
    assert "2 article(s) classified, 0 refused" in run.err


def test_evidence_offsets_point_into_the_field_they_name(newsalert: Newsalert) -> None:
    run = newsalert("classify", stdin=json_lines(SCO_ITEM))

    fields = {"title": SCO_ITEM["title"], "summary": SCO_ITEM["summary"], "body": SCO_ITEM["body"]}
    evidence = [item for topic in run.lines[0]["topics"] for item in topic["evidence"]]
    assert evidence
    for item in evidence:
        assert fields[item["field"]][item["start"] : item["end"]] == item["text"]


def test_an_item_with_only_id_title_and_summary_is_enough(newsalert: Newsalert) -> None:
    # AG News items have nothing else.
    run = newsalert("classify", stdin=json_lines({"id": "ag-1", "title": "Markets rally", "summary": "Shares rose."}))

    assert run.status == 0
    assert run.lines[0]["id"] == "ag-1"


def test_without_an_id_the_article_gets_the_pipeline_id(newsalert: Newsalert) -> None:
    run = newsalert(
        "classify", stdin=json_lines({"title": "Markets rally", "url": "https://example.com/a?utm_source=x"})
    )

    expected = Article.create(
        title="Markets rally", source="x", published=NOW, received_at=NOW, url="https://example.com/a"
    ).id
    assert run.lines[0]["id"] == expected


def test_bad_lines_are_reported_in_place_and_the_rest_still_classified(newsalert: Newsalert) -> None:
    stdin = "\n".join(
        [
            json.dumps(SPORT_ITEM),
            "{not json",
            json.dumps({"id": "no-title", "summary": "text"}),
            json.dumps({"id": "naive", "title": "A title", "published": "2024-07-04T09:00:00"}),
            json.dumps(["a", "list"]),
            json.dumps(TRAP_ITEM),
        ]
    )

    run = newsalert("classify", stdin=stdin)

    assert run.status == 1
    lines = run.lines
    assert [line.get("id") for line in lines] == ["story-2", None, "no-title", "naive", None, "story-3"]
    refused = [line for line in lines if "rejected" in line]
    # A time without a zone is read as UTC (and flagged), never a reason to refuse the item.
    assert [line["origin"] for line in refused] == ["stdin:2", "stdin:3", "stdin:5"]
    assert "not JSON" in refused[0]["reason"]
    assert "title" in refused[1]["reason"]
    assert "JSON object" in refused[2]["reason"]
    assert "3 article(s) classified, 3 refused" in run.err


def test_a_raw_text_article_file_is_read_as_ingest_reads_it(newsalert: Newsalert) -> None:
    run = newsalert("classify", str(SAMPLE_ARTICLE))

    assert run.status == 0
    (line,) = run.lines
    assert line["id"].startswith("art-")
    assert line["category"] == "politics"
    assert {"sco", "china-russia"} <= {topic["id"] for topic in line["topics"]}


def test_html_and_json_lines_files_are_read_together(newsalert: Newsalert, tmp_path: Path) -> None:
    page = write(
        tmp_path / "page.html",
        "<!doctype html><html><head><title>x</title></head><body><article>"
        "<h1>Alcaraz wins Wimbledon final</h1><p>The tennis champion won in straight sets.</p></article></body></html>",
    )
    lines = write(tmp_path / "items.jsonl", json_lines(SCO_ITEM))

    run = newsalert("classify", page, lines)

    assert run.status == 0
    assert [line["category"] for line in run.lines] == ["sport", "politics"]


def test_classify_output_is_the_same_every_time(newsalert: Newsalert) -> None:
    first = newsalert("classify", stdin=json_lines(SCO_ITEM, SPORT_ITEM, TRAP_ITEM)).out
    second = newsalert("classify", stdin=json_lines(SCO_ITEM, SPORT_ITEM, TRAP_ITEM)).out

    assert first == second


def test_a_missing_file_is_a_usage_error(newsalert: Newsalert, tmp_path: Path) -> None:
    run = newsalert("classify", str(tmp_path / "absent.jsonl"))

    assert run.status == 2
    assert "cannot read" in run.err


def test_a_taxonomy_that_does_not_load_is_a_usage_error(newsalert: Newsalert, tmp_path: Path) -> None:
    broken = write(tmp_path / "taxonomy.yaml", "version: 1\ntopics: []\n")

    run = newsalert("classify", "--taxonomy", broken, stdin=json_lines(SPORT_ITEM))

    assert run.status == 2
    assert str(tmp_path / "taxonomy.yaml") in run.err
    assert run.out == ""


def test_nothing_to_classify_exits_1(newsalert: Newsalert) -> None:
    assert newsalert("classify", stdin="\n").status == 1


# ====================================================================== explain


def test_explain_gives_each_matched_topic_its_score_and_quoted_evidence(newsalert: Newsalert) -> None:
    run = newsalert("explain", str(SAMPLE_ARTICLE))

    assert run.status == 0
    assert run.out.startswith(SAMPLE_TITLE)
    assert "category: politics" in run.out
    matched, unmatched = run.out.split("\nnot matched (")
    assert "sco (Shanghai Cooperation Organisation): score" in matched
    # The evidence is quoted in its sentence, the matched words in brackets.
    assert "Vladimir Putin on [SCO] sidelines" in matched
    assert "sport (Sport):" in unmatched


def test_explain_gives_the_reason_a_topic_did_not_match(newsalert: Newsalert, tmp_path: Path) -> None:
    article_file = write(tmp_path / "sport.jsonl", json_lines(SPORT_ITEM))
    item = Article.create(
        title=SPORT_ITEM["title"], source="x", published=NOW, received_at=NOW, summary=SPORT_ITEM["summary"]
    )
    (verdict,) = [v for v in explain(item, load_taxonomy()) if v.topic == "sco"]

    run = newsalert("explain", article_file, "--topic", "sco")

    assert run.status == 0
    assert "matched: no topic" in run.out
    assert "not matched (1)" in run.out
    assert f"sco (Shanghai Cooperation Organisation): {verdict.reason}" in run.out
    assert "sport (Sport)" not in run.out


def test_explain_needs_an_id_when_the_file_holds_several_articles(newsalert: Newsalert, tmp_path: Path) -> None:
    articles = write(tmp_path / "items.jsonl", json_lines(SCO_ITEM, SPORT_ITEM))

    several = newsalert("explain", articles)
    chosen = newsalert("explain", articles, "--id", "story-2")
    unknown = newsalert("explain", articles, "--id", "story-9")

    assert several.status == 2
    assert "holds 2 articles; pick one with --id (story-1, story-2)" in several.err
    assert chosen.status == 0
    assert chosen.out.startswith(SPORT_ITEM["title"])
    assert unknown.status == 2
    assert "no article with id 'story-9'" in unknown.err


def test_explain_an_unknown_topic_is_a_usage_error(newsalert: Newsalert) -> None:
    run = newsalert("explain", str(SAMPLE_ARTICLE), "--topic", "no-such-topic")

    assert run.status == 2
    assert "no-such-topic" in run.err
    assert "known: " in run.err


def test_explain_a_file_without_a_readable_article_exits_1(newsalert: Newsalert, tmp_path: Path) -> None:
    run = newsalert("explain", write(tmp_path / "bad.jsonl", '{"id": "x"}\n'))

    assert run.status == 1
    assert "title" in run.err


@pytest.mark.parametrize(
    ("start", "end", "width", "quoted"),
    [
        (0, 5, 10, "[Alpha] beta…"),
        (11, 16, 6, "…beta [gamma] delta…"),
        (23, 28, 10, "…delta [omega]"),
    ],
)
def test_evidence_is_quoted_in_its_context_cut_at_words(start: int, end: int, width: int, quoted: str) -> None:
    text = "Alpha beta\ngamma delta omega"

    assert quote_in_context(text, start, end, width=width) == quoted


# ====================================================================== eval


def test_eval_reports_accuracy_and_the_confusion_through_the_ag_mapping(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = write(
        tmp_path / "ag.jsonl",
        json_lines(
            SPORT_ITEM | {"label": "Sports"},
            SCO_ITEM | {"label": "World"},
            # Labelled Business, but about tennis: the taxonomy rightly says sport, and the mistake is counted.
            SPORT_ITEM | {"id": "story-4", "label": "Business"},
        ),
    )

    run = newsalert("eval", labelled, "--json")

    assert run.status == 0
    report = json.loads(run.out)
    category = report["category"]
    assert (category["n"], category["correct"]) == (3, 2)
    assert category["accuracy"] == pytest.approx(2 / 3)
    assert category["confusion"]["Business"]["Sports"] == 1
    assert category["labels"]["Sports"]["precision"] == pytest.approx(0.5)
    assert category["mapping"]["*"] == "World"


def test_eval_text_report_says_accuracy_plainly(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = write(tmp_path / "ag.jsonl", json_lines(SPORT_ITEM | {"label": "Sports"}, SCO_ITEM | {"label": "World"}))

    run = newsalert("eval", labelled)

    assert "accuracy 1.000 (2)" in run.out
    assert "confusion (rows: gold label, columns: predicted)" in run.out


def test_eval_half_splits_a_file_by_id_into_two_disjoint_halves_whatever_the_order(
    newsalert: Newsalert, tmp_path: Path
) -> None:
    # Every item is labelled wrongly, so the error list names every item a half measured.
    items = [SPORT_ITEM | {"id": f"item-{number}", "label": "Business"} for number in range(40)]
    forwards = write(tmp_path / "forwards.jsonl", json_lines(*items))
    backwards = write(tmp_path / "backwards.jsonl", json_lines(*reversed(items)))

    def measured(path: Path, half: int) -> set[str]:
        report = json.loads(newsalert("eval", path, "--half", str(half), "--json", "--errors").out)
        assert report["file"].endswith(f"(half {half})")
        return {error["id"] for error in report["errors"]["category"]}

    first, second = measured(forwards, 1), measured(forwards, 2)
    assert first.isdisjoint(second)
    assert first | second == {item["id"] for item in items}
    assert len(first) in range(1, 40)  # the split is by id, not all-or-nothing
    assert measured(backwards, 1) == first
    assert {half_of(item_id) for item_id in first} == {1}


def test_eval_half_measures_only_the_items_of_that_half(newsalert: Newsalert, tmp_path: Path) -> None:
    # A right and a wrong answer in different halves: each half's accuracy is that one answer's.
    right, wrong = "right-0", next(f"wrong-{n}" for n in range(100) if half_of(f"wrong-{n}") != half_of("right-0"))
    labelled = write(
        tmp_path / "l.jsonl",
        json_lines(SPORT_ITEM | {"id": right, "label": "Sports"}, SPORT_ITEM | {"id": wrong, "label": "Business"}),
    )

    accuracy = {
        half: json.loads(newsalert("eval", labelled, "--half", str(half), "--json").out)["category"]["accuracy"]
        for half in (1, 2)
    }

    assert accuracy[half_of(right)] == 1.0
    assert accuracy[half_of(wrong)] == 0.0


def test_eval_half_must_be_1_or_2(newsalert: Newsalert, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labelled = write(tmp_path / "l.jsonl", json_lines(SPORT_ITEM | {"label": "Sports"}))

    with pytest.raises(SystemExit) as exit_info:
        newsalert("eval", labelled, "--half", "3")

    assert exit_info.value.code == 2
    assert "--half" in capsys.readouterr().err


def test_eval_takes_a_mapping_file(newsalert: Newsalert, tmp_path: Path) -> None:
    mapping = write(tmp_path / "map.yaml", "sport: Games\n'*': Other\n")
    labelled = write(tmp_path / "l.jsonl", json_lines(SPORT_ITEM | {"label": "Games"}, SCO_ITEM | {"label": "Other"}))

    report = json.loads(newsalert("eval", labelled, "--map", mapping, "--json").out)

    assert report["category"]["accuracy"] == 1.0


def test_a_malformed_mapping_is_a_usage_error(newsalert: Newsalert, tmp_path: Path) -> None:
    mapping = write(tmp_path / "map.yaml", "- sport\n")
    labelled = write(tmp_path / "l.jsonl", json_lines(SPORT_ITEM | {"label": "Sports"}))

    run = newsalert("eval", labelled, "--map", mapping)

    assert run.status == 2
    assert "map.yaml" in run.err


def test_eval_scores_each_watch_topic_named_in_the_file(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = write(
        tmp_path / "watch.jsonl",
        json_lines(SCO_ITEM | {"topics": ["sco"]}, TRAP_ITEM | {"topics": []}, SPORT_ITEM | {"topics": []}),
    )

    report = json.loads(newsalert("eval", labelled, "--json", "--errors").out)

    assert set(report["topics"]) == {"sco"}
    sco = report["topics"]["sco"]
    assert (sco["true_positives"], sco["false_positives"], sco["false_negatives"]) == (1, 0, 0)
    assert sco["in_taxonomy"] is True
    assert report["category"] is None
    assert report["errors"]["topics"] == []


def test_eval_topics_option_picks_the_topics_and_flags_unknown_ones(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = write(tmp_path / "watch.jsonl", json_lines(SCO_ITEM | {"topics": ["sco"]}))

    run = newsalert("eval", labelled, "--topics", "sco,no-such-topic")

    assert "no-such-topic" in run.out
    assert "not in the taxonomy, so never predicted: no-such-topic" in run.out


# A candidate that needs an entity the bundled catalog does not have: a new summit venue.
CANDIDATE_TAXONOMY = """
version: 1
topics:
  - {id: politics, label: Politics, kind: category, threshold: 0.3, query: '@astana-talks OR parliament'}
"""
NEW_ENTITY = """
  - id: astana-talks
    kind: place
    label: The Astana talks
    aliases: ["Astana talks", "Astana format"]
"""


def candidate_files(tmp_path: Path) -> tuple[str, str]:
    bundled = resources.files("newsalert").joinpath("data/entities.yaml").read_text(encoding="utf-8")
    entities = write(tmp_path / "entities.yaml", bundled + NEW_ENTITY)
    return write(tmp_path / "candidate.yaml", CANDIDATE_TAXONOMY), entities


def test_a_candidate_naming_a_new_entity_is_measured_with_its_entities_file(
    newsalert: Newsalert, tmp_path: Path
) -> None:
    candidate, entities = candidate_files(tmp_path)
    item = {"id": "a", "title": "Envoys return to the Astana talks", "label": "World", "topics": ["politics"]}
    labelled = write(tmp_path / "l.jsonl", json_lines(item))

    without = newsalert("eval", labelled, "--taxonomy", candidate)
    report = json.loads(newsalert("eval", labelled, "--taxonomy", candidate, "--entities", entities, "--json").out)
    classified = newsalert("classify", "--taxonomy", candidate, "--entities", entities, stdin=json_lines(item))

    assert without.status == 2
    assert "unknown entity '@astana-talks'" in without.err
    assert report["topics"]["politics"]["true_positives"] == 1
    evidence = classified.lines[0]["topics"][0]["evidence"]
    assert [piece["term"] for piece in evidence] == ["@astana-talks:Astana talks"]


def test_an_entities_file_that_does_not_load_is_a_usage_error(newsalert: Newsalert, tmp_path: Path) -> None:
    candidate, _ = candidate_files(tmp_path)
    broken = write(tmp_path / "broken.yaml", "version: 1\nentities:\n  - id: x\n")

    article = write(tmp_path / "article.jsonl", json_lines(SPORT_ITEM))

    run = newsalert("explain", article, "--taxonomy", candidate, "--entities", broken)

    assert run.status == 2
    assert "broken.yaml" in run.err
    assert "entity 'x'" in run.err


def test_eval_counts_malformed_and_unlabelled_lines_without_failing(newsalert: Newsalert, tmp_path: Path) -> None:
    labelled = write(
        tmp_path / "l.jsonl",
        json_lines(SPORT_ITEM | {"label": "Sports"}, SPORT_ITEM | {"label": 3}, SCO_ITEM, {"label": "World"}),
    )

    run = newsalert("eval", labelled, "--json")

    report = json.loads(run.out)
    assert run.status == 0
    assert (report["articles"], report["unlabelled"], len(report["refused"])) == (1, 1, 2)
    assert "label must be" in run.err


def test_eval_without_any_labelled_article_exits_1(newsalert: Newsalert, tmp_path: Path) -> None:
    assert newsalert("eval", write(tmp_path / "l.jsonl", json_lines(SCO_ITEM))).status == 1


def test_eval_can_measure_a_candidate_taxonomy(newsalert: Newsalert, tmp_path: Path) -> None:
    candidate = taxonomy_with_alerts(tmp_path / "candidate.yaml", alerting=False)
    labelled = write(tmp_path / "l.jsonl", json_lines(SPORT_ITEM | {"label": "Sports"}))

    run = newsalert("eval", labelled, "--taxonomy", candidate)

    assert run.status == 0
    assert f"taxonomy: {candidate}" in run.out


# ====================================================================== backtest


def stored(title: str, *, body: str = "", age: timedelta = timedelta(minutes=30)) -> str:
    article = Article.create(title=title, source="Wire", published=NOW - age, received_at=NOW, body=body)
    return article.model_dump_json()


@pytest.fixture
def alert_taxonomies(tmp_path: Path) -> tuple[str, str]:
    return taxonomy_with_alerts(tmp_path / "off.yaml", alerting=False), taxonomy_with_alerts(
        tmp_path / "on.yaml", alerting=True
    )


def test_backtest_lists_the_alerts_that_would_appear(newsalert: Newsalert, alert_taxonomies: tuple[str, str]) -> None:
    off, on = alert_taxonomies
    fresh = stored(SCO_ITEM["title"], body=SCO_ITEM["body"])
    stale = stored(SPORT_ITEM["title"], age=timedelta(days=2))
    about_nothing = stored("Lorem ipsum dolor sit amet")

    run = newsalert(
        "backtest", "--current", off, "--taxonomy", on, "--json", stdin="\n".join([fresh, stale, about_nothing])
    )

    assert run.status == 0
    report = json.loads(run.out)
    assert (report["articles"], report["appear"], report["disappear"], report["unchanged"]) == (3, 1, 0, 2)
    (appeared,) = [change for change in report["changes"] if change["alert"] == "appear"]
    assert appeared["title"] == SCO_ITEM["title"]
    assert appeared["candidate"]["breaking"] is True
    assert "sco" in report["reach_by_topic"]
    assert report["reach_by_topic"]["sco"] == {"gained": 1, "lost": 0}


def test_backtest_the_other_way_round_makes_the_alert_disappear(
    newsalert: Newsalert, alert_taxonomies: tuple[str, str], tmp_path: Path
) -> None:
    off, on = alert_taxonomies
    articles = write(tmp_path / "articles.jsonl", stored(SCO_ITEM["title"], body=SCO_ITEM["body"]) + "\n")

    run = newsalert("backtest", articles, "--current", on, "--taxonomy", off)

    assert run.status == 0
    assert "alerts: 0 appear, 1 disappear, 0 unchanged" in run.out
    assert "alerts that disappear (1)" in run.out
    assert SCO_ITEM["title"] in run.out


def test_backtest_against_the_same_taxonomy_changes_nothing(newsalert: Newsalert, tmp_path: Path) -> None:
    bundled = write(
        tmp_path / "same.yaml", resources.files("newsalert").joinpath("data/taxonomy.yaml").read_text(encoding="utf-8")
    )

    run = newsalert("backtest", "--taxonomy", bundled, "--json", stdin=stored(SCO_ITEM["title"], body=SCO_ITEM["body"]))

    report = json.loads(run.out)
    assert (report["unchanged"], report["changes"]) == (1, [])


def test_backtest_refuses_lines_that_are_not_stored_articles(
    newsalert: Newsalert, alert_taxonomies: tuple[str, str]
) -> None:
    off, on = alert_taxonomies

    run = newsalert("backtest", "--current", off, "--taxonomy", on, stdin=json_lines(SPORT_ITEM))

    assert run.status == 1
    assert "not a stored article" in run.err


def test_backtest_needs_a_candidate(newsalert: Newsalert) -> None:
    with pytest.raises(SystemExit) as exit_info:
        newsalert("backtest")
    assert exit_info.value.code == 2


# ====================================================================== backtest on a stack's archive (moto)

ARCHIVE_BUCKET = "newsalert-ingest-bucket"


@pytest.fixture
def archive_bucket() -> Any:
    import boto3
    from moto import mock_aws

    from newsalert.aws.archive import ArticleArchive

    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=ARCHIVE_BUCKET)
        archive = ArticleArchive(s3, ARCHIVE_BUCKET)
        sco = Article.model_validate_json(stored(SCO_ITEM["title"], body=SCO_ITEM["body"]))
        sport = Article.model_validate_json(stored(SPORT_ITEM["title"]))
        archive.keep([sco, sport], batch_id="batch-1", arrived=sco.received_at)
        # A batch that came back after a failure is archived again: its articles count once.
        archive.keep([sco], batch_id="batch-2", arrived=sco.received_at)
        # Objects beside the archive are left alone.
        s3.put_object(Bucket=ARCHIVE_BUCKET, Key="inbox/story.txt", Body=b"not an archive")
        yield s3


def test_backtest_reads_the_articles_classify_archived(
    newsalert: Newsalert, alert_taxonomies: tuple[str, str], archive_bucket: Any
) -> None:
    off, on = alert_taxonomies

    run = newsalert("backtest", "--bucket", ARCHIVE_BUCKET, "--current", off, "--taxonomy", on, "--json")

    assert run.status == 0, run.err
    report = json.loads(run.out)
    assert (report["articles"], report["appear"], report["refused"]) == (2, 2, [])


def test_backtest_finds_the_archive_from_the_stack_outputs(
    newsalert: Newsalert, alert_taxonomies: tuple[str, str], archive_bucket: Any
) -> None:
    import boto3

    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"IngestBucketName": {"Value": ARCHIVE_BUCKET}},
    }
    boto3.client("cloudformation", region_name="us-east-1").create_stack(
        StackName="newsalert-test", TemplateBody=json.dumps(template)
    )
    off, on = alert_taxonomies

    run = newsalert("backtest", "--stack", "newsalert-test", "--current", off, "--taxonomy", on, "--json")

    assert run.status == 0, run.err
    assert json.loads(run.out)["articles"] == 2


def test_backtest_on_a_stack_that_does_not_exist_is_a_usage_error(
    newsalert: Newsalert, alert_taxonomies: tuple[str, str], archive_bucket: Any
) -> None:
    off, on = alert_taxonomies

    run = newsalert("backtest", "--stack", "no-such-stack", "--current", off, "--taxonomy", on)

    assert run.status == 2
    assert "no-such-stack" in run.err
