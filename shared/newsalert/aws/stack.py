"""A deployed stack's outputs: how the tools find its tables, queues and topic by the stack's name."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient


class MissingOutputError(LookupError):
    """The stack has no such output: not a newsalert stack, or one deployed from an older template."""


def stack_outputs(cloudformation: CloudFormationClient, stack_name: str) -> dict[str, str]:
    """Every output of ``stack_name``, by key."""
    return describe_stack(cloudformation, stack_name)[0]


def describe_stack(cloudformation: CloudFormationClient, stack_name: str) -> tuple[dict[str, str], dict[str, str]]:
    """The outputs and the parameters of ``stack_name``, each by key."""
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    parameters = {entry["ParameterKey"]: entry.get("ParameterValue", "") for entry in stack.get("Parameters", [])}
    return outputs, parameters


def stack_output(cloudformation: CloudFormationClient, stack_name: str, key: str) -> str:
    """One output of ``stack_name``; ``MissingOutputError`` naming the stack and the key when it has none."""
    outputs = stack_outputs(cloudformation, stack_name)
    if key not in outputs:
        raise MissingOutputError(f"stack {stack_name} has no {key} output")
    return outputs[key]
