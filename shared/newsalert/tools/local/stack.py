"""Deploying template.yaml into embedded AWS: package, translate, create the stack.

This does locally what ``sam build && sam deploy`` does in AWS, in the same order:
the code folders named by ``CodeUri``/``ContentUri`` are built (a ``makefile`` build method
runs the folder's Makefile, as ``sam build`` does), zipped and uploaded to an artifacts
bucket, the SAM template is translated to CloudFormation by aws-sam-translator, and the
result is created as a CloudFormation stack in moto.

moto's CloudFormation lacks a few resource types (the EventBridge Scheduler schedule
and the HTTP API among them). Those are left out of the moto stack, together with
whatever depends on them, and kept in ``DeployedStack.emulated`` so that the runtime
reads their wiring from the template instead of from a second copy in code.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moto.cloudformation.parsing import get_model_map
from samtranslator.translator.transform import transform

from newsalert.tools.local.cfn_yaml import load_template

SAM_CODE_PROPERTIES = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
}
ARTIFACTS_BUCKET = "newsalert-local-artifacts"
# Left out of the code zips: they are build and test by-products, not code.
_SKIPPED_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache"}


@dataclass(frozen=True)
class DeployedStack:
    """A stack created in embedded AWS from template.yaml, and what the runtime needs of it."""

    name: str
    region: str
    template: dict[str, Any]
    """The translated CloudFormation template, every resource included."""
    physical_ids: dict[str, str]
    """Logical id to physical id (name, URL or ARN) of each resource moto created."""
    outputs: dict[str, str]
    parameters: dict[str, str]
    code_paths: dict[str, Path]
    """Logical id of each function to the local folder its CodeUri names."""
    emulated: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Resources moto cannot create, which the runtime reads from the template."""

    def resource(self, logical_id: str) -> dict[str, Any]:
        resource: dict[str, Any] = self.template["Resources"][logical_id]
        return resource

    def resources_of_type(self, resource_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for logical_id, resource in self.template["Resources"].items():
            if resource["Type"] == resource_type:
                yield logical_id, resource


class _NoManagedPolicies:
    """The translator asks for managed-policy names only when a template uses them by name.

    newsalert's template uses policy templates and ARNs only, so there is nothing to look up
    (in AWS, ``sam`` would call IAM here).
    """

    def load(self) -> dict[str, str]:
        return {}


MAKEFILE_PACKAGE_TARGET = "layer-package"
"""What a ``BuildMethod: makefile`` code folder builds without the network: the code, not the dependencies.

``sam build`` runs ``build-<LogicalId>``, which also installs the dependencies as wheels for
Lambda's platform; locally they are already installed, so only the code part is built, by the
same Makefile (shared/Makefile says what goes in)."""


def _built_folder(folder: Path, metadata: dict[str, Any], scratch: Path) -> Path:
    """The folder whose contents the code zip holds: the folder itself, or what its Makefile builds."""
    if metadata.get("BuildMethod") != "makefile":
        return folder
    artifacts = scratch / folder.name
    subprocess.run(  # noqa: S603 - make, with a target and a folder of our own
        ["make", "--silent", "-C", str(folder), MAKEFILE_PACKAGE_TARGET, f"ARTIFACTS_DIR={artifacts}"],  # noqa: S607
        check=True,
        capture_output=True,
    )
    return artifacts


def _zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not _SKIPPED_PARTS.intersection(path.parts):
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def package_code(template: dict[str, Any], root: Path, s3: Any) -> dict[str, Path]:
    """Zip every local code folder (built by its Makefile where the template says so), upload it,
    and point the template at the upload.

    Returns the local folder of each function, by logical id. Mutates ``template``.
    """
    s3.create_bucket(Bucket=ARTIFACTS_BUCKET)
    code_paths: dict[str, Path] = {}
    for logical_id, resource in template["Resources"].items():
        code_property = SAM_CODE_PROPERTIES.get(resource["Type"])
        if code_property is None:
            continue
        location = resource.get("Properties", {}).get(code_property)
        if not isinstance(location, str) or location.startswith("s3://"):
            continue
        folder = (root / location).resolve()
        if not folder.is_dir():
            raise FileNotFoundError(f"{logical_id}: {code_property} {location!r} is not a folder under {root}")
        key = f"{logical_id}.zip"
        with tempfile.TemporaryDirectory(prefix="newsalert-build-") as scratch:
            built = _built_folder(folder, resource.get("Metadata", {}), Path(scratch))
            s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=key, Body=_zip_folder(built))
        resource["Properties"][code_property] = f"s3://{ARTIFACTS_BUCKET}/{key}"
        if resource["Type"] == "AWS::Serverless::Function":
            code_paths[logical_id] = folder
    return code_paths


def referenced_ids(value: Any) -> set[str]:
    """Every logical id that a piece of template refers to, through Ref, GetAtt, Sub or DependsOn."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else str(inner).split(".")[0])
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                found.update(name.split(".")[0] for name in re.findall(r"\$\{([^}!]+)\}", text))
                if isinstance(inner, list):
                    found.update(referenced_ids(inner[1]))
            elif key == "DependsOn":
                found.update([inner] if isinstance(inner, str) else inner)
            else:
                found.update(referenced_ids(inner))
    elif isinstance(value, list):
        for inner in value:
            found.update(referenced_ids(inner))
    return found


def split_for_moto(template: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The part of ``template`` that moto can create, and the resources it cannot.

    A resource moto can create is still left out when it refers to one that moto cannot
    (the API's invoke permission refers to the API, for example).
    """
    supported = get_model_map()
    resources = template["Resources"]
    left_out = {logical_id for logical_id, resource in resources.items() if resource["Type"] not in supported}
    changed = True
    while changed:
        dependants = {
            logical_id
            for logical_id, resource in resources.items()
            if logical_id not in left_out and referenced_ids(resource) & left_out
        }
        changed = bool(dependants)
        left_out |= dependants
    kept = {logical_id: resource for logical_id, resource in resources.items() if logical_id not in left_out}
    outputs = {
        name: output for name, output in template.get("Outputs", {}).items() if not referenced_ids(output) & left_out
    }
    for resource in kept.values():
        if resource["Type"] == "AWS::Lambda::EventSourceMapping":
            # The runtime is Lambda's poller here: moto's own would run the function in Docker.
            resource["Properties"]["Enabled"] = False
    moto_template = {**template, "Resources": kept, "Outputs": outputs}
    return moto_template, {logical_id: resources[logical_id] for logical_id in sorted(left_out)}


def deploy_stack(
    root: Path,
    clients: Any,
    *,
    stack_name: str,
    parameters: dict[str, str] | None = None,
) -> DeployedStack:
    """Deploy ``root/template.yaml`` into the embedded AWS that ``clients`` talk to."""
    region = clients.region
    template = load_template(root / "template.yaml")
    code_paths = package_code(template, root, clients.s3)
    parameters = dict(parameters or {})
    # The translator reads the region from the environment, as sam does.
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    translated = transform(template, parameters, _NoManagedPolicies())
    moto_template, emulated = split_for_moto(translated)
    clients.cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(moto_template),
        Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in parameters.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = clients.cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(f"stack {stack_name} ended in {stack['StackStatus']}: {stack.get('StackStatusReason')}")
    resources = clients.cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    declared = {entry["ParameterKey"]: entry["ParameterValue"] for entry in stack.get("Parameters", [])}
    return DeployedStack(
        name=stack_name,
        region=region,
        template=translated,
        physical_ids={
            entry["LogicalResourceId"]: entry["PhysicalResourceId"]
            for entry in resources
            if "PhysicalResourceId" in entry
        },
        outputs={entry["OutputKey"]: entry["OutputValue"] for entry in stack.get("Outputs", [])},
        parameters=declared,
        code_paths=code_paths,
        emulated=emulated,
    )
