"""The handlers trace with X-Ray in Lambda, and import nothing of it where tracing is off."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

PROBE = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("app", "functions/classify/app.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
provider = type(module.tracer.provider).__name__
print(provider, module.tracer.disabled, "aws_xray_sdk.core" in sys.modules)
"""


def _probe(**environment: str) -> list[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "LAMBDA_", "POWERTOOLS_"))}
    env.update(environment)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_outside_lambda_the_tracer_is_off_and_the_xray_sdk_is_not_imported() -> None:
    provider, disabled, xray_imported = _probe()

    assert provider == "_UntracedProvider"
    assert disabled == "True"
    assert xray_imported == "False"


def test_in_lambda_the_tracer_uses_xray() -> None:
    provider, disabled, xray_imported = _probe(LAMBDA_TASK_ROOT="/var/task", AWS_LAMBDA_FUNCTION_NAME="classify")

    assert provider != "_UntracedProvider"
    assert disabled == "False"
    assert xray_imported == "True"
