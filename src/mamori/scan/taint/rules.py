"""The taint engine's rules: id, CWE, severity and confidence defaults.

Severity reflects what an attacker gains when the flow is real (command and code execution are
critical; an open redirect or a missing cookie flag is a stepping stone). Confidence is HIGH for
a direct flow from a web source through modelled calls only, and drops one step when the flow
passes through a call the models do not know (the default propagation guessed) or starts at a
local source (environment, argv, stdin). Context rules (weak hash, insecure random, cookie
flags, hard-coded secret) have their own confidence, documented where they are detected.
"""

from __future__ import annotations

from dataclasses import dataclass

from mamori.domain import Confidence, Severity

ENGINE_ID = "mamori"
HELP_BASE = "https://mamori.dev/rules/python/"


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    name: str  # the part after "mamori:python/"
    cwe: int
    severity: Severity
    title: str
    flow: bool  # True: reported from a source-to-sink flow; False: a context rule

    @property
    def rule_id(self) -> str:
        return f"{ENGINE_ID}:python/{self.name}"

    @property
    def help_uri(self) -> str:
        return HELP_BASE + self.name


_RULES = (
    Rule(
        name="sql-injection",
        cwe=89,
        severity=Severity.HIGH,
        flow=True,
        title="SQL query built from untrusted data",
    ),
    Rule(
        name="command-injection",
        cwe=78,
        severity=Severity.CRITICAL,
        flow=True,
        title="OS command built from untrusted data",
    ),
    Rule(
        name="path-traversal",
        cwe=22,
        severity=Severity.HIGH,
        flow=True,
        title="File path built from untrusted data",
    ),
    Rule(
        name="xss",
        cwe=79,
        severity=Severity.MEDIUM,
        flow=True,
        title="Untrusted data written into an HTML response",
    ),
    Rule(
        name="code-injection",
        cwe=95,
        severity=Severity.CRITICAL,
        flow=True,
        title="Untrusted data evaluated as code",
    ),
    Rule(
        name="unsafe-deserialization",
        cwe=502,
        severity=Severity.HIGH,
        flow=True,
        title="Untrusted data deserialised with an unsafe loader",
    ),
    Rule(
        name="xxe",
        cwe=611,
        severity=Severity.HIGH,
        flow=True,
        title="Untrusted XML parsed with external entities enabled",
    ),
    Rule(
        name="xpath-injection",
        cwe=643,
        severity=Severity.MEDIUM,
        flow=True,
        title="XPath expression built from untrusted data",
    ),
    Rule(
        name="ldap-injection",
        cwe=90,
        severity=Severity.HIGH,
        flow=True,
        title="LDAP filter or DN built from untrusted data",
    ),
    Rule(
        name="open-redirect",
        cwe=601,
        severity=Severity.MEDIUM,
        flow=True,
        title="Redirect to a URL taken from untrusted data",
    ),
    Rule(
        name="ssrf",
        cwe=918,
        severity=Severity.HIGH,
        flow=True,
        title="Server-side request to a URL taken from untrusted data",
    ),
    Rule(
        name="trust-boundary",
        cwe=501,
        severity=Severity.LOW,
        flow=True,
        title="Untrusted data stored in the session",
    ),
    Rule(
        name="weak-password-hash",
        cwe=916,
        severity=Severity.HIGH,
        flow=False,
        title="Password hashed with a fast or broken hash",
    ),
    Rule(
        name="insecure-random",
        cwe=330,
        severity=Severity.MEDIUM,
        flow=False,
        title="Security value generated with the non-cryptographic random module",
    ),
    Rule(
        name="cookie-without-flags",
        cwe=614,
        severity=Severity.MEDIUM,
        flow=False,
        title="Cookie set without Secure and HttpOnly",
    ),
    Rule(
        name="hardcoded-secret",
        cwe=798,
        severity=Severity.HIGH,
        flow=False,
        title="Hard-coded credential or secret",
    ),
)

RULES: dict[str, Rule] = {r.name: r for r in _RULES}

FLOW_RULES: frozenset[str] = frozenset(r.name for r in _RULES if r.flow)


def lower(confidence: Confidence) -> Confidence:
    """One step less confident (LOW stays LOW)."""
    return {
        Confidence.HIGH: Confidence.MEDIUM,
        Confidence.MEDIUM: Confidence.LOW,
        Confidence.LOW: Confidence.LOW,
    }[confidence]
