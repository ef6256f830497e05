"""The AI package's interface: one :class:`Backend` protocol and the values that cross it.

A backend sends one structured-output request to a model and returns the parsed JSON object and
the token counts. Everything around the call (classification, routing, redaction, budgets,
retries, the circuit breaker, validation and the ledger) lives in :mod:`mamori.ai.gateway`, so
the two backends stay thin adapters over the official SDKs.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from mamori.errors import Error, ExitCode

__all__ = [
    "AIError",
    "Backend",
    "BackendCallError",
    "BudgetExceededError",
    "CircuitOpenError",
    "DataClass",
    "MalformedOutputError",
    "ModelRequest",
    "ModelResponse",
    "RoutingRefusedError",
]


class DataClass(enum.StrEnum):
    """How sensitive a piece of code is (declared per path in ``mamori.toml``)."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"

    @property
    def rank(self) -> int:
        return list(DataClass).index(self)


class AIError(Error):
    """A model call did not produce a usable answer; the AI stage records it and goes on."""

    exit_code = ExitCode.ENGINE_UNAVAILABLE


class BackendCallError(AIError):
    """The backend answered with an error or not at all (after the bounded retries)."""

    def __init__(self, message: str, *, retryable: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class MalformedOutputError(AIError):
    """The model's answer did not validate against the task's JSON schema."""


class RoutingRefusedError(AIError):
    """Routing rules forbid sending this data class (or path) to any configured backend."""


class BudgetExceededError(AIError):
    """A token or cost budget is spent; no further calls are made."""


class CircuitOpenError(AIError):
    """The backend failed repeatedly; calls are refused until the cool-down passes."""


@dataclass(frozen=True, kw_only=True)
class ModelRequest:
    """One structured-output request, already redacted.

    ``system`` holds Mamori's instructions; ``user`` holds repository content wrapped in data
    delimiters (see :mod:`mamori.ai.prompts`). ``schema`` is the JSON schema of the answer, sent as
    a tool's input schema (Anthropic) or a ``json_schema`` response format (OpenAI-compatible).
    """

    task: str
    system: str
    user: str
    schema: Mapping[str, Any]
    max_tokens: int = 4096


@dataclass(frozen=True, kw_only=True)
class ModelResponse:
    output: Mapping[str, Any] | None  # None: no parsable structured answer
    raw: str  # the response body as JSON text, kept in the store
    request_body: str  # the request body as JSON text, kept in the store
    input_tokens: int
    output_tokens: int
    model: str  # as reported by the backend


class Backend(Protocol):
    """A model endpoint. ``name`` is the configured backend name, ``model`` the model id."""

    name: str
    kind: str  # "anthropic" or "openai"
    model: str

    def complete(self, request: ModelRequest, *, timeout_s: float) -> ModelResponse:
        """One call, no retries; raises :class:`BackendCallError` (``retryable`` on 429/5xx)."""
        ...
