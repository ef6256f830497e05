"""The one door to models: route, redact, budget, call with retries, validate, record.

Every AI task goes through :meth:`Gateway.call`. In order:

1. classify the paths whose content is sent and pick the first backend the routing rules allow
   (a refusal is recorded in the ledger and raised);
2. redact the request (stable placeholders, restorable by the caller);
3. check the budgets (run, team per day, all teams per day) and the backend's circuit breaker;
4. call the backend with a hard timeout, retrying 429/5xx/overloaded/timeouts with exponential
   backoff that honours ``retry-after``;
5. validate the answer against the task's JSON schema, re-asking a bounded number of times;
6. record every attempt: a row in ``ai_calls`` (with the bodies) and an ``ai.call`` ledger event
   (with the bodies' hashes, tokens, cost, latency, data class, redactions and outcome).
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema

from mamori.ai.breaker import CircuitBreaker
from mamori.ai.interface import (
    AIError,
    Backend,
    BackendCallError,
    BudgetExceededError,
    CircuitOpenError,
    DataClass,
    MalformedOutputError,
    ModelRequest,
    ModelResponse,
    RoutingRefusedError,
)
from mamori.ai.prompts import PromptSpec
from mamori.ai.redaction import PLACEHOLDER, Redactor, redactor_for
from mamori.ai.routing import Router
from mamori.ai.settings import AISettings
from mamori.ai.usage import CallLog, CallRecord, utc_now
from mamori.errors import ConfigError
from mamori.store.interface import Store

BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 30.0
# A retry-after longer than this is not waited for: the call fails and is recorded.
MAX_RETRY_AFTER_S = 120.0


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class CallResult:
    output: Mapping[str, Any]
    backend: str
    model: str
    data_class: DataClass
    redactor: Redactor


@dataclass(frozen=True, kw_only=True)
class GatewayOptions:
    run_id: str | None = None
    actor: str = "mamori:ai"
    sleep: Callable[[float], None] = time.sleep
    today: Callable[[], str] = lambda: dt.datetime.now(dt.UTC).date().isoformat()


def configured_backends(settings: AISettings) -> tuple[dict[str, Backend], list[str]]:
    """The backends that can be used (key present), and why the others cannot."""
    from mamori.ai.backends import make_backend

    usable: dict[str, Backend] = {}
    problems: list[str] = []
    for name, b in settings.backends.items():
        try:
            usable[name] = make_backend(name, b)
        except ConfigError as e:
            problems.append(e.message)
        except ImportError as e:
            problems.append(
                f"[ai.backends.{name}]: the {b.kind} SDK is not installed "
                f"(pip install 'mamori[ai]'): {e}"
            )
    return usable, problems


class Gateway:
    def __init__(
        self,
        *,
        settings: AISettings,
        backends: Mapping[str, Backend],
        store: Store,
        log: CallLog,
        options: GatewayOptions = GatewayOptions(),
    ) -> None:
        self.settings = settings
        self.backends = dict(backends)
        self.store = store
        self.log = log
        self.options = options
        self.router = Router(settings)
        # Why calls were not made (budget, refusal, open circuit), for the run's notes.
        self.stops: dict[tuple[str, str], str] = {}  # (task, outcome) -> first message
        # Findings an FP verdict did not close because the policy wants a person to decide.
        self.needs_review: list[str] = []
        self.redactor = redactor_for(
            settings.redaction.builtin, [(p.name, p.regex) for p in settings.redaction.patterns]
        )
        self.breakers = {
            name: CircuitBreaker(
                failures=settings.breaker.failures, cooldown_s=settings.breaker.cooldown_seconds
            )
            for name in self.backends
        }

    @classmethod
    def from_settings(
        cls,
        settings: AISettings,
        store: Store,
        options: GatewayOptions = GatewayOptions(),
    ) -> tuple[Gateway | None, str]:
        """A gateway, or None and the reason no backend can be used."""
        engine = getattr(store, "engine", None)
        if engine is None:
            return None, "AI stages skipped: the store has no SQL engine for the AI call log"
        backends, problems = configured_backends(settings)
        if not backends:
            why = "; ".join(problems) if problems else "no model backend configured"
            return None, f"AI stages skipped: {why}"
        try:
            gateway = cls(
                settings=settings,
                backends=backends,
                store=store,
                log=CallLog(engine),
                options=options,
            )
        except ConfigError as e:  # redaction cannot run as configured: nothing may leave
            return None, f"AI stages skipped: {e.message}"
        return gateway, ""

    def note_needs_review(self, finding_id: str) -> None:
        self.needs_review.append(finding_id)

    # ------------------------------------------------------------------------------------------
    def cost_of(self, model: str, input_tokens: int, output_tokens: int) -> float:
        price = self.settings.cost.get(model)
        if price is None:
            self.stops.setdefault(
                ("cost", model),
                f"AI: no price for model {model} in [ai.cost]: its calls are recorded at cost 0 "
                "and cost budgets do not count them",
            )
            return 0.0
        return (input_tokens * price.input_per_mtok + output_tokens * price.output_per_mtok) / 1e6

    def _check_budget(self, estimate_tokens: int, estimate_cost: float) -> None:
        b, team, day = self.settings.budget, self.settings.team, self.options.today()
        checks: list[tuple[str, tuple[int, float], int | None, float | None]] = []
        if self.options.run_id is not None and (b.run_tokens or b.run_cost is not None):
            checks.append(
                (
                    "this run",
                    self.log.spent(day=day, run_id=self.options.run_id),
                    b.run_tokens,
                    b.run_cost,
                )
            )
        if b.team_day_tokens or b.team_day_cost is not None:
            checks.append(
                (
                    f"team {team} today",
                    self.log.spent(day=day, team=team),
                    b.team_day_tokens,
                    b.team_day_cost,
                )
            )
        if b.day_tokens or b.day_cost is not None:
            checks.append(("all teams today", self.log.spent(day=day), b.day_tokens, b.day_cost))
        for scope, (tokens, cost), max_tokens, max_cost in checks:
            if max_tokens is not None and tokens + estimate_tokens > max_tokens:
                raise BudgetExceededError(
                    f"AI token budget for {scope} reached: {tokens} used + ~{estimate_tokens} for "
                    f"this call > {max_tokens}; no further model calls are made"
                )
            if max_cost is not None and cost + estimate_cost > max_cost:
                raise BudgetExceededError(
                    f"AI cost budget for {scope} reached: {cost:.4f} spent + ~{estimate_cost:.4f} "
                    f"for this call > {max_cost:.4f}; no further model calls are made"
                )

    def _record(self, rec: CallRecord) -> None:
        self.log.add(rec)
        self.store.record(
            "ai.call",
            actor=f"ai:{rec.backend}" if rec.backend else self.options.actor,
            run_id=self.options.run_id,
            subject=rec.subject,
            payload=rec.ledger_payload(),
        )

    def _refusal(
        self,
        spec: PromptSpec,
        subject: str,
        outcome: str,
        error: str,
        data_class: str,
        backend: str = "",
        model: str = "",
    ) -> None:
        self.stops.setdefault((spec.task, outcome), f"AI {spec.task}: {error}")
        self._record(
            CallRecord(
                at=utc_now(),
                run_id=self.options.run_id,
                team=self.settings.team,
                task=spec.task,
                subject=subject,
                backend=backend,
                model=model,
                prompt_version=spec.version,
                prompt_sha256=spec.sha256,
                data_class=data_class,
                outcome=outcome,
                error=error,
                attempt=0,
                input_tokens=0,
                output_tokens=0,
                cost=0.0,
                latency_ms=0,
                redactions=0,
                request_sha256=sha256(""),
                response_sha256=sha256(""),
                request_body="",
                response_body="",
            )
        )

    def _call_with_deadline(
        self, backend: Backend, request: ModelRequest, timeout_s: float
    ) -> ModelResponse:
        """The SDK's own timeout bounds each read; this bounds the whole call, even a trickle."""
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        future = pool.submit(backend.complete, request, timeout_s=timeout_s)
        try:
            return future.result(timeout=timeout_s)
        except concurrent.futures.TimeoutError as e:
            raise BackendCallError(
                f"{backend.kind} backend did not answer within {timeout_s:.1f}s", retryable=True
            ) from e
        finally:
            # Do not wait for a stuck worker; the SDK timeout ends it soon after.
            pool.shutdown(wait=False, cancel_futures=True)

    def call(
        self, spec: PromptSpec, *, paths: Sequence[str], user: str, subject: str
    ) -> CallResult:
        """Send one task; returns the schema-valid answer or raises an :class:`AIError`."""
        try:
            name, data_class = self.router.backend_for(paths)
        except RoutingRefusedError as e:
            cls = self.router.classify_all(paths)
            self._refusal(spec, subject, "refused", e.message, cls.value)
            raise
        backend = self.backends[name]
        redacted = self.redactor.redact(user)
        redactions = count_placeholders(redacted) - count_placeholders(user)
        request = ModelRequest(
            task=spec.task,
            system=spec.system,
            user=redacted,
            schema=spec.schema,
            max_tokens=spec.max_tokens,
        )
        timeout_s = self.settings.backends[name].timeout_seconds
        max_retries = self.settings.backends[name].max_retries
        breaker = self.breakers[name]
        validator = jsonschema.Draft202012Validator(dict(spec.schema))
        last_error = ""
        for attempt in range(1, self.settings.max_attempts + 1):
            response, latency = self._send(
                spec,
                backend,
                request,
                subject=subject,
                data_class=data_class,
                redactions=redactions,
                timeout_s=timeout_s,
                max_retries=max_retries,
                breaker=breaker,
                attempt=attempt,
            )
            errors = (
                ["no structured answer"]
                if response.output is None
                else [e.message for e in validator.iter_errors(dict(response.output))]
            )
            self._record_response(
                spec,
                backend,
                response,
                subject=subject,
                data_class=data_class,
                redactions=redactions,
                attempt=attempt,
                error="; ".join(errors)[:1000],
                latency_ms=latency,
            )
            if not errors and response.output is not None:
                return CallResult(
                    output=response.output,
                    backend=name,
                    model=backend.model,
                    data_class=data_class,
                    redactor=self.redactor,
                )
            last_error = "; ".join(errors)
        raise MalformedOutputError(
            f"{spec.task}: the model's answer did not match the schema after "
            f"{self.settings.max_attempts} attempts: {last_error[:300]}"
        )

    def _send(
        self,
        spec: PromptSpec,
        backend: Backend,
        request: ModelRequest,
        *,
        subject: str,
        data_class: DataClass,
        redactions: int,
        timeout_s: float,
        max_retries: int,
        breaker: CircuitBreaker,
        attempt: int,
    ) -> tuple[ModelResponse, int]:
        retry = 0
        while True:
            try:
                breaker.check(backend.name)
            except CircuitOpenError as e:
                self._refusal(
                    spec,
                    subject,
                    "circuit_open",
                    e.message,
                    data_class.value,
                    backend.name,
                    backend.model,
                )
                raise
            # At most: the request's tokens (about 4 characters each) and max_tokens of answer.
            prompt_tokens = len(request.system + request.user) // 4
            estimate = prompt_tokens + request.max_tokens
            try:
                self._check_budget(
                    estimate, self.cost_of(backend.model, prompt_tokens, request.max_tokens)
                )
            except BudgetExceededError as e:
                self._refusal(
                    spec,
                    subject,
                    "budget",
                    e.message,
                    data_class.value,
                    backend.name,
                    backend.model,
                )
                raise
            started = time.monotonic()
            try:
                response = self._call_with_deadline(backend, request, timeout_s)
            except BackendCallError as e:
                breaker.failure()
                latency = int((time.monotonic() - started) * 1000)
                self._record_call(
                    spec,
                    backend,
                    subject=subject,
                    data_class=data_class,
                    redactions=redactions,
                    attempt=attempt,
                    outcome="error",
                    error=e.message[:1000],
                    latency_ms=latency,
                    request_body=_request_text(backend, request),
                )
                if not e.retryable or retry >= max_retries:
                    raise
                wait = e.retry_after
                if wait is None:
                    wait = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**retry)
                if wait > MAX_RETRY_AFTER_S:
                    raise
                retry += 1
                self.options.sleep(wait)
                continue
            breaker.success()
            return response, int((time.monotonic() - started) * 1000)

    def _record_response(
        self,
        spec: PromptSpec,
        backend: Backend,
        response: ModelResponse,
        *,
        subject: str,
        data_class: DataClass,
        redactions: int,
        attempt: int,
        error: str,
        latency_ms: int,
    ) -> None:
        self._record_call(
            spec,
            backend,
            subject=subject,
            data_class=data_class,
            redactions=redactions,
            attempt=attempt,
            outcome="malformed" if error else "ok",
            error=error,
            latency_ms=latency_ms,
            request_body=response.request_body,
            response_body=response.raw,
            input_tokens=response.input_tokens,
            output_tokens=response.output_tokens,
            cost=self.cost_of(backend.model, response.input_tokens, response.output_tokens),
        )

    def _record_call(
        self,
        spec: PromptSpec,
        backend: Backend,
        *,
        subject: str,
        data_class: DataClass,
        redactions: int,
        attempt: int,
        outcome: str,
        error: str,
        latency_ms: int,
        request_body: str,
        response_body: str = "",
        input_tokens: int = 0,
        output_tokens: int = 0,
        cost: float = 0.0,
    ) -> None:
        """One call's record: what was sent and received, to which model, at what cost."""
        self._record(
            CallRecord(
                at=utc_now(),
                run_id=self.options.run_id,
                team=self.settings.team,
                task=spec.task,
                subject=subject,
                backend=backend.name,
                model=backend.model,
                prompt_version=spec.version,
                prompt_sha256=spec.sha256,
                data_class=data_class.value,
                outcome=outcome,
                error=error,
                attempt=attempt,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cost=cost,
                latency_ms=latency_ms,
                redactions=redactions,
                request_sha256=sha256(request_body),
                response_sha256=sha256(response_body),
                request_body=request_body,
                response_body=response_body,
            )
        )


def count_placeholders(text: str) -> int:
    """Distinct redaction placeholders in ``text`` (values seen in earlier calls count too)."""
    return len(set(PLACEHOLDER.findall(text)))


def _request_text(backend: Backend, request: ModelRequest) -> str:
    """What was (to be) sent when the backend gave no body back (errors, timeouts)."""
    import json

    return json.dumps(
        {
            "backend": backend.name,
            "model": backend.model,
            "system": request.system,
            "user": request.user,
            "schema": request.schema,
        },
        sort_keys=True,
        ensure_ascii=False,
    )


__all__ = ["AIError", "CallResult", "Gateway", "GatewayOptions", "configured_backends"]
