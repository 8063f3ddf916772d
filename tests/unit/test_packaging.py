"""The Lambda layer carries what the code needs: pyproject.toml and shared/requirements.txt agree."""

from __future__ import annotations

import re
import sys
import tomllib

from tests.conftest import PROJECT_ROOT
from tests.imports import imports_of, package_modules, within

# Import name to distribution name, where they differ.
DISTRIBUTIONS = {"aws_lambda_powertools": "aws-lambda-powertools", "yaml": "pyyaml"}
# The Lambda Python runtime provides these; the layer need not carry them.
PROVIDED_BY_LAMBDA = {"boto3", "botocore"}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", line.strip(), maxsplit=1)[0].lower() for line in requirements}


def _declared() -> list[str]:
    with (PROJECT_ROOT / "pyproject.toml").open("rb") as handle:
        dependencies: list[str] = tomllib.load(handle)["project"]["dependencies"]
    return dependencies


def test_the_layer_requirements_are_the_package_dependencies() -> None:
    lines = (PROJECT_ROOT / "shared" / "requirements.txt").read_text().splitlines()
    layer = [line for line in lines if line.strip() and not line.startswith("#")]
    assert sorted(layer) == sorted(_declared())


def test_every_third_party_import_of_the_deployed_package_is_a_dependency() -> None:
    imported: set[str] = set()
    for module, path in package_modules().items():
        if within(module, "newsalert.tools"):
            continue  # the tools are not in the layer (tests/unit/test_architecture.py keeps handlers off them)
        imported.update(name.split(".")[0] for name, typing_only in imports_of(path) if not typing_only)
    third_party = imported - set(sys.stdlib_module_names) - {"newsalert"} - PROVIDED_BY_LAMBDA
    needed = {DISTRIBUTIONS.get(name, name).lower() for name in third_party}
    assert needed <= _names(_declared())
