"""The folders are rooms: who may import whom, checked on the source (lazy imports included).

- ``newsalert.aws`` holds the only modules that touch boto3; domain code never imports an adapter.
- ``newsalert.tools`` (CLI, local runtime, evaluation) is never imported by anything else, so no
  handler can reach it and the Lambda layer does not carry it.
- Each stage stands alone: ingest, classify, notify and the sweeper share only the top-level modules
  (models, ports, config...), which import no stage.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.imports import imports_of, package_modules, reachable_from, within

HANDLERS = sorted((PROJECT_ROOT / "functions").glob("*/app.py"))
STAGES = ("newsalert.ingest", "newsalert.classify", "newsalert.notify", "newsalert.sweep")
ADAPTERS = "newsalert.aws"
TOOLS = "newsalert.tools"
AWS_SDK = ("boto3", "botocore", "moto")


def _violations(rule: str, allowed: object) -> list[str]:
    assert callable(allowed)
    found = []
    for module, path in sorted(package_modules().items()):
        for imported, typing_only in imports_of(path):
            if not allowed(module, imported, typing_only):
                found.append(f"{module} imports {imported} ({rule})")
    return found


def test_no_module_outside_the_tools_imports_the_tools() -> None:
    def allowed(module: str, imported: str, _typing_only: bool) -> bool:
        return within(module, TOOLS) or not within(imported, TOOLS)

    assert _violations("tools are never a dependency", allowed) == []


def test_domain_code_never_imports_an_adapter() -> None:
    def allowed(module: str, imported: str, _typing_only: bool) -> bool:
        outside = within(module, ADAPTERS) or within(module, TOOLS)
        return outside or not within(imported, ADAPTERS)

    assert _violations("ports point inward: the adapter implements the domain's port", allowed) == []


def test_only_the_adapters_and_the_tools_touch_the_aws_sdk() -> None:
    def allowed(module: str, imported: str, typing_only: bool) -> bool:
        sdk = any(within(imported, name) for name in AWS_SDK) or imported.startswith("mypy_boto3_")
        return not sdk or typing_only or within(module, ADAPTERS) or within(module, TOOLS)

    assert _violations("boto3 belongs in newsalert.aws", allowed) == []


def test_each_stage_stands_alone_and_the_shared_modules_import_no_stage() -> None:
    def stage_of(module: str) -> str | None:
        return next((stage for stage in STAGES if within(module, stage)), None)

    def allowed(module: str, imported: str, _typing_only: bool) -> bool:
        if within(module, ADAPTERS) or within(module, TOOLS) or not imported.startswith("newsalert"):
            return True
        target = stage_of(imported)
        return target is None or target == stage_of(module)

    assert _violations("stages share only the top-level modules", allowed) == []


@pytest.mark.parametrize("handler", HANDLERS, ids=lambda path: path.parent.name)
def test_a_handler_reaches_nothing_in_the_tools(handler: Path) -> None:
    reached = reachable_from(handler)

    assert any(within(module, stage) for stage in STAGES for module in reached)
    assert sorted(module for module in reached if within(module, TOOLS)) == []


def test_the_checks_see_a_violation_when_there_is_one(tmp_path: Path) -> None:
    # The import reader itself: a lazy import inside a function is found, a TYPE_CHECKING one is marked.
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import boto3\n"
        "def later():\n    from newsalert.tools.cli import main\n"
    )

    found = dict(imports_of(source))

    assert found["newsalert.tools.cli"] is False
    assert found["boto3"] is True
