"""The whole pipeline: template.yaml deployed into embedded AWS, the samples in, alerts out."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from newsalert.notify.subscribers import Subscriber, load_subscribers
from newsalert.tools.cli import main
from newsalert.tools.local.simulation import plan_inputs, run_simulation
from tests.conftest import PROJECT_ROOT, SAMPLE_ARTICLE, SAMPLE_NOW, SAMPLE_TITLE, SAMPLES

pytestmark = pytest.mark.e2e

FOLLOWERS = [
    Subscriber(name="sco", protocol="email", endpoint="sco@example.org", topics=("sco",)),
    Subscriber(
        name="geopolitics",
        protocol="push",
        platform="fcm",
        endpoint="fcm-token-geopolitics-0001",
        topics=("geopolitics",),
    ),
    Subscriber(name="sport", protocol="sms", endpoint="+15555550100", topics=("sport",)),
]


def test_the_sample_article_reaches_the_sco_and_geopolitics_followers_only() -> None:
    report = run_simulation(
        PROJECT_ROOT, plan_inputs([str(SAMPLE_ARTICLE)]), FOLLOWERS, now=SAMPLE_NOW, log=io.StringIO()
    )

    [entry] = report.inputs
    [article] = entry.articles
    assert article.fate == "alerted"
    assert article.title == SAMPLE_TITLE
    assert {"sco", "geopolitics"} <= set(article.topics)
    received = {subscriber.name: subscriber.received for subscriber in report.subscribers}
    assert [SAMPLE_TITLE in alert["message"] for alert in received["sco"]] == [True]
    assert len(received["geopolitics"]) == 1
    assert received["sport"] == []


def test_the_same_article_replayed_as_old_news_is_not_breaking() -> None:
    a_year_later = SAMPLE_NOW.replace(year=2025)

    report = run_simulation(
        PROJECT_ROOT, plan_inputs([str(SAMPLE_ARTICLE)]), FOLLOWERS, now=a_year_later, log=io.StringIO()
    )

    [article] = report.inputs[0].articles
    assert article.fate == "not_breaking"
    assert re.search(r"published 1[12] months? before it was received \(limit 6 h\)", article.reason or "")
    assert all(subscriber.received == [] for subscriber in report.subscribers)


def test_every_article_of_every_sample_input_is_accounted_for() -> None:
    # Given every bundled sample: a dropped article, a push with a bad item, two feeds with a duplicate,
    # wire reports of two earthquakes from several outlets
    subscribers = load_subscribers(PROJECT_ROOT / "events" / "subscribers.yaml")

    report = run_simulation(PROJECT_ROOT, plan_inputs([str(SAMPLES)]), subscribers, now=SAMPLE_NOW, log=io.StringIO())

    # Then each article that entered has one final fate, and none is stuck or lost
    fates = [article.fate for entry in report.inputs for article in entry.articles]
    assert set(fates) <= {"alerted", "joined", "held", "not_breaking", "duplicate", "quarantined"}
    assert report.totals["joined"] >= 1  # a second outlet's report of a story alerted already
    assert report.totals == {fate: fates.count(fate) for fate in set(fates)}
    assert report.totals["duplicate"] == 1
    assert report.totals["quarantined"] == 1
    assert all(count == 0 for count in report.dead_letters.values())
    # and every alert a subscriber received is one of the alerted articles
    alerted_titles = {
        article.title for entry in report.inputs for article in entry.articles if article.fate == "alerted"
    }
    for subscriber in report.subscribers:
        for alert in subscriber.received:
            assert any(title in alert["message"] or title in alert["subject"] for title in alerted_titles)
    assert report.totals["alerted"] == len(alerted_titles)
    # and the report says which alert of its story each alerted article sent, and why
    alerts = [article.alert or "" for entry in report.inputs for article in entry.articles if article.fate == "alerted"]
    assert all(re.match(r"story-\w+#\d+: ", alert) for alert in alerts)
    [update] = [alert for alert in alerts if not alert.split(":")[0].endswith("#0")]  # the Sylhet death toll
    assert update.endswith("urgency rose from urgent to flash")


def test_simulate_prints_json_for_scripts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status = main(
        [
            "simulate",
            str(SAMPLE_ARTICLE),
            "--now",
            SAMPLE_NOW.isoformat(),
            "--json",
            "--root",
            str(PROJECT_ROOT),
            "--log",
            str(tmp_path / "simulate.log"),
        ]
    )

    assert status == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"] == {"alerted": 1}
    sco_followers = [s for s in report["subscribers"] if "sco" in s["topics"]]
    assert sco_followers
    assert all(len(s["received"]) == 1 for s in sco_followers)
    assert '"message":"admitted"' in (tmp_path / "simulate.log").read_text()


def test_simulate_pushes_a_json_file_s_bytes_and_reports_one_that_is_not_utf8_as_quarantined(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pushed = tmp_path / "latin1.json"
    pushed.write_bytes('{"title": "Pétin visits Astana", "source": "Wire"}'.encode("latin-1"))

    status = main(["simulate", str(pushed), "--now", SAMPLE_NOW.isoformat(), "--json", "--root", str(PROJECT_ROOT)])

    assert status == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"] == {"quarantined": 1}
    assert "is not UTF-8 (byte 0xe9" in json.dumps(report)


def test_simulate_refuses_a_feed_url_beyond_this_machine(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["simulate", "https://feeds.example.com/rss.xml", "--root", str(PROJECT_ROOT)])

    assert status == 2
    assert "127.0.0.1" in capsys.readouterr().err
