"""``newsalert status``, ``redrive`` and ``replay`` against the stack from template.yaml, found by its name."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from newsalert.notify.subscribers import Subscriber
from newsalert.tools.cli import main
from tests.integration.fault_hooks import Faults, refusal
from tests.integration.test_sweep import PUSHED

DESK = Subscriber(name="sco desk", protocol="email", endpoint="sco@example.org", topics=("sco",))


def _run(runtime: Any, *args: str) -> int:
    return main([*args, "--stack", runtime.stack.name, "--region", runtime.region])


def _deliveries(runtime: Any) -> int:
    [recipient] = runtime.recipients
    return len(runtime.mailbox.for_subscription(recipient.subscription_arn))


def _alert_with_sns_down(runtime: Any, faults: Faults) -> list[bool]:
    """The sample pushed and drained while SNS refuses every publish: its alert ends in notify's dead letters."""
    runtime.subscribe([DESK])
    sns_down = [True]
    faults.on("before-call.sns.Publish", lambda **_: refusal(400, "KMSThrottling") if sns_down[0] else None)
    runtime.push_articles(json.dumps(PUSHED))
    runtime.drain()
    return sns_down


def test_status_of_a_quiet_stack_is_all_well(runtime: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(runtime, "status") == 0
    out = capsys.readouterr().out
    assert "classify  0 waiting, 0 in flight" in out
    assert "alarms in alarm: none" in out

    assert _run(runtime, "status", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    assert set(status["dead_letters"]) == {"ingest", "poll", "classify", "notify"}
    assert set(status["queues"]) == {"poll", "classify", "notify"}


def test_a_dead_letter_shows_in_status_and_redrive_sends_it_back_to_alert_once(
    runtime: Any, faults: Faults, capsys: pytest.CaptureFixture[str]
) -> None:
    sns_down = _alert_with_sns_down(runtime, faults)

    assert _run(runtime, "status") == 1  # a dead letter wants an operator
    out = capsys.readouterr().out
    assert "notify    1  (`newsalert redrive` sends them back)" in out
    assert PUSHED["title"][:40] in out
    assert _run(runtime, "redrive", "--dry-run") == 0
    assert "notify: 1 dead letters, would move 1" in capsys.readouterr().out
    assert len(runtime.dead_letters()["NotifyDeadLetterQueue"]) == 1  # a dry run moves nothing

    sns_down[0] = False
    assert _run(runtime, "redrive", "--stage", "notify") == 0
    assert "notify: 1 dead letters, moved 1" in capsys.readouterr().out
    runtime.drain()

    assert _deliveries(runtime) == 1
    assert runtime.dead_letters()["NotifyDeadLetterQueue"] == []
    assert _run(runtime, "status") == 0


def test_replay_classifies_archived_articles_again_without_alerting_twice(
    runtime: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    runtime.subscribe([DESK])
    runtime.push_articles(json.dumps(PUSHED))
    runtime.drain()
    assert _deliveries(runtime) == 1

    assert _run(runtime, "replay", "--since", "2024-07-04T00:00Z", "--until", "2024-07-05T00:00Z") == 0
    assert "replayed 1 articles received 2024-07-04T00:00:00+00:00" in capsys.readouterr().out
    runtime.drain()

    assert _deliveries(runtime) == 1
    [article] = [item for item in runtime.table_items() if item["pk"].startswith("ARTICLE#")]
    assert article["status"] == "alerted"
    assert _run(runtime, "replay", "--since", "2024-07-05T00:00Z", "--until", "2024-07-06T00:00Z", "--dry-run") == 0
    assert "would replay 0 articles" in capsys.readouterr().out


def test_the_operator_commands_say_what_is_wrong_in_one_line(runtime: Any, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["status"], ["redrive"], ["replay", "--since", "2024-07-04T00:00Z"]):
        assert main([*command, "--stack", "NoSuch", "--region", runtime.region]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "no stack named NoSuch" in err
    assert _run(runtime, "replay", "--since", "2024-07-05T00:00Z", "--until", "2024-07-04T00:00Z") == 2
    assert "--until must come after --since" in capsys.readouterr().err


def test_status_shows_the_latest_alerts_and_quarantined_inputs_from_the_functions_logs(
    runtime: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # In AWS each function logs to its log group; locally the runtime keeps the logs itself, so the
    # lines notify and ingest write are put in their groups here, as Lambda would.
    logs = runtime.clients.client("logs")
    lines = {
        "NotifyFunctionName": {"message": "alerted", "alert_id": "story-1#0", "sent_to": ["sco", "geopolitics"]},
        "IngestFunctionName": {"message": "quarantined", "origin": "s3://inbox/scan.pdf", "reason": "not text"},
    }
    for output, line in lines.items():
        group = f"/aws/lambda/{runtime.stack.outputs[output]}"  # the template's log group
        logs.create_log_stream(logGroupName=group, logStreamName="2024/07/04/[$LATEST]local")
        stamp = datetime.now(UTC)
        logs.put_log_events(
            logGroupName=group,
            logStreamName="2024/07/04/[$LATEST]local",
            logEvents=[
                {
                    "timestamp": int(stamp.timestamp() * 1000),
                    "message": json.dumps(line | {"timestamp": stamp.isoformat()}),
                }
            ],
        )

    assert _run(runtime, "status") == 0
    out = capsys.readouterr().out
    assert "story-1#0  to sco, geopolitics" in out
    assert "s3://inbox/scan.pdf: not text" in out
