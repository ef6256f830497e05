"""Redaction before anything leaves: secrets and configured patterns become stable placeholders.

The built-in set is a regex equivalent of the detect-secrets plugins that matter in code
(private keys, AWS/GitHub/Slack/Stripe/Google tokens, JWTs, basic-auth URLs, password/secret/
token assignments) plus IBANs and e-mail addresses; ``[ai.redaction] patterns`` adds more (bank
account numbers, customer ids). A value maps to the same placeholder every time within one
:class:`Redactor`, so the model can reason about "the same secret", and :meth:`Redactor.restore`
puts the original values back into what the model returns (a patch keeps the real constant).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mamori.errors import ConfigError


@dataclass(frozen=True, kw_only=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    group: int = 0  # the group that holds the sensitive value (0: the whole match)


def _p(name: str, regex: str, group: int = 0, flags: int = 0) -> Pattern:
    return Pattern(name=name, regex=re.compile(regex, flags), group=group)


BUILTIN: tuple[Pattern, ...] = (
    _p(
        "PRIVATE_KEY",
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----",
    ),
    _p("AWS_KEY", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    _p("GITHUB_TOKEN", r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    _p("SLACK_TOKEN", r"\bxox[abpors]-[A-Za-z0-9-]{10,}\b"),
    _p("STRIPE_KEY", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b"),
    _p("GOOGLE_KEY", r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    _p("ANTHROPIC_KEY", r"\bsk-ant-[A-Za-z0-9_\-]{20,}\b"),
    _p("OPENAI_KEY", r"\bsk-(?:proj-)?[A-Za-z0-9]{20,}\b"),
    _p("JWT", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"),
    _p("URL_PASSWORD", r"://[^:/\s@]+:([^@/\s]{3,})@", group=1),
    # key = "value" where the key names a secret (the keyword detector of detect-secrets).
    _p(
        "SECRET",
        r"""(?i)(?:password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|"""
        r"""client_?secret|auth)[A-Za-z0-9_]*["']?\s*[:=]\s*[rbuRBU]?["']([^"'\s]{6,})["']""",
        group=1,
    ),
    _p("IBAN", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"),
    _p("EMAIL", r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"),
)

PLACEHOLDER = re.compile(r"MAMORI_REDACTED_[A-Z0-9_]+_\d+")


def compile_patterns(pairs: Iterable[tuple[str, str]]) -> tuple[Pattern, ...]:
    """Configured (name, regex) pairs; raises :class:`ConfigError` on a bad regex."""
    out = []
    for name, regex in pairs:
        try:
            compiled = re.compile(regex)
        except re.error as e:
            raise ConfigError(f"[ai.redaction] pattern {name!r}: invalid regex: {e}") from e
        label = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") or "CUSTOM"
        out.append(Pattern(name=label, regex=compiled))
    return tuple(out)


class Redactor:
    """Replaces sensitive values by ``MAMORI_REDACTED_<KIND>_<n>`` and restores them."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.patterns = tuple(patterns)
        self._by_value: dict[str, str] = {}
        self._by_placeholder: dict[str, str] = {}

    @property
    def count(self) -> int:
        """How many distinct values were redacted so far."""
        return len(self._by_value)

    def _placeholder(self, kind: str, value: str) -> str:
        existing = self._by_value.get(value)
        if existing is not None:
            return existing
        n = sum(1 for p in self._by_placeholder if p.startswith(f"MAMORI_REDACTED_{kind}_")) + 1
        ph = f"MAMORI_REDACTED_{kind}_{n}"
        self._by_value[value] = ph
        self._by_placeholder[ph] = value
        return ph

    def redact(self, text: str) -> str:
        # Configured patterns first: they are the organisation's own, more specific, rules.
        for pattern in self.patterns:

            def repl(m: re.Match[str], pattern: Pattern = pattern) -> str:
                value = m.group(pattern.group)
                if not value or PLACEHOLDER.fullmatch(value):
                    return m.group(0)
                ph = self._placeholder(pattern.name, value)
                start, end = m.start(pattern.group) - m.start(), m.end(pattern.group) - m.start()
                whole = m.group(0)
                return whole[:start] + ph + whole[end:]

            text = pattern.regex.sub(repl, text)
        return text

    def restore(self, text: str) -> str:
        """Put the original values back (placeholders the model invented are left as they are)."""
        return PLACEHOLDER.sub(lambda m: self._by_placeholder.get(m.group(0), m.group(0)), text)


def redactor_for(builtin: bool, configured: Iterable[tuple[str, str]]) -> Redactor:
    return Redactor((*compile_patterns(configured), *(BUILTIN if builtin else ())))
