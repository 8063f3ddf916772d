"""The garbage collector is paused from a handler's first import to the end of its first invocation."""

from __future__ import annotations

import ast
import gc
import io
import os
from collections.abc import Iterator
from typing import Any

import pytest
from aws_lambda_powertools import Logger

from newsalert.cold_start import collector_paused, pause_collector, resume_collector
from newsalert.observability import log_invocation
from tests.conftest import PROJECT_ROOT
from tests.imports import printed_after_importing

FUNCTIONS = sorted(path.parent.name for path in (PROJECT_ROOT / "functions").glob("*/app.py"))


@pytest.fixture(autouse=True)
def _collector_as_it_was(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)  # (restored afterwards, as it was)
    enabled = gc.isenabled()
    yield
    resume_collector()
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:  # pragma: no cover - pytest runs with the collector on
        gc.disable()


class _Context:
    aws_request_id = "00000000-0000-0000-0000-000000000001"
    function_name = "newsalert-ClassifyFunction-ABC"
    function_version = "$LATEST"
    memory_limit_in_mb = 512


def test_the_collector_is_off_while_paused_and_on_again_with_the_cold_start_frozen() -> None:
    pause_collector()
    assert not gc.isenabled()
    assert collector_paused()
    kept = [object() for _ in range(10)]

    resume_collector()

    assert gc.isenabled()
    assert not collector_paused()
    assert gc.get_freeze_count() >= len(kept)


def test_a_collector_someone_else_turned_off_is_left_off() -> None:
    gc.disable()
    pause_collector()
    assert not collector_paused()

    resume_collector()

    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("fails", [False, True])
def test_the_first_invocation_turns_the_collector_back_on_when_it_returns_or_raises(fails: bool) -> None:
    seen: list[bool] = []

    @log_invocation(Logger(service="cold-start-test", stream=io.StringIO()))  # its own: loggers are per service
    def handler(event: dict[str, Any], context: Any) -> str:
        seen.append(gc.isenabled())
        if event.get("fail"):
            raise RuntimeError("the batch failed")
        return "done"

    pause_collector()
    if fails:
        with pytest.raises(RuntimeError):
            handler({"fail": True}, _Context())
    else:
        assert handler({}, _Context()) == "done"

    assert gc.isenabled()
    gc.disable()  # a warm invocation leaves the collector as it finds it
    assert handler({}, _Context()) == "done"
    assert not gc.isenabled()
    assert seen == [False, False]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_handler_pauses_the_collector_before_any_other_import(function: str) -> None:
    module = ast.parse((PROJECT_ROOT / "functions" / function / "app.py").read_text(encoding="utf-8"))
    body = [node for node in module.body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    assert [ast.unparse(node) for node in body[:3]] == [
        "from __future__ import annotations",
        "from newsalert.cold_start import pause_collector",
        "pause_collector()",
    ]

    # Off until the first invocation returns; and pydantic looks for no plugins.
    probe = "import gc, os; print(gc.isenabled(), os.environ.get('PYDANTIC_DISABLE_PLUGINS'))"
    assert printed_after_importing(function, probe) == "False __all__"


def test_pydantic_plugins_stay_as_the_environment_sets_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")  # as for a function given a plugin
    pause_collector()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == ""

    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS")
    resume_collector()
    pause_collector()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
