"""Shared fixtures for the taint engine tests."""

from __future__ import annotations

import pytest

from mamori.scan.taint import Models, load_models


@pytest.fixture(scope="session")
def taint_models() -> Models:
    """The bundled models, loaded once for the whole session."""
    return load_models()
