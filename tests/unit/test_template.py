"""template.yaml against the code and against the standards every deployment must meet.

A test here fails when the template and the code disagree on a name, or when a change to
the template drops a safeguard (a dead-letter queue, encryption, partial batch responses).
"""

from __future__ import annotations

import ast
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


def test_every_consumed_queue_has_a_dead_letter_queue_encryption_and_a_long_enough_visibility_timeout() -> None:
    for function, event in _sqs_events():
        queue = RESOURCES[event["Queue"]["Fn::GetAtt"][0]]["Properties"]
        timeout = RESOURCES[function]["Properties"].get("Timeout", GLOBALS["Timeout"])
        assert queue["VisibilityTimeout"] >= 6 * timeout
        assert queue["SqsManagedSseEnabled"] is True
        dead_letter = queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        assert RESOURCES[dead_letter]["Properties"]["SqsManagedSseEnabled"] is True
        assert 1 < queue["RedrivePolicy"]["maxReceiveCount"] <= 10


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


def test_cfn_lint_finds_nothing() -> None:
    # `sam validate --lint` runs cfn-lint; so does this, without needing the SAM CLI.
    from cfnlint.api import lint_file

    findings = lint_file(PROJECT_ROOT / "template.yaml")

    assert [str(finding) for finding in findings] == []
