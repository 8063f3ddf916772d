"""Who triggers which function, read from the deployed stack and never written down twice.

- Queue to function: the stack's event source mappings, as the Lambda API lists them.
- Bucket to function: the bucket's ``NotificationConfiguration`` in the template.
- Schedule to function, and HTTP route to function: the Scheduler schedule and the HTTP
  API's OpenAPI body in the template (moto cannot create these, so the runtime reads them).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsalert.tools.local.stack import DeployedStack, referenced_ids


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    name: str
    arn: str
    handler: str
    code_path: Path
    environment: dict[str, str]
    timeout: int
    dead_letter_queue_url: str | None = None
    """Where Lambda sends an asynchronous event after its last attempt (the template's ``DeadLetterQueue``)."""


@dataclass(frozen=True)
class QueueConsumer:
    queue_url: str
    queue_arn: str
    function: str
    """Logical id of the consuming function."""
    batch_size: int
    reports_item_failures: bool


@dataclass(frozen=True)
class BucketTrigger:
    bucket: str
    function: str
    events: tuple[str, ...]
    prefix: str = ""
    suffix: str = ""

    def fires_for(self, key: str, event_name: str = "s3:ObjectCreated:Put") -> bool:
        return (
            any(fnmatch.fnmatchcase(event_name, pattern) for pattern in self.events)
            and key.startswith(self.prefix)
            and key.endswith(self.suffix)
        )


@dataclass(frozen=True)
class ScheduleTrigger:
    logical_id: str
    function: str
    input: str
    expression: str


@dataclass(frozen=True)
class Wiring:
    functions: dict[str, FunctionSpec]
    queue_consumers: list[QueueConsumer]
    bucket_triggers: list[BucketTrigger]
    schedules: list[ScheduleTrigger]
    routes: dict[tuple[str, str], str] = field(default_factory=dict)
    """(method, path) to the logical id of the function behind it."""
    api_id: str = "local"

    def route_for(self, method: str, path: str) -> tuple[str, FunctionSpec]:
        """The route a request matches (``/subscriptions/{id}`` for ``/subscriptions/ab1``), and its function."""
        requested = path.strip("/").split("/")
        for (route_method, route_path), function in sorted(self.routes.items()):
            pattern = route_path.strip("/").split("/")
            if route_method == method.upper() and _path_matches(pattern, requested):
                return route_path, self.functions[function]
        raise LookupError(f"template.yaml has no HTTP route {method.upper()} {path}")

    def function_for_route(self, method: str, path: str) -> FunctionSpec:
        return self.route_for(method, path)[1]


def _path_matches(pattern: list[str], requested: list[str]) -> bool:
    """Whether a request's path segments fit a route's, where ``{name}`` takes any one segment."""
    return len(pattern) == len(requested) and all(
        part == given or (part.startswith("{") and part.endswith("}"))
        for part, given in zip(pattern, requested, strict=True)
    )


def _function_named_in(value: Any, functions: dict[str, FunctionSpec]) -> str:
    named = sorted(referenced_ids(value) & functions.keys())
    if len(named) != 1:
        raise ValueError(f"expected one function in {value!r}, found {named}")
    return named[0]


def _resolve_parameter(value: Any, stack: DeployedStack) -> str:
    if isinstance(value, dict) and "Ref" in value:
        return stack.parameters.get(value["Ref"], str(value))
    return str(value)


def _dead_letter_queue_url(
    stack: DeployedStack, clients: Any, logical_id: str, configuration: dict[str, Any]
) -> str | None:
    """The function's dead-letter queue: moto keeps no ``DeadLetterConfig`` on a function it creates
    from a template, so it is read from the translated template, where SAM put it."""
    target = configuration.get("DeadLetterConfig", {}).get("TargetArn") or (
        stack.resource(logical_id).get("Properties", {}).get("DeadLetterConfig", {}).get("TargetArn")
    )
    if isinstance(target, dict) and "Fn::GetAtt" in target:
        queue = target["Fn::GetAtt"][0]
        return stack.physical_ids.get(queue)  # an SQS queue's physical id is its URL
    if isinstance(target, str) and ":sqs:" in target:
        return str(clients.sqs.get_queue_url(QueueName=target.rsplit(":", 1)[1])["QueueUrl"])
    return None


def read_wiring(stack: DeployedStack, clients: Any) -> Wiring:
    functions: dict[str, FunctionSpec] = {}
    for logical_id, code_path in stack.code_paths.items():
        configuration = clients.lambda_.get_function_configuration(FunctionName=stack.physical_ids[logical_id])
        functions[logical_id] = FunctionSpec(
            logical_id=logical_id,
            name=configuration["FunctionName"],
            arn=configuration["FunctionArn"],
            handler=configuration["Handler"],
            code_path=code_path,
            # Lambda holds every variable as a string; moto keeps a Number parameter's int.
            environment={
                name: str(value) for name, value in configuration.get("Environment", {}).get("Variables", {}).items()
            },
            timeout=int(configuration.get("Timeout", 3)),
            dead_letter_queue_url=_dead_letter_queue_url(stack, clients, logical_id, configuration),
        )
    by_arn = {spec.arn: spec.logical_id for spec in functions.values()}

    consumers = []
    for mapping in clients.lambda_.list_event_source_mappings()["EventSourceMappings"]:
        queue_arn = mapping["EventSourceArn"]
        if ":sqs:" not in queue_arn:
            continue
        queue_name = queue_arn.rsplit(":", 1)[1]
        consumers.append(
            QueueConsumer(
                queue_url=clients.sqs.get_queue_url(QueueName=queue_name)["QueueUrl"],
                queue_arn=queue_arn,
                function=by_arn[mapping["FunctionArn"]],
                batch_size=int(mapping.get("BatchSize", 10)),
                reports_item_failures="ReportBatchItemFailures" in mapping.get("FunctionResponseTypes", []),
            )
        )

    bucket_triggers = []
    for logical_id, bucket in stack.resources_of_type("AWS::S3::Bucket"):
        notifications = bucket.get("Properties", {}).get("NotificationConfiguration", {})
        for configuration in notifications.get("LambdaConfigurations", []):
            rules = {
                rule["Name"].lower(): rule["Value"]
                for rule in configuration.get("Filter", {}).get("S3Key", {}).get("Rules", [])
            }
            bucket_triggers.append(
                BucketTrigger(
                    bucket=stack.physical_ids[logical_id],
                    function=_function_named_in(configuration["Function"], functions),
                    events=(configuration["Event"],),
                    prefix=rules.get("prefix", ""),
                    suffix=rules.get("suffix", ""),
                )
            )

    schedules = []
    for logical_id, schedule in stack.resources_of_type("AWS::Scheduler::Schedule"):
        properties = schedule["Properties"]
        schedules.append(
            ScheduleTrigger(
                logical_id=logical_id,
                function=_function_named_in(properties["Target"]["Arn"], functions),
                input=properties["Target"].get("Input", "{}"),
                expression=_resolve_parameter(properties["ScheduleExpression"], stack),
            )
        )

    routes: dict[tuple[str, str], str] = {}
    for _, api in stack.resources_of_type("AWS::ApiGatewayV2::Api"):
        for path, operations in api.get("Properties", {}).get("Body", {}).get("paths", {}).items():
            for method, operation in operations.items():
                integration = operation.get("x-amazon-apigateway-integration", {})
                routes[(method.upper(), path)] = _function_named_in(integration.get("uri"), functions)

    return Wiring(
        functions=functions,
        queue_consumers=consumers,
        bucket_triggers=bucket_triggers,
        schedules=schedules,
        routes=routes,
    )
