# secrets.token_urlsafe: safe.
# expect: none
import secrets

def new_reset_token():
    return secrets.token_urlsafe(32)
