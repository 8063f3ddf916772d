"""The local runtime deploys template.yaml itself and takes all wiring from the stack."""

from __future__ import annotations

from typing import Any

from newsalert.tools.local.stack import referenced_ids, split_for_moto


def test_the_stack_holds_every_resource_the_template_declares_that_moto_can_create(runtime: Any) -> None:
    declared = set(runtime.stack.template["Resources"])
    created = {
        resource["LogicalResourceId"]
        for resource in runtime.clients.cloudformation.describe_stack_resources(StackName=runtime.stack.name)[
            "StackResources"
        ]
    }
    assert created | set(runtime.stack.emulated) == declared
    # What moto lacks is read by the runtime, not lost: the schedule and the HTTP API among it
    emulated_types = {resource["Type"] for resource in runtime.stack.emulated.values()}
    assert {"AWS::Scheduler::Schedule", "AWS::ApiGatewayV2::Api"} <= emulated_types


def test_queue_wiring_comes_from_the_stack_s_event_source_mappings(runtime: Any) -> None:
    consumers = {
        consumer.queue_url: (consumer.function, consumer.batch_size, consumer.reports_item_failures)
        for consumer in runtime.wiring.queue_consumers
    }
    assert consumers == {
        runtime.stack.outputs["PollQueueUrl"]: ("IngestFunction", 5, True),
        runtime.stack.outputs["ClassifyQueueUrl"]: ("ClassifyFunction", 100, True),
        runtime.stack.outputs["NotifyQueueUrl"]: ("NotifyFunction", 10, True),
    }


def test_bucket_schedule_and_route_wiring_come_from_the_template(runtime: Any) -> None:
    [bucket_trigger] = runtime.wiring.bucket_triggers
    assert bucket_trigger.bucket == runtime.stack.outputs["IngestBucketName"]
    assert bucket_trigger.function == "IngestFunction"
    assert bucket_trigger.fires_for("inbox/story.txt")
    assert not bucket_trigger.fires_for("config/feeds.json")

    poll, digest, sweep = sorted(runtime.wiring.schedules, key=lambda schedule: schedule.function)
    assert (poll.function, poll.expression) == ("IngestFunction", "rate(5 minutes)")
    assert '"poll-feeds"' in poll.input
    assert (digest.function, digest.expression) == ("NotifyFunction", "rate(1 hour)")
    assert '"send-digests"' in digest.input
    assert (sweep.function, sweep.expression) == ("SweepFunction", "rate(1 day)")
    assert '"sweep"' in sweep.input

    assert runtime.wiring.function_for_route("POST", "/articles").logical_id == "IngestFunction"


def test_functions_get_the_environment_the_template_resolves(runtime: Any) -> None:
    ingest = runtime.wiring.functions["IngestFunction"].environment
    assert ingest["FEEDS_TABLE"] == runtime.stack.outputs["FeedsTableName"]
    assert ingest["POLL_QUEUE_URL"] == runtime.stack.outputs["PollQueueUrl"]
    assert ingest["FEED_FAILING_AFTER"] == "3"
    assert ingest["CLASSIFY_QUEUE_URL"] == runtime.stack.outputs["ClassifyQueueUrl"]
    assert ingest["ARTICLES_TABLE"] == runtime.stack.outputs["ArticlesTableName"]
    notify = runtime.wiring.functions["NotifyFunction"].environment
    assert notify["ALERTS_TOPIC_ARN"] == runtime.stack.outputs["AlertsTopicArn"]
    assert notify["POWERTOOLS_SERVICE_NAME"] == "notify"


def test_resources_that_depend_on_an_unsupported_one_are_left_out_with_it() -> None:
    template = {
        "Resources": {
            "Api": {"Type": "AWS::Unsupported::Thing", "Properties": {}},
            "Permission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {"SourceArn": {"Fn::Sub": "arn:aws:execute-api:${Api}/*"}},
            },
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}},
        },
        "Outputs": {"Url": {"Value": {"Ref": "Api"}}, "QueueUrl": {"Value": {"Ref": "Queue"}}},
    }

    kept, left_out = split_for_moto(template)

    assert set(kept["Resources"]) == {"Queue"}
    assert set(left_out) == {"Api", "Permission"}
    assert set(kept["Outputs"]) == {"QueueUrl"}


def test_references_are_found_in_every_intrinsic_form() -> None:
    value = {
        "A": {"Ref": "One"},
        "B": {"Fn::GetAtt": ["Two", "Arn"]},
        "C": {"Fn::Sub": "${Three.Arn}/${AWS::Region}/${!Literal}"},
        "D": {"Fn::Sub": ["${X}", {"X": {"Ref": "Four"}}]},
        "DependsOn": ["Five"],
    }
    assert referenced_ids(value) == {"One", "Two", "Three", "AWS::Region", "X", "Four", "Five"}
