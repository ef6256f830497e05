"""The two backends: the Anthropic Messages API and OpenAI-compatible chat completions.

Both use the official SDKs with the SDK's own retries switched off (``max_retries=0``): the
gateway retries, so that every attempt is recorded and ``retry-after`` is honoured the same way
for both. Structured output uses a forced tool call (Anthropic) or a ``json_schema`` response
format (OpenAI-compatible: vLLM, Ollama, Azure OpenAI).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mamori.ai.interface import BackendCallError, ModelRequest, ModelResponse
from mamori.ai.settings import BackendSettings
from mamori.errors import ConfigError

TOOL_NAME = "submit_result"

# 529 is Anthropic's "overloaded"; 408 and 409 are retried by the SDKs themselves as well.
_RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504, 529}


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    if not headers:
        return None
    for key in ("retry-after-ms", "retry-after"):
        value = headers.get(key)
        if value is None:
            continue
        try:
            seconds = float(value)
        except ValueError:
            if key == "retry-after":
                return _seconds_until(value)
            continue
        return max(0.0, seconds / 1000 if key == "retry-after-ms" else seconds)
    return None


def _seconds_until(http_date: str) -> float | None:
    """``Retry-After`` as an HTTP date (RFC 9110); None when it is not one."""
    import datetime as dt
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)


def _status_error(
    kind: str, status: int, headers: Mapping[str, str] | None, text: str
) -> Exception:
    retryable = status in _RETRYABLE_STATUS
    return BackendCallError(
        f"{kind} backend answered HTTP {status}: {text[:300]}",
        retryable=retryable,
        retry_after=_retry_after(headers) if retryable else None,
    )


def _model(name: str, settings: BackendSettings) -> str:
    model = settings.model_id()
    if not model:
        raise ConfigError(f"[ai.backends.{name}]: no model id in ${settings.model_env}")
    return model


class AnthropicBackend:
    kind = "anthropic"

    def __init__(self, name: str, settings: BackendSettings) -> None:
        import anthropic

        key = settings.api_key()
        if not key:
            env = settings.api_key_env or "ANTHROPIC_API_KEY"
            raise ConfigError(f"[ai.backends.{name}]: no API key in ${env}")
        self.name = name
        self.model = _model(name, settings)
        self._client = anthropic.Anthropic(
            api_key=key, base_url=settings.url(), max_retries=0, timeout=settings.timeout_seconds
        )

    def complete(self, request: ModelRequest, *, timeout_s: float) -> ModelResponse:
        import anthropic

        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": request.max_tokens,
            "system": request.system,
            "messages": [{"role": "user", "content": request.user}],
            "tools": [
                {
                    "name": TOOL_NAME,
                    "description": f"Submit the result of the {request.task} task.",
                    "input_schema": dict(request.schema),
                }
            ],
            "tool_choice": {"type": "tool", "name": TOOL_NAME},
        }
        try:
            message = self._client.messages.create(**body, timeout=timeout_s)
        except anthropic.APIStatusError as e:
            raise _status_error(self.kind, e.status_code, e.response.headers, str(e)) from e
        except anthropic.APITimeoutError as e:
            raise BackendCallError(
                f"anthropic backend timed out after {timeout_s:.0f}s", retryable=True
            ) from e
        except anthropic.APIConnectionError as e:
            raise BackendCallError(f"anthropic backend unreachable: {e}", retryable=True) from e
        except anthropic.AnthropicError as e:
            raise BackendCallError(f"anthropic backend: {e}") from e
        output: Mapping[str, Any] | None = None
        for block in message.content:
            if block.type == "tool_use" and block.name == TOOL_NAME:
                if isinstance(block.input, dict):
                    output = block.input
                break
        return ModelResponse(
            output=output,
            raw=message.model_dump_json(),
            request_body=_dumps(body),
            input_tokens=message.usage.input_tokens,
            output_tokens=message.usage.output_tokens,
            model=message.model,
        )


class OpenAICompatibleBackend:
    kind = "openai"

    def __init__(self, name: str, settings: BackendSettings) -> None:
        import openai

        key = settings.api_key()
        if not key:
            raise ConfigError(f"[ai.backends.{name}]: no API key in ${settings.api_key_env}")
        self.name = name
        self.model = _model(name, settings)
        self._client = openai.OpenAI(
            api_key=key, base_url=settings.url(), max_retries=0, timeout=settings.timeout_seconds
        )

    def complete(self, request: ModelRequest, *, timeout_s: float) -> ModelResponse:
        import openai

        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": request.max_tokens,
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.user},
            ],
            # strict=False: vLLM and Ollama accept the schema as guidance without OpenAI's
            # strict-mode restrictions; Mamori validates the answer itself anyway.
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": request.task, "schema": dict(request.schema)},
            },
        }
        try:
            completion = self._client.chat.completions.create(**body, timeout=timeout_s)
        except openai.APIStatusError as e:
            raise _status_error(self.kind, e.status_code, e.response.headers, str(e)) from e
        except openai.APITimeoutError as e:
            raise BackendCallError(
                f"openai-compatible backend timed out after {timeout_s:.0f}s", retryable=True
            ) from e
        except openai.APIConnectionError as e:
            raise BackendCallError(
                f"openai-compatible backend unreachable: {e}", retryable=True
            ) from e
        except openai.OpenAIError as e:
            raise BackendCallError(f"openai-compatible backend: {e}") from e
        output: Mapping[str, Any] | None = None
        content = completion.choices[0].message.content if completion.choices else None
        if content:
            try:
                parsed = json.loads(content)
            except json.JSONDecodeError:
                parsed = None
            if isinstance(parsed, dict):
                output = parsed
        usage = completion.usage
        return ModelResponse(
            output=output,
            raw=completion.model_dump_json(),
            request_body=_dumps(body),
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
            model=completion.model or self.model,
        )


def make_backend(
    name: str, settings: BackendSettings
) -> AnthropicBackend | OpenAICompatibleBackend:
    if settings.kind == "anthropic":
        return AnthropicBackend(name, settings)
    return OpenAICompatibleBackend(name, settings)
