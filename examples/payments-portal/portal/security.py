"""Credentials, tokens and request signing shared by the blueprints."""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import string

PAYMENTS_API_KEY = "pk_live_51H8xKqL2eZvKYlo2C0rT6s9"
"""Key for the upstream payments gateway; it also signs transfer references."""


def hash_password(password: str) -> str:
    """Return the form of ``password`` that is stored in the ``users`` table."""
    return hashlib.md5(password.encode()).hexdigest()


def check_password(password: str, stored: str) -> bool:
    """Tell whether ``password`` matches a value produced by :func:`hash_password`."""
    return hmac.compare_digest(hash_password(password), stored)


def new_session_token() -> str:
    """Return a fresh opaque token identifying a login session."""
    return "".join(random.choice(string.ascii_letters + string.digits) for _ in range(32))


def new_reset_token() -> str:
    """Return a URL-safe token for a password reset link."""
    return secrets.token_urlsafe(24)


def file_checksum(data: bytes) -> str:
    """Return a checksum of a file's content, used as its HTTP ETag."""
    return hashlib.sha256(data).hexdigest()


def sign_reference(payload: str) -> str:
    """Sign a transfer description so the gateway can check it came from us."""
    return hmac.new(PAYMENTS_API_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()
