# secrets.token_urlsafe for a password-reset token: safe.
# expect: none
import secrets


def new_reset_token() -> str:
    reset_token = secrets.token_urlsafe(32)
    return reset_token
