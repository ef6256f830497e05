"""The gateway against a local server speaking both APIs, through the official SDKs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time

import pytest

from mamori.ai.interface import (
    BackendCallError,
    BudgetExceededError,
    CircuitOpenError,
    DataClass,
    MalformedOutputError,
    RoutingRefusedError,
)
from mamori.ai.prompts import TRIAGE, user_message
from mamori.ai.usage import CallLog
from mamori.store.sql import SqlStore
from tests.ai.conftest import GatewayFactory
from tests.ai.fake_llm import FakeLLM, Reply, error_body

GOOD = {"verdict": "tp", "exploitability": "high", "reasoning": "user input", "confidence": 0.9}
ONLY_LOCAL = {"public": ["local"], "internal": ["local"]}


def ask(gw, path: str = "app/views.py", code: str = "x = 1", subject: str = "F-1"):
    return gw.call(
        TRIAGE, paths=[path], user=user_message("triage", [(path, code)]), subject=subject
    )


def test_anthropic_tool_use_answer_is_validated_recorded_and_costed(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    llm.script(Reply(output=GOOD, input_tokens=1000, output_tokens=200))
    gw = make_gateway()
    result = ask(gw)
    assert dict(result.output) == GOOD
    assert (result.backend, result.model, result.data_class) == (
        "claude",
        "claude-test",
        DataClass.INTERNAL,
    )
    sent = llm.seen[0]
    assert sent.path == "/v1/messages"
    # The key comes from the environment variable named in the configuration.
    auth = sent.headers.get("x-api-key") or sent.headers.get("authorization", "")
    assert auth.endswith("sk-test-not-a-real-key")
    assert sent.body["tool_choice"] == {"type": "tool", "name": "submit_result"}
    assert sent.body["tools"][0]["input_schema"] == TRIAGE.schema
    [row] = CallLog(store.engine).calls(run_id="R-test")
    assert row["outcome"] == "ok" and row["prompt_version"] == TRIAGE.version
    assert (row["input_tokens"], row["output_tokens"]) == (1000, 200)
    assert row["cost"] == pytest.approx((1000 * 3.0 + 200 * 15.0) / 1e6)
    # The ledger holds the hashes of exactly the bodies kept in the store.
    [event] = [e for e in store.events(run_id="R-test") if e.kind == "ai.call"]
    p = event.payload
    assert p["request_sha256"] == hashlib.sha256(row["request_body"].encode()).hexdigest()
    assert p["response_sha256"] == hashlib.sha256(row["response_body"].encode()).hexdigest()
    assert (
        json.loads(row["request_body"])["messages"][0]["content"]
        == sent.body["messages"][0]["content"]
    )
    for key in ("backend", "model", "prompt_version", "data_class", "redactions", "latency_ms"):
        assert key in p
    assert p["backend"] == "claude" and p["outcome"] == "ok"
    assert (p["prompt_version"], p["prompt_sha256"]) == (TRIAGE.version, TRIAGE.sha256)
    assert (p["model"], p["input_tokens"], p["output_tokens"]) == ("claude-test", 1000, 200)
    assert p["cost"] == row["cost"] and p["data_class"] == "internal"


def test_openai_compatible_json_schema_answer(llm: FakeLLM, make_gateway: GatewayFactory) -> None:
    llm.script(Reply(output=GOOD))
    gw = make_gateway(routing=ONLY_LOCAL)
    result = ask(gw)
    assert dict(result.output) == GOOD and result.backend == "local"
    sent = llm.seen[0]
    assert sent.path == "/v1/chat/completions"
    fmt = sent.body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"] == TRIAGE.schema
    assert sent.body["messages"][0]["role"] == "system"


def test_malformed_output_is_retried_then_recorded_as_failed(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    llm.script(Reply(output={"verdict": "maybe"}))
    gw = make_gateway(max_attempts=2)
    with pytest.raises(MalformedOutputError, match="after 2 attempts"):
        ask(gw)
    rows = CallLog(store.engine).calls()
    assert [r["outcome"] for r in rows] == ["malformed", "malformed"]
    assert "'maybe' is not one of" in rows[0]["error"]


def test_malformed_then_valid_succeeds_on_second_attempt(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    llm.script(Reply(output="not json at all"), Reply(output=GOOD))
    gw = make_gateway(routing=ONLY_LOCAL)
    assert dict(ask(gw).output) == GOOD
    assert [r["outcome"] for r in CallLog(store.engine).calls()] == ["malformed", "ok"]


def test_429_retry_after_is_honoured(llm: FakeLLM, make_gateway: GatewayFactory) -> None:
    llm.script(
        Reply(
            status=429,
            body=error_body("rate_limit_error", "slow down"),
            headers={"retry-after": "7"},
        ),
        Reply(output=GOOD),
    )
    gw = make_gateway()
    assert dict(ask(gw).output) == GOOD
    assert gw.sleeps == [7.0]  # type: ignore[attr-defined]
    assert len(llm.seen) == 2


def test_overloaded_and_5xx_are_retried_with_backoff(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    llm.script(
        Reply(status=529, body=error_body("overloaded_error", "overloaded")),
        Reply(status=503, body=error_body("api_error", "unavailable")),
        Reply(output=GOOD),
    )
    gw = make_gateway()
    assert dict(ask(gw).output) == GOOD
    assert gw.sleeps == [0.5, 1.0]  # type: ignore[attr-defined]
    assert [r["outcome"] for r in CallLog(store.engine).calls()] == ["error", "error", "ok"]


def test_retries_are_bounded(llm: FakeLLM, make_gateway: GatewayFactory) -> None:
    llm.script(Reply(status=500, body=error_body("api_error", "boom")))
    gw = make_gateway(routing=ONLY_LOCAL)
    with pytest.raises(BackendCallError, match="HTTP 500"):
        ask(gw)
    assert len(llm.seen) == 3  # the first try and max_retries=2


def test_client_errors_are_not_retried(llm: FakeLLM, make_gateway: GatewayFactory) -> None:
    llm.script(Reply(status=400, body=error_body("invalid_request_error", "bad")))
    gw = make_gateway()
    with pytest.raises(BackendCallError, match="HTTP 400"):
        ask(gw)
    assert len(llm.seen) == 1


def test_retry_after_as_an_http_date_is_honoured(
    llm: FakeLLM, make_gateway: GatewayFactory
) -> None:
    from email.utils import format_datetime

    when = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True)
    llm.script(
        Reply(status=503, body=error_body("api_error", "x"), headers={"retry-after": when}),
        Reply(output=GOOD),
    )
    gw = make_gateway()
    ask(gw)
    [wait] = gw.sleeps  # type: ignore[attr-defined]
    assert 25 <= wait <= 30


def test_real_retry_after_wait(llm: FakeLLM, make_gateway: GatewayFactory) -> None:
    llm.script(
        Reply(status=429, body=error_body("rate_limit_error", "x"), headers={"retry-after": "1"}),
        Reply(output=GOOD),
    )
    gw = make_gateway()
    gw.options = type(gw.options)(run_id="R-test", sleep=time.sleep)
    start = time.monotonic()
    ask(gw)
    assert time.monotonic() - start >= 1.0


def test_timeout_is_enforced(llm: FakeLLM, make_gateway: GatewayFactory) -> None:
    llm.script(Reply(output=GOOD, delay_s=4))
    gw = make_gateway(
        backends={
            "local": {
                "kind": "openai",
                "model": "local-test",
                "base_url": llm.url + "/v1",
                "timeout_seconds": 0.5,
                "max_retries": 0,
            }
        }
    )
    start = time.monotonic()
    with pytest.raises(BackendCallError, match=r"timed out|did not answer"):
        ask(gw)
    assert time.monotonic() - start < 2.5


def test_circuit_breaker_opens_after_consecutive_failures(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    llm.script(Reply(status=500, body=error_body("api_error", "down")))
    gw = make_gateway(breaker={"failures": 2, "cooldown_seconds": 600})
    with pytest.raises(CircuitOpenError):
        ask(gw)  # two failures open the breaker; the third try is refused
    assert len(llm.seen) == 2
    with pytest.raises(CircuitOpenError, match="refused"):
        ask(gw)
    assert len(llm.seen) == 2  # nothing left the machine
    assert "circuit_open" in [r["outcome"] for r in CallLog(store.engine).calls()]


def test_restricted_code_goes_only_to_the_allowed_backend(
    llm: FakeLLM, make_gateway: GatewayFactory
) -> None:
    llm.script(Reply(output=GOOD))
    gw = make_gateway(
        classification=[{"glob": "core/**", "class": "restricted"}],
        routing={"restricted": ["local"]},
    )
    result = ask(gw, path="core/ledger.py")
    assert result.backend == "local" and result.data_class is DataClass.RESTRICTED
    assert llm.seen[0].path == "/v1/chat/completions"
    assert ask(gw, path="web/app.py").backend == "claude"


def test_refusals_are_recorded_and_nothing_is_sent(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    llm.script(Reply(output=GOOD))
    gw = make_gateway(
        classification=[{"glob": "secret/*", "class": "confidential"}],
        routing={"never": ["keys/*"]},
    )
    with pytest.raises(RoutingRefusedError, match="never"):
        ask(gw, path="keys/prod.py")
    with pytest.raises(RoutingRefusedError, match="confidential"):
        ask(gw, path="secret/x.py")
    assert llm.seen == []
    events = [e for e in store.events(run_id="R-test") if e.kind == "ai.call"]
    assert [e.payload["outcome"] for e in events] == ["refused", "refused"]
    assert events[1].payload["data_class"] == "confidential"


def test_budget_stops_calls_with_a_clear_message(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    llm.script(Reply(output=GOOD, input_tokens=5000, output_tokens=1000))
    gw = make_gateway(budget={"run_tokens": 7000})
    ask(gw)
    with pytest.raises(BudgetExceededError, match="token budget for this run reached"):
        ask(gw)
    assert len(llm.seen) == 1
    # Cost budget per team per day, across runs. Each call costs 5000*3/1e6 + 1000*15/1e6 =
    # 0.03; the team has spent 0.03 today already. The check counts the most this call can
    # cost (its prompt and max_tokens=1500 of answer: ~0.0225 more), so the limit is not passed.
    gw2 = make_gateway(run_id="R-other", budget={"team_day_cost": 0.08})
    ask(gw2)  # 0.03 + ~0.0225 <= 0.08: sent; 0.06 spent now
    with pytest.raises(
        BudgetExceededError,
        match=r"cost budget for team payments today reached: 0\.0600 spent \+ ~0\.02\d+ for "
        r"this call > 0\.0800",
    ):
        ask(gw2)
    # All teams per day.
    gw3 = make_gateway(run_id="R-third", team="cards", budget={"day_tokens": 13000})
    with pytest.raises(BudgetExceededError, match="token budget for all teams today"):
        ask(gw3)  # 12000 used today by payments + this call's estimate > 13000
    outcomes = [r["outcome"] for r in CallLog(store.engine).calls()]
    assert outcomes.count("budget") == 3
    assert len(llm.seen) == 2


def test_a_backend_without_key_is_skipped_with_the_reason(
    llm: FakeLLM, store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mamori.ai.gateway import Gateway
    from tests.ai.conftest import settings_for

    monkeypatch.delenv("MAMORI_TEST_ANTHROPIC_KEY", raising=False)
    settings = settings_for(
        llm,
        backends={
            "claude": {
                "kind": "anthropic",
                "model": "m",
                "api_key_env": "MAMORI_TEST_ANTHROPIC_KEY",
            }
        },
    )
    gw, why = Gateway.from_settings(settings, store)
    assert gw is None
    assert (
        why == "AI stages skipped: [ai.backends.claude]: no API key in $MAMORI_TEST_ANTHROPIC_KEY"
    )


def test_breaker_half_opens_after_the_cooldown() -> None:
    from mamori.ai.breaker import CircuitBreaker

    now = [0.0]
    b = CircuitBreaker(failures=2, cooldown_s=30, clock=lambda: now[0])
    b.failure()
    b.check("x")  # one failure: still closed
    b.failure()
    with pytest.raises(CircuitOpenError):
        b.check("x")
    now[0] = 31.0
    assert b.state == "half-open"
    b.check("x")  # one trial call goes through
    b.failure()  # and fails: open again at once
    with pytest.raises(CircuitOpenError):
        b.check("x")
    now[0] = 62.0
    b.success()
    assert b.state == "closed"


def test_anthropic_slow_answer_times_out(llm: FakeLLM, make_gateway: GatewayFactory) -> None:
    llm.script(Reply(output=GOOD, delay_s=4))
    gw = make_gateway(
        backends={
            "claude": {
                "kind": "anthropic",
                "model": "claude-test",
                "base_url": llm.url,
                "api_key_env": "MAMORI_TEST_ANTHROPIC_KEY",
                "timeout_seconds": 0.5,
                "max_retries": 1,
            }
        }
    )
    start = time.monotonic()
    with pytest.raises(BackendCallError, match=r"timed out|did not answer"):
        ask(gw)
    assert time.monotonic() - start < 3.5  # two attempts of 0.5 s, not two of 4 s
    assert len(llm.seen) == 2


def test_a_model_without_a_price_is_flagged(llm: FakeLLM, make_gateway: GatewayFactory) -> None:
    llm.script(Reply(output=GOOD))
    gw = make_gateway(cost={})
    ask(gw)
    assert list(gw.stops.values()) == [
        "AI: no price for model claude-test in [ai.cost]: its calls are recorded at cost 0 "
        "and cost budgets do not count them"
    ]


def test_model_and_base_url_can_come_from_the_environment(
    llm: FakeLLM, make_gateway: GatewayFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAMORI_TEST_MODEL", "model-from-env")
    monkeypatch.setenv("MAMORI_TEST_BASE_URL", llm.url + "/v1")
    llm.script(Reply(output=GOOD))
    gw = make_gateway(
        backends={
            "local": {
                "kind": "openai",
                "model_env": "MAMORI_TEST_MODEL",
                "base_url": "http://127.0.0.1:9/unreachable",
                "base_url_env": "MAMORI_TEST_BASE_URL",
            }
        }
    )
    assert ask(gw).model == "model-from-env"
    assert llm.seen[0].body["model"] == "model-from-env"


def test_a_backend_without_model_is_skipped_with_the_reason(
    llm: FakeLLM, store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mamori.ai.gateway import Gateway
    from tests.ai.conftest import settings_for

    monkeypatch.delenv("MAMORI_TEST_MODEL", raising=False)
    settings = settings_for(
        llm, backends={"local": {"kind": "openai", "model_env": "MAMORI_TEST_MODEL"}}
    )
    gw, why = Gateway.from_settings(settings, store)
    assert (
        gw is None
        and why == "AI stages skipped: [ai.backends.local]: no model id in $MAMORI_TEST_MODEL"
    )


def test_without_detect_secrets_nothing_leaves(
    llm: FakeLLM, store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from mamori.ai.gateway import Gateway
    from tests.ai.conftest import settings_for

    monkeypatch.setitem(sys.modules, "detect_secrets.core.plugins.util", None)  # ImportError
    monkeypatch.setenv("MAMORI_TEST_ANTHROPIC_KEY", "k")
    gw, why = Gateway.from_settings(settings_for(llm), store)
    assert gw is None
    assert why.startswith("AI stages skipped: redaction needs detect-secrets")
