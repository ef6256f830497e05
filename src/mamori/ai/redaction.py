"""Redaction before anything leaves: secrets and configured patterns become stable placeholders.

Secrets are found by the detectors of `detect-secrets <https://github.com/Yelp/detect-secrets>`_
(every plugin it ships: AWS, GitHub, GitLab, Slack, Stripe, OpenAI, ... keys, JWTs, basic-auth
URLs, private keys, ``password = "..."``-style keywords, and base64/hex high-entropy strings), run
line by line over the text about to be sent. Mamori adds what those detectors leave behind:

* the *body* of a PEM private key (detect-secrets flags only the ``BEGIN ... PRIVATE KEY`` line);
* the signature of a JWT (its regex stops at the second dot);
* URL passwords with characters detect-secrets' basic-auth regex excludes (``#``, ``!``, ...);
* Anthropic and Google API keys, and ``token``/``auth``/``credential`` assignments (not in its
  keyword list);
* IBANs and e-mail addresses.

``[ai.redaction] patterns`` adds the organisation's own (bank account numbers, customer ids);
they are applied first, so their names label the placeholders.

Deliberate differences from a detect-secrets *scan*: its false-positive filters and the
``# pragma: allowlist secret`` comment are not applied (an over-redacted value costs the model a
little context; an under-redacted one leaves the bank), and no detector's ``verify`` is ever
called (verification would send the secret to its issuer).

A value maps to the same placeholder every time within one :class:`Redactor`, wherever it
appears in the text (not only where it was detected), so the model can reason about "the same
secret" and a value cannot leak through a second occurrence. :meth:`Redactor.restore` puts the
original values back into what the model returns (a patch keeps the real constant).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mamori.errors import ConfigError

if TYPE_CHECKING:
    from detect_secrets.plugins.base import BasePlugin


@dataclass(frozen=True, kw_only=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    group: int = 0  # the group that holds the sensitive value (0: the whole match)


def _p(name: str, regex: str, group: int = 0, flags: int = 0) -> Pattern:
    return Pattern(name=name, regex=re.compile(regex, flags), group=group)


# What detect-secrets 1.5 does not cover (see the module docstring). Applied over the whole text.
SUPPLEMENT: tuple[Pattern, ...] = (
    # A whole PEM block, also inside a string with "\n" escapes; then a header whose END line is
    # missing (a truncated file): the header and every base64-looking run after it.
    _p(
        "PRIVATE_KEY",
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
        r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----",
    ),
    _p(
        "PRIVATE_KEY",
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
        r"(?:(?:\\n|\s|[\"'+,()])*[A-Za-z0-9+/=:-]{8,})*",
    ),
    _p("JWT", r"\beyJ[A-Za-z0-9_=-]+\.eyJ[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*"),
    _p("URL_PASSWORD", r"://[^:/\s@\"']+:([^@/\s\"']{3,})@", group=1),
    _p("ANTHROPIC_KEY", r"\bsk-ant-[A-Za-z0-9_\-]{20,}"),
    _p("GOOGLE_KEY", r"\bAIza[0-9A-Za-z_\-]{35}"),
    _p(
        "SECRET",
        r"""(?i)\b\w*(?:token|auth|credential|bearer|client_?secret|access_?key)\w*["']?\s*"""
        r"""[:=]\s*[rbuRBU]?["']([^"'\s]{6,})["']""",
        group=1,
    ),
    _p("IBAN", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"),
    _p("EMAIL", r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"),
)

PLACEHOLDER = re.compile(r"MAMORI_REDACTED_[A-Z0-9_]+_\d+")

# Shorter placeholder names for the detect-secrets types seen most in code.
_KIND = {
    "Secret Keyword": "SECRET",
    "Base64 High Entropy String": "HIGH_ENTROPY",
    "Hex High Entropy String": "HIGH_ENTROPY",
    "Basic Auth Credentials": "URL_PASSWORD",
    "JSON Web Token": "JWT",
    "AWS Access Key": "AWS_KEY",
    "Private Key": "PRIVATE_KEY",
}
# Shorter values are not replaced everywhere in the text (they would shred ordinary code); a
# secret that short is not worth protecting by hiding anyway.
MIN_SECRET_CHARS = 4


def _kind(secret_type: str) -> str:
    return _KIND.get(secret_type) or re.sub(r"[^A-Z0-9]+", "_", secret_type.upper()).strip("_")


class SecretDetector:
    """Every detect-secrets plugin, run on single lines, without filters or verification."""

    def __init__(self) -> None:
        try:
            from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
            from detect_secrets.plugins.base import RegexBasedDetector
            from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin
            from detect_secrets.plugins.keyword import (
                QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
                KeywordDetector,
            )
        except ImportError as e:
            raise ConfigError(
                "redaction needs detect-secrets (pip install 'mamori[ai]'); "
                "no model call is made without it"
            ) from e
        classes: list[type[BasePlugin]] = list(get_mapping_from_secret_type_to_class().values())
        plugins = [cls() for cls in classes]
        # Specific detectors first: their type names the placeholder of a value several flag.
        plugins.sort(key=lambda p: isinstance(p, KeywordDetector | HighEntropyStringsPlugin))
        self.plugins = plugins
        self._keyword = KeywordDetector
        self._entropy = HighEntropyStringsPlugin
        self._regex_based = RegexBasedDetector
        self._keyword_regexes = QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP

    def _values(self, plugin: BasePlugin, line: str) -> Iterator[str]:
        # analyze_string and the denylists, not analyze_line: analyze_line may call the plugin's
        # verify(), which would send the secret to its issuer.
        if isinstance(plugin, self._keyword):
            # The quoted-value rules (detect-secrets' rules for Python and most code).
            yield from plugin.analyze_string(line, denylist_regex_to_group=self._keyword_regexes)
        elif isinstance(plugin, self._entropy):
            for value in plugin.analyze_string(line):
                if plugin.calculate_shannon_entropy(value) > plugin.entropy_limit:
                    yield value
        elif isinstance(plugin, self._regex_based):
            # Its analyze_string yields findall()'s first group, which for some detectors is
            # the token's type prefix ("ghp" of a GitHub token): a group that starts the match
            # is a prefix, so the whole match is the secret; a later group (the password of a
            # basic-auth URL) is the secret itself.
            for regex in plugin.denylist:
                for m in regex.finditer(line):
                    if regex.groups and m.start(1) > m.start():
                        yield m.group(1)
                    else:
                        yield m.group(0)
        else:
            yield from plugin.analyze_string(line)

    def find(self, text: str) -> Iterator[tuple[str, str]]:
        """(kind, value) for every secret on every line of ``text``."""
        for line in text.splitlines():
            for plugin in self.plugins:
                for value in self._values(plugin, line):
                    if value:
                        yield _kind(plugin.secret_type), value


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

    def __init__(
        self,
        configured: Sequence[Pattern],
        *,
        secrets: SecretDetector | None = None,
        supplement: Sequence[Pattern] = (),
    ) -> None:
        self.patterns = (*configured, *supplement)
        self._configured = len(tuple(configured))
        self.secrets = secrets
        self._by_value: dict[str, str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._per_kind: dict[str, int] = {}

    @property
    def count(self) -> int:
        """How many distinct values were redacted so far."""
        return len(self._by_value)

    def _placeholder(self, kind: str, value: str) -> str:
        existing = self._by_value.get(value)
        if existing is not None:
            return existing
        n = self._per_kind.get(kind, 0) + 1
        self._per_kind[kind] = n
        ph = f"MAMORI_REDACTED_{kind}_{n}"
        self._by_value[value] = ph
        self._by_placeholder[ph] = value
        return ph

    def _found(self, text: str) -> Iterator[tuple[str, str]]:
        # Configured patterns first (the organisation's names), then detect-secrets (its type
        # names), then Mamori's supplement: the first to find a value names its placeholder.
        for pattern in self.patterns[: self._configured]:
            for m in pattern.regex.finditer(text):
                yield pattern.name, m.group(pattern.group) or ""
        if self.secrets is not None:
            yield from self.secrets.find(text)
        for pattern in self.patterns[self._configured :]:
            for m in pattern.regex.finditer(text):
                yield pattern.name, m.group(pattern.group) or ""

    def redact(self, text: str) -> str:
        """``text`` with every occurrence of every sensitive value replaced.

        Values redacted in earlier calls are replaced too, even where no detector fires now.
        Overlapping values (a URL password that also reads as part of an e-mail address) are
        merged into one placeholder, so no character of either leaves.
        """
        found: dict[str, str] = {}  # value -> kind, in detection order
        for kind, value in self._found(text):
            if len(value) >= MIN_SECRET_CHARS and "MAMORI_REDACTED_" not in value:
                found.setdefault(value, kind)
        found.update({v: "" for v in self._by_value if v not in found and v in text})
        if not found:
            return text
        rank = {v: i for i, v in enumerate(found)}
        spans: list[tuple[int, int, str]] = []
        for value in found:
            at = text.find(value)
            while at >= 0:
                spans.append((at, at + len(value), value))
                at = text.find(value, at + 1)
        spans.sort()
        out: list[str] = []
        pos = 0
        i = 0
        while i < len(spans):
            start, end, first = spans[i]
            members = [first]
            i += 1
            while i < len(spans) and spans[i][0] < end:
                end = max(end, spans[i][1])
                members.append(spans[i][2])
                i += 1
            value = text[start:end]
            kind = found[min(members, key=rank.__getitem__)]
            if not kind:  # only values from earlier calls: reuse the kind of their placeholder
                kind = self._by_value[members[0]].removeprefix("MAMORI_REDACTED_").rsplit("_", 1)[0]
            out += [text[pos:start], self._placeholder(kind, value)]
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def restore(self, text: str) -> str:
        """Put the original values back (placeholders the model invented are left as they are)."""
        return PLACEHOLDER.sub(lambda m: self._by_placeholder.get(m.group(0), m.group(0)), text)


def redactor_for(builtin: bool, configured: Iterable[tuple[str, str]]) -> Redactor:
    """Configured patterns, then (``builtin``) Mamori's supplement and the detect-secrets plugins.

    Raises :class:`ConfigError` when ``builtin`` is set and detect-secrets is not installed: no
    call is made with less redaction than configured.
    """
    patterns = compile_patterns(configured)
    if not builtin:
        return Redactor(patterns)
    return Redactor(patterns, secrets=SecretDetector(), supplement=SUPPLEMENT)
