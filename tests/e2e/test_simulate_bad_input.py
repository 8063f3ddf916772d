"""``newsalert simulate`` on hostile and broken input: every input is reported with its reason, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsalert.ingest.limits import MAX_FEED_BYTES, MAX_JSON_ARTICLES
from newsalert.tools.cli import main
from tests.conftest import PROJECT_ROOT, SAMPLE_NOW

pytestmark = pytest.mark.e2e


def pushed_line(number: int) -> str:
    return json.dumps(
        {"title": f"Minister resigns, day {number}", "source": "Wire", "published": "2024-07-04T09:00:00Z"}
    )


def big_feed(size: int) -> bytes:
    item = "<item><title>Minister resigns</title><link>https://wire.example/{n}</link><description>{text}</description></item>"
    text = "The minister resigned. " * 40
    items = []
    while sum(map(len, items)) < size:
        items.append(item.format(n=len(items), text=text))
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{"".join(items)}</channel></rss>'.encode()
    )


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of inputs that once ended a run with a traceback, or were lost."""
    folder = tmp_path_factory.mktemp("bad-input")
    (folder / "huge-feed.xml").write_bytes(big_feed(20 * 1_048_576))
    (folder / "deep.json").write_text("[" * 5_000 + "]" * 5_000)
    (folder / "too-many.jsonl").write_text("\n".join(pushed_line(n) for n in range(MAX_JSON_ARTICLES + 1)))
    japanese = "東京で震度五強の地震\n\n東京都内で震度五強の揺れを観測した。\n"
    (folder / "jishin.txt").write_bytes(japanese.encode("shift_jis"))
    (folder / "huge.txt").write_text("Minister resigns over the budget\n\n" + "The minister resigned today. " * 31_000)
    return folder


def test_simulate_reports_each_bad_input_with_its_reason_and_prints_no_traceback(
    bad_inputs: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    status = main(["simulate", str(bad_inputs), "--now", SAMPLE_NOW.isoformat(), "--json", "--root", str(PROJECT_ROOT)])

    out, err = capfd.readouterr()
    assert status == 0
    assert "Traceback" not in out + err
    inputs = {Path(entry["input"]).name: entry for entry in json.loads(out)["inputs"]}
    assert f"larger than {MAX_FEED_BYTES:,} bytes" in inputs["huge-feed.xml"]["error"]
    [deep] = inputs["deep.json"]["articles"]
    assert deep["fate"] == "quarantined"
    assert deep["reason"].startswith("JSON nested deeper than 64 levels")
    [too_many] = inputs["too-many.jsonl"]["articles"]
    assert (
        too_many["reason"]
        == f"{MAX_JSON_ARTICLES + 1} articles in one request; at most {MAX_JSON_ARTICLES} are accepted"
    )
    [japanese] = inputs["jishin.txt"]["articles"]
    assert japanese["title"] == "東京で震度五強の地震"
    assert japanese["fate"] not in ("quarantined", "failed", "missing")
    [huge] = inputs["huge.txt"]["articles"]
    assert huge["fate"] not in ("quarantined", "failed", "missing")
