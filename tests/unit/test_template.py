"""template.yaml against the code and against the standards every deployment must meet.

A test here fails when the template and the code disagree on a name, or when a change to
the template drops a safeguard (a dead-letter queue, encryption, partial batch responses).
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from typing import Any

import pytest

from newsalert.config import (
    ClassifySettings,
    FunctionSettings,
    IngestSettings,
    NotifySettings,
    SubscriptionsSettings,
)
from newsalert.tools.local.cfn_yaml import load_template
from tests.conftest import PROJECT_ROOT

TEMPLATE = load_template(PROJECT_ROOT / "template.yaml")
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
GLOBALS: dict[str, Any] = TEMPLATE["Globals"]["Function"]
PARAMETERS: dict[str, Any] = TEMPLATE["Parameters"]
SETTINGS: dict[str, type[FunctionSettings | SubscriptionsSettings]] = {
    "IngestFunction": IngestSettings,
    "ClassifyFunction": ClassifySettings,
    "NotifyFunction": NotifySettings,
    "SubscriptionsFunction": SubscriptionsSettings,
}
LOCAL_ONLY_SETTINGS = {"NEWSALERT_ALLOW_LOOPBACK_FETCH"}


def _environment(function: str) -> set[str]:
    names = set(GLOBALS["Environment"]["Variables"])
    names |= set(RESOURCES[function]["Properties"].get("Environment", {}).get("Variables", {}))
    return {name for name in names if not name.startswith("POWERTOOLS_")}


def _aliases(model: type[FunctionSettings | SubscriptionsSettings]) -> set[str]:
    return {field.alias for field in model.model_fields.values() if field.alias}


@pytest.mark.parametrize("function", sorted(SETTINGS))
def test_every_setting_the_code_reads_is_set_by_the_template_and_vice_versa(function: str) -> None:
    read_by_code = _aliases(SETTINGS[function]) - LOCAL_ONLY_SETTINGS
    set_by_template = _environment(function)
    assert read_by_code - set_by_template == set(), "the code reads variables the template never sets"
    assert set_by_template - read_by_code == set(), "the template sets variables the code never reads"


@pytest.mark.parametrize("function", sorted(SETTINGS))
def test_each_function_s_handler_exists_where_the_template_says(function: str) -> None:
    properties = RESOURCES[function]["Properties"]
    module, handler = properties["Handler"].rsplit(".", 1)
    path = PROJECT_ROOT / properties["CodeUri"] / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert handler in {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_functions_run_python_3_13_on_arm64_traced_as_the_operator_chooses_active_by_default() -> None:
    assert GLOBALS["Runtime"] == "python3.13"
    assert GLOBALS["Architectures"] == ["arm64"]
    assert GLOBALS["Tracing"] == {"Ref": "TracingMode"}
    assert PARAMETERS["TracingMode"]["Default"] == "Active"
    assert set(PARAMETERS["TracingMode"]["AllowedValues"]) == {"Active", "PassThrough"}
    assert all(
        "Runtime" not in resource["Properties"]
        for resource in RESOURCES.values()
        if resource["Type"] == "AWS::Serverless::Function"
    )


def _sqs_events() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, resource in RESOURCES.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] == "SQS":
                found.append((name, event["Properties"]))
    return found


def test_every_queue_consumer_reports_partial_batch_failures() -> None:
    consumers = _sqs_events()
    assert len(consumers) == 3
    for _, event in consumers:
        assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_every_consumed_queue_has_a_dead_letter_queue_and_a_long_enough_visibility_timeout() -> None:
    for function, event in _sqs_events():
        queue = RESOURCES[event["Queue"]["Fn::GetAtt"][0]]["Properties"]
        timeout = RESOURCES[function]["Properties"].get("Timeout", GLOBALS["Timeout"])
        assert queue["VisibilityTimeout"] >= 6 * timeout
        dead_letter = queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        assert 1 < queue["RedrivePolicy"]["maxReceiveCount"] <= 10
        assert RESOURCES[dead_letter]["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600


def test_every_queue_is_encrypted_with_the_aws_managed_key_for_sqs() -> None:
    # checkov counts only a KMS key as encryption; the AWS managed key needs no policy in the roles.
    for properties in _properties_of("AWS::SQS::Queue").values():
        assert properties["KmsMasterKeyId"] == "alias/aws/sqs"
        assert "SqsManagedSseEnabled" not in properties


def test_tables_are_on_demand_encrypted_and_recoverable() -> None:
    tables = {
        name: resource["Properties"]
        for name, resource in RESOURCES.items()
        if resource["Type"] == "AWS::DynamoDB::Table"
    }
    assert set(tables) == {"ArticlesTable", "FeedsTable"}
    for table in tables.values():
        assert table["BillingMode"] == "PAY_PER_REQUEST"
        assert table["SSESpecification"]["SSEEnabled"] is True
        assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_the_articles_table_expires_its_items_and_the_registry_keeps_its_feeds() -> None:
    assert RESOURCES["ArticlesTable"]["Properties"]["TimeToLiveSpecification"]["Enabled"] is True
    assert "TimeToLiveSpecification" not in RESOURCES["FeedsTable"]["Properties"]


def test_the_alerts_topic_is_encrypted_with_kms_and_the_bucket_is_private() -> None:
    assert RESOURCES["AlertsTopic"]["Properties"]["KmsMasterKeyId"]
    bucket = RESOURCES["IngestBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]


def test_no_function_gets_a_wildcard_or_full_access_policy() -> None:
    for resource in RESOURCES.values():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for policy in resource["Properties"].get("Policies", []):
            assert isinstance(policy, dict), f"managed policy by name: {policy}"
            for statement in policy.get("Statement", []):
                # An inline statement is allowed only when it is narrower than a policy template: no
                # wildcard but under one of the stack's own resources (its topic's subscriptions, its
                # platform applications' endpoints, the bucket's article archive).
                assert "*" not in str(statement["Action"])
                for resource_text in _resources(statement["Resource"]):
                    assert "*" not in resource_text or resource_text.endswith(
                        ("${AlertsTopic}:*'}", "'/*']]}, {'Ref': 'AWS::NoValue'}]}", "${IngestBucket}/archive/*'}")
                    )


def _resources(resource: Any) -> list[str]:
    if isinstance(resource, list):
        return [str(entry) for entry in resource]
    return [str(resource)]


def test_the_outputs_give_clients_every_resource_they_need() -> None:
    assert {
        "AlertsTopicArn",
        "ArticlesApiUrl",
        "IngestBucketName",
        "ClassifyQueueUrl",
        "NotifyQueueUrl",
        "ArticlesTableName",
        "FeedsTableName",
    } <= set(TEMPLATE["Outputs"])


def test_failing_and_silent_feeds_raise_alarms_on_the_metrics_ingest_publishes() -> None:
    for alarm, metric in (("FeedsFailingAlarm", "FeedsFailing"), ("FeedsSilentAlarm", "FeedsSilent")):
        properties = RESOURCES[alarm]["Properties"]
        assert properties["MetricName"] == metric
        assert properties["Namespace"] == GLOBALS["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"]
        assert properties["Dimensions"] == [
            {
                "Name": "service",
                "Value": RESOURCES["IngestFunction"]["Properties"]["Environment"]["Variables"][
                    "POWERTOOLS_SERVICE_NAME"
                ],
            }
        ]
    ingest_source = (PROJECT_ROOT / "functions" / "ingest" / "app.py").read_text()
    assert '"FeedsFailing"' in ingest_source
    assert '"FeedsSilent"' in ingest_source


def _properties_of(resource_type: str) -> dict[str, dict[str, Any]]:
    return {name: resource["Properties"] for name, resource in RESOURCES.items() if resource["Type"] == resource_type}


ALARMS = _properties_of("AWS::CloudWatch::Alarm")
FUNCTIONS = _properties_of("AWS::Serverless::Function")


def _alarms_on(namespace: str, metric: str, dimension: str, value: Any) -> list[str]:
    return [
        name
        for name, alarm in ALARMS.items()
        if alarm.get("Namespace") == namespace
        and alarm.get("MetricName") == metric
        and alarm.get("Dimensions") == [{"Name": dimension, "Value": value}]
    ]


def _dead_letter_queues() -> set[str]:
    queues = {
        properties["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for properties in _properties_of("AWS::SQS::Queue").values()
        if "RedrivePolicy" in properties
    }
    queues |= {
        properties["DeadLetterQueue"]["TargetArn"]["Fn::GetAtt"][0]
        for properties in FUNCTIONS.values()
        if "DeadLetterQueue" in properties
    }
    return queues


def test_every_queue_has_an_alarm_on_the_age_of_its_oldest_message() -> None:
    queues = _properties_of("AWS::SQS::Queue")
    assert len(queues) == 7
    for queue in queues:
        value = {"Fn::GetAtt": [queue, "QueueName"]}
        assert _alarms_on("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", value), queue


def test_every_dead_letter_queue_alarms_on_its_first_message_and_before_its_messages_expire() -> None:
    dead_letter_queues = _dead_letter_queues()
    assert dead_letter_queues == {name for name in _properties_of("AWS::SQS::Queue") if "DeadLetter" in name}
    for queue in dead_letter_queues:
        [depth] = _alarms_on(
            "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", {"Fn::GetAtt": [queue, "QueueName"]}
        )
        assert ALARMS[depth]["Threshold"] == 0
        [age] = _alarms_on(
            "AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", {"Fn::GetAtt": [queue, "QueueName"]}
        )
        assert ALARMS[age]["Threshold"] < RESOURCES[queue]["Properties"]["MessageRetentionPeriod"]


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_function_has_an_errors_and_a_throttles_alarm(function: str) -> None:
    for metric in ("Errors", "Throttles"):
        [alarm] = _alarms_on("AWS/Lambda", metric, "FunctionName", {"Ref": function})
        assert ALARMS[alarm]["Statistic"] == "Sum"
        assert ALARMS[alarm]["Threshold"] == 0


def test_every_alarm_notifies_the_operator_topic_when_it_fires_and_clears_and_says_what_to_do() -> None:
    runbook = (PROJECT_ROOT / "docs" / "runbook.md").read_text(encoding="utf-8")
    assert len(ALARMS) >= 27
    for name, alarm in ALARMS.items():
        assert alarm["AlarmActions"] == [{"Ref": "OperatorTopic"}], name
        assert alarm["OKActions"] == [{"Ref": "OperatorTopic"}], name
        assert "docs/runbook.md#" in alarm["AlarmDescription"], name
        assert f"`{name}`" in runbook, f"docs/runbook.md does not explain {name}"
        anchor = alarm["AlarmDescription"].split("docs/runbook.md#")[1].split()[0]
        assert f"\n## {anchor.replace('-', ' ')}" in runbook.lower().replace("-", " "), anchor


def test_the_operator_email_is_subscribed_only_when_given() -> None:
    subscription = RESOURCES["OperatorEmailSubscription"]
    assert subscription["Condition"] == "HasOperatorEmail"
    assert subscription["Properties"]["TopicArn"] == {"Ref": "OperatorTopic"}
    assert subscription["Properties"]["Protocol"] == "email"
    assert PARAMETERS["OperatorEmail"]["Default"] == ""
    [statement] = RESOURCES["OperatorTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert statement["Action"] == "sns:Publish"


def test_alerts_per_topic_are_alarmed_on_notify_s_alerts_published() -> None:
    [query] = ALARMS["AlertsPerTopicAlarm"]["Metrics"]
    assert "SUM(AlertsPublished)" in query["Expression"]
    assert "GROUP BY topic" in query["Expression"]
    notify_source = (PROJECT_ROOT / "functions" / "notify" / "app.py").read_text()
    assert '"AlertsPublished"' in notify_source


def test_notify_leaves_a_slot_for_the_digest_and_one_sweep_runs_at_a_time() -> None:
    notify = FUNCTIONS["NotifyFunction"]
    pollers = notify["Events"]["BreakingArticles"]["Properties"]["ScalingConfig"]["MaximumConcurrency"]
    assert 2 <= pollers < notify["ReservedConcurrentExecutions"]
    assert FUNCTIONS["SweepFunction"]["ReservedConcurrentExecutions"] == 1


def test_the_bucket_and_the_api_keep_access_logs() -> None:
    logging = RESOURCES["IngestBucket"]["Properties"]["LoggingConfiguration"]
    assert logging["DestinationBucketName"] == {"Ref": "AccessLogsBucket"}
    logs_bucket = RESOURCES["AccessLogsBucket"]["Properties"]
    assert all(logs_bucket["PublicAccessBlockConfiguration"].values())
    assert logs_bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] > 0
    api_logs = RESOURCES["ArticlesApi"]["Properties"]["AccessLogSettings"]
    assert api_logs["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    assert "$context.requestId" in api_logs["Format"]


def test_the_dashboard_shows_every_queue_and_every_function() -> None:
    body = RESOURCES["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    for queue in _properties_of("AWS::SQS::Queue"):
        assert f"${{{queue}.QueueName}}" in body
    for function in FUNCTIONS:
        assert f"${{{function}}}" in body
    for metric in ("ArticlesQueued", "AlertsPublished", "AlertsUnconfirmed", "ArticlesUnfinished"):
        assert f'"{metric}"' in body


def _checkov() -> str | None:
    local = PROJECT_ROOT / ".venv" / "checkov" / "bin" / "checkov"
    return str(local) if local.exists() else shutil.which("checkov")


@pytest.mark.skipif(_checkov() is None, reason="checkov is installed by make lint (.venv/checkov)")
def test_checkov_fails_nothing_and_every_suppression_gives_its_reason() -> None:
    checkov = _checkov()
    assert checkov is not None
    completed = subprocess.run(
        [checkov, "--file", "template.yaml", "--framework", "cloudformation", "--output", "json", "--skip-download"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(completed.stdout)
    failed = [f"{check['check_id']} {check['resource']}" for check in report["results"]["failed_checks"]]
    assert failed == []
    assert report["summary"]["passed"] > 0
    for check in report["results"]["skipped_checks"]:
        reason = check["check_result"].get("suppress_comment")
        assert reason, f"{check['check_id']} {check['resource']} is skipped without a reason"


def test_cfn_lint_finds_nothing() -> None:
    # `sam validate --lint` runs cfn-lint; so does this, without needing the SAM CLI.
    from cfnlint.api import lint_file

    findings = lint_file(PROJECT_ROOT / "template.yaml")

    assert [str(finding) for finding in findings] == []
