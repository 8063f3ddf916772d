"""Fixtures of the integration tests."""

from __future__ import annotations

import pytest

from tests.integration.fault_hooks import Faults, injected_faults


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Faults:
    """Faults for the deployed functions' botocore clients (``tests.integration.fault_hooks``)."""
    return injected_faults(monkeypatch)
