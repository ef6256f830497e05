"""Fixtures for the AI tests: the fake model server, a real SQLite store, gateways."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mamori.ai.gateway import Gateway, GatewayOptions
from mamori.ai.settings import AISettings
from mamori.store.sql import SqlStore
from tests.ai.fake_llm import FakeLLM


@pytest.fixture(scope="session")
def llm_server() -> Iterator[FakeLLM]:
    server = FakeLLM().start()
    yield server
    server.stop()


@pytest.fixture
def llm(llm_server: FakeLLM) -> FakeLLM:
    llm_server.script()
    return llm_server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    s = SqlStore.open(f"sqlite:///{tmp_path / 'mamori.db'}")
    yield s
    s.close()


def settings_for(llm: FakeLLM, **extra: Any) -> AISettings:
    """Two backends on the fake server: "claude" (Anthropic API) and "local" (OpenAI API)."""
    data: dict[str, Any] = {
        "team": "payments",
        "backends": {
            "claude": {
                "kind": "anthropic",
                "model": "claude-test",
                "base_url": llm.url,
                "api_key_env": "MAMORI_TEST_ANTHROPIC_KEY",
                "timeout_seconds": 5,
                "max_retries": 2,
            },
            "local": {
                "kind": "openai",
                "model": "local-test",
                "base_url": llm.url + "/v1",
                "timeout_seconds": 5,
                "max_retries": 2,
            },
        },
        "cost": {
            "claude-test": {"input_per_mtok": 3.0, "output_per_mtok": 15.0},
            "local-test": {"input_per_mtok": 0.0, "output_per_mtok": 0.0},
        },
    }
    data.update(extra)
    return AISettings.model_validate(data)


GatewayFactory = Callable[..., Gateway]


@pytest.fixture
def make_gateway(llm: FakeLLM, store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> GatewayFactory:
    monkeypatch.setenv("MAMORI_TEST_ANTHROPIC_KEY", "sk-test-not-a-real-key")
    sleeps: list[float] = []

    def make(run_id: str | None = "R-test", **extra: Any) -> Gateway:
        gw, why = Gateway.from_settings(
            settings_for(llm, **extra),
            store,
            GatewayOptions(run_id=run_id, sleep=sleeps.append),
        )
        assert gw is not None, why
        gw.sleeps = sleeps  # type: ignore[attr-defined]
        return gw

    return make
