"""The ``[ai]`` section of ``mamori.toml`` (validated at the edge, then frozen).

Example::

    [ai]
    team = "payments"
    [ai.backends.claude]
    kind = "anthropic"
    model = "claude-sonnet-4-5"
    api_key_env = "ANTHROPIC_API_KEY"
    [ai.backends.local]
    kind = "openai"
    model = "qwen2.5-coder:14b"
    base_url = "http://127.0.0.1:11434/v1"
    [[ai.classification]]
    glob = "src/core/**"
    class = "restricted"
    [ai.routing]
    public = ["claude", "local"]
    restricted = ["local"]
    never = ["secrets/**"]
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mamori.ai.interface import DataClass
from mamori.domain import Severity


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class BackendSettings(_Strict):
    """One model endpoint. A backend is only ever used when it is declared here: an API key in
    the environment alone never makes code leave. Its model id and base URL may come from the
    environment (``model_env``, ``base_url_env``: the variable wins when it is set)."""

    kind: Literal["anthropic", "openai"]
    model: str | None = None
    model_env: str | None = None
    base_url: str | None = None
    base_url_env: str | None = None
    # Name of the environment variable holding the key; the key itself never goes in the file.
    api_key_env: str | None = None
    timeout_seconds: float = Field(default=120, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)  # on 429, 5xx and "overloaded"

    @model_validator(mode="after")
    def _needs_a_model(self) -> BackendSettings:
        if self.model is None and self.model_env is None:
            raise ValueError("set model (the model id) or model_env (the variable holding it)")
        return self

    def model_id(self) -> str | None:
        """The model id: ``$model_env`` when set, else ``model``; None when neither is."""
        if self.model_env is not None and os.environ.get(self.model_env):
            return os.environ[self.model_env]
        return self.model

    def url(self) -> str | None:
        """The base URL: ``$base_url_env`` when set, else ``base_url`` (None: the SDK's
        default, which itself honours ``ANTHROPIC_BASE_URL`` / ``OPENAI_BASE_URL``)."""
        if self.base_url_env is not None and os.environ.get(self.base_url_env):
            return os.environ[self.base_url_env]
        return self.base_url

    def api_key(self) -> str | None:
        """The key from the environment; None when the variable is named but unset."""
        if self.api_key_env is None:
            # Self-hosted OpenAI-compatible servers (vLLM, Ollama) usually take any key.
            return "unused" if self.kind == "openai" else os.environ.get("ANTHROPIC_API_KEY")
        return os.environ.get(self.api_key_env) or None


class PathClass(_Strict):
    glob: str
    class_: DataClass = Field(alias="class")


class RoutingSettings(_Strict):
    public: list[str] | None = None  # None: every backend
    internal: list[str] | None = None
    confidential: list[str] = Field(default_factory=list)  # default: nowhere
    restricted: list[str] = Field(default_factory=list)
    never: list[str] = Field(default_factory=list)  # globs never sent anywhere

    def allowed(self, data_class: DataClass) -> list[str] | None:
        return {
            DataClass.PUBLIC: self.public,
            DataClass.INTERNAL: self.internal,
            DataClass.CONFIDENTIAL: self.confidential,
            DataClass.RESTRICTED: self.restricted,
        }[data_class]


class RedactionPattern(_Strict):
    name: str
    regex: str


class RedactionSettings(_Strict):
    builtin: bool = True  # secrets, IBANs, e-mail addresses
    patterns: list[RedactionPattern] = Field(default_factory=list)


class BudgetSettings(_Strict):
    run_tokens: int | None = Field(default=None, gt=0)
    run_cost: float | None = Field(default=None, ge=0)
    team_day_tokens: int | None = Field(default=None, gt=0)
    team_day_cost: float | None = Field(default=None, ge=0)
    day_tokens: int | None = Field(default=None, gt=0)
    day_cost: float | None = Field(default=None, ge=0)


class ModelCost(_Strict):
    input_per_mtok: float = Field(ge=0)  # currency units per million input tokens
    output_per_mtok: float = Field(ge=0)


class TriageSettings(_Strict):
    # An FP verdict closes a finding only when its severity is below this and the model's
    # confidence is at least min_confidence; otherwise the finding stays open for a person.
    suppress_below: Severity = Severity.MEDIUM
    min_confidence: float = Field(default=0.9, ge=0, le=1)


class TaskSettings(_Strict):
    review: bool = True
    triage: bool = True
    patch: bool = True
    review_max_files: int = Field(default=20, gt=0)
    max_file_chars: int = Field(default=30_000, gt=0)


class BreakerSettings(_Strict):
    failures: int = Field(default=5, gt=0)
    cooldown_seconds: float = Field(default=60, gt=0)


class AISettings(_Strict):
    team: str = "default"
    default_class: DataClass = DataClass.INTERNAL
    max_attempts: int = Field(default=3, ge=1, le=10)  # malformed output: re-ask this often
    backends: dict[str, BackendSettings] = Field(default_factory=dict)
    classification: list[PathClass] = Field(default_factory=list)
    routing: RoutingSettings = Field(default_factory=RoutingSettings)
    redaction: RedactionSettings = Field(default_factory=RedactionSettings)
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    cost: dict[str, ModelCost] = Field(default_factory=dict)  # model id -> prices
    triage: TriageSettings = Field(default_factory=TriageSettings)
    tasks: TaskSettings = Field(default_factory=TaskSettings)
    breaker: BreakerSettings = Field(default_factory=BreakerSettings)
