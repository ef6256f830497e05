"""Redaction: detect-secrets' detectors plus configured patterns, checked on the wire."""

from __future__ import annotations

import json

import pytest

from mamori.ai.prompts import PATCH, TRIAGE, user_message
from mamori.ai.redaction import redactor_for
from mamori.ai.usage import CallLog
from mamori.errors import ConfigError
from mamori.store.sql import SqlStore
from tests.ai.conftest import GatewayFactory
from tests.ai.fake_llm import FakeLLM, Reply

# Realistic shapes (AWS's documented example key pair, a JWT, a generated RSA key body, a
# GitHub token, a Slack bot token, random high-entropy strings), none of them live.
PEM_BODY = (
    "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi0rD+9yVq3kPqOLYyCxd6HcH7v\n"
    "7fXvG2nO3pY0bQ+ZkLrG4bQ1aB9XkU7eM3sV1cQwErTyUiOpAsDfGhJkLzXcVbNm\n"
    "Qw8ErTyUiOpAsDfGhJkLzXcVbNm7fXvG2nO3pY0bQ+ZkLrG4bQ1aB9XkU7eM3sV1c"
)
SECRETS = {
    "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "jwt": (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi"
        "aWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    ),
    "jwt_signature": "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "basic_auth_password": "Zk9wQ2vLm7",
    "github": "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",
    "slack": "xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJklmn",
    "hex_entropy": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "b64_entropy": "k3Jd9sLq0PzX8vR2tYw5NbM7cQ1hF6gE4uA",
    "password": "hunter2-very-secret",
    "pem_line": PEM_BODY.splitlines()[1],
    "iban": "DE89 3704 0044 0532 0130 00",
    "email": "ops@bank.example",
    "account": "98765432109",
}

SETTINGS_PY = f'''\
import requests

AWS_ACCESS_KEY_ID = "{SECRETS["aws_access_key_id"]}"
AWS_SECRET_ACCESS_KEY = "{SECRETS["aws_secret_access_key"]}"
DATABASE_URL = "postgresql://payments:{SECRETS["basic_auth_password"]}@db.internal:5432/ledger"
SERVICE_JWT = "{SECRETS["jwt"]}"
GITHUB = "{SECRETS["github"]}"
SLACK_HOOK_TOKEN = "{SECRETS["slack"]}"
SIGNING_SALT = "{SECRETS["hex_entropy"]}"
WEBHOOK_NONCE = "{SECRETS["b64_entropy"]}"
ADMIN_PASSWORD = "{SECRETS["password"]}"  # pragma: allowlist secret
SIGNING_KEY = """-----BEGIN RSA PRIVATE KEY-----
{PEM_BODY}
-----END RSA PRIVATE KEY-----"""
PAYOUT_IBAN = "{SECRETS["iban"]}"
SUPPORT = "{SECRETS["email"]}"
LEGACY_ACCOUNT = "account {SECRETS["account"]}"


def login(user):
    # The same password used again where no detector would fire on its own.
    return requests.post("https://sso", auth=(user, "{SECRETS["password"]}"))
'''

ACCOUNT = [("account number", r"\b\d{11}\b")]


def test_realistic_secrets_and_configured_patterns_become_stable_placeholders() -> None:
    r = redactor_for(True, ACCOUNT)
    out = r.redact(SETTINGS_PY)
    for name, secret in SECRETS.items():
        assert secret not in out, name
    # Each kind is named by whoever found it: the configured pattern, the detect-secrets
    # detector, or Mamori's supplement (the PEM body, the JWT signature, IBAN, e-mail).
    for placeholder in (
        "MAMORI_REDACTED_ACCOUNT_NUMBER_1",
        "MAMORI_REDACTED_AWS_KEY_1",
        "MAMORI_REDACTED_AWS_KEY_2",
        "MAMORI_REDACTED_GITHUB_TOKEN_1",
        "MAMORI_REDACTED_SLACK_TOKEN_1",
        "MAMORI_REDACTED_HIGH_ENTROPY_1",
        "MAMORI_REDACTED_JWT_1",
        "MAMORI_REDACTED_PRIVATE_KEY_1",
        "MAMORI_REDACTED_IBAN_1",
        "MAMORI_REDACTED_EMAIL_1",
        "MAMORI_REDACTED_URL_PASSWORD_1",
    ):
        assert placeholder in out, placeholder
    # The code around the secrets is untouched, so the model can still follow it.
    assert "def login(user):\n    # The same password" in out
    assert 'SIGNING_KEY = """MAMORI_REDACTED_PRIVATE_KEY_1"""' in out
    # The password is one placeholder in both places (detected once, replaced everywhere).
    [password_ph] = {
        line.split('"')[1] for line in out.splitlines() if line.startswith("ADMIN_PASSWORD")
    }
    assert out.count(password_ph) == 2
    assert r.restore(out) == SETTINGS_PY
    # Stable across calls: a later text gets the same placeholders, even where no detector fires.
    assert r.redact(f'x = f("{SECRETS["password"]}")') == f'x = f("{password_ph}")'
    assert r.redact(f"send({SECRETS['email']!r})") == "send('MAMORI_REDACTED_EMAIL_1')"


def test_a_pem_header_without_its_end_line_still_hides_the_body() -> None:
    r = redactor_for(True, [])
    truncated = f'KEY = ("-----BEGIN PRIVATE KEY-----\\n"\n    "{SECRETS["pem_line"]}\\n"\n'
    out = r.redact(truncated)
    assert SECRETS["pem_line"] not in out and "BEGIN PRIVATE KEY" not in out
    assert r.restore(out) == truncated


def test_restore_leaves_unknown_placeholders_and_ordinary_code_alone() -> None:
    r = redactor_for(True, [])
    code = (
        "def add(a, b):\n    return a + b  # nothing secret here\n\n"
        "password = request.form['password']\nurl = 'http://localhost:8000/api'\n"
    )
    assert r.redact(code) == code
    assert r.restore("MAMORI_REDACTED_SECRET_9") == "MAMORI_REDACTED_SECRET_9"


def test_bad_configured_regex_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="invalid regex"):
        redactor_for(True, [("broken", "([")])


def test_without_builtin_only_configured_patterns_apply() -> None:
    r = redactor_for(False, ACCOUNT)
    out = r.redact(SETTINGS_PY)
    assert SECRETS["account"] not in out and SECRETS["aws_access_key_id"] in out


def test_no_secret_reaches_either_server_and_patches_get_the_values_back(
    llm: FakeLLM, make_gateway: GatewayFactory, store: SqlStore
) -> None:
    verdict = {"verdict": "tp", "exploitability": "high", "reasoning": "r", "confidence": 0.9}
    llm.script(Reply(output=verdict))
    # Anthropic for config/*, the OpenAI-compatible server for the rest.
    gw = make_gateway(
        redaction={"patterns": [{"name": "account number", "regex": ACCOUNT[0][1]}]},
        classification=[{"glob": "config/*", "class": "public"}],
        routing={"public": ["claude"], "internal": ["local"]},
    )
    for path in ("config/settings.py", "app/settings.py"):
        gw.call(
            TRIAGE, paths=[path], user=user_message("triage", [(path, SETTINGS_PY)]), subject=path
        )
    assert [s.path for s in llm.seen] == ["/v1/messages", "/v1/chat/completions"]
    for seen in llm.seen:
        wire = json.dumps(seen.body)
        for name, secret in SECRETS.items():
            assert secret not in wire, (seen.path, name)
        assert "MAMORI_REDACTED_AWS_KEY_1" in wire
    # What is kept in the store is what left: redacted too, and the count is recorded.
    rows = CallLog(store.engine).calls()
    for row in rows:
        for secret in SECRETS.values():
            assert secret not in row["request_body"]
        assert row["redactions"] >= len(SECRETS) - 2  # the JWT and its signature are one value

    # A patch that keeps a placeholder gets the real value back before it is checked or applied.
    ph = gw.redactor.redact(SECRETS["password"])
    diff = f'--- a/app/settings.py\n+++ b/app/settings.py\n@@ -1 +1 @@\n-x\n+y = "{ph}"\n'
    llm.script(Reply(output={"diff": diff, "summary": "s"}))
    result = gw.call(
        PATCH,
        paths=["app/settings.py"],
        user=user_message("fix", [("app/settings.py", SETTINGS_PY)]),
        subject="F-1",
    )
    assert SECRETS["password"] not in json.dumps(llm.seen[0].body)
    assert result.redactor.restore(str(result.output["diff"])).endswith(
        f'+y = "{SECRETS["password"]}"\n'
    )
