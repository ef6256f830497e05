from __future__ import annotations

import pytest

from mamori.ai.redaction import redactor_for
from mamori.errors import ConfigError

CODE = """\
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
DB_PASSWORD = "hunter2-very-secret"
SUPPORT = "ops@bank.example"
PAYOUT_IBAN = "DE89 3704 0044 0532 0130 00"
ACCOUNT = "account 12345678901"
url = "postgres://app:s3cr3tpw@db:5432/x"
again = "ops@bank.example"
"""


def test_secrets_and_configured_patterns_become_stable_placeholders() -> None:
    r = redactor_for(True, [("account number", r"\b\d{11}\b")])
    out = r.redact(CODE)
    for secret in (
        "AKIAIOSFODNN7EXAMPLE",
        "hunter2-very-secret",
        "ops@bank.example",
        "DE89 3704 0044 0532 0130 00",
        "12345678901",
        "s3cr3tpw",
    ):
        assert secret not in out, secret
    assert "MAMORI_REDACTED_ACCOUNT_NUMBER_1" in out
    assert "MAMORI_REDACTED_AWS_KEY_1" in out
    # The same value maps to the same placeholder (both e-mails), across calls too.
    assert out.count("MAMORI_REDACTED_EMAIL_1") == 2
    assert r.redact('x = "ops@bank.example"') == 'x = "MAMORI_REDACTED_EMAIL_1"'
    assert r.restore(out) == CODE
    assert r.count == 6


def test_restore_leaves_unknown_placeholders_and_ordinary_code_alone() -> None:
    r = redactor_for(True, [])
    code = "def add(a, b):\n    return a + b  # nothing secret here\n"
    assert r.redact(code) == code
    assert r.restore("MAMORI_REDACTED_SECRET_9") == "MAMORI_REDACTED_SECRET_9"


def test_bad_configured_regex_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="invalid regex"):
        redactor_for(True, [("broken", "([")])
