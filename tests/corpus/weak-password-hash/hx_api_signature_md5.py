# Outgoing API request signed with md5 over the sorted params and the app secret.
# expect: mamori:python/weak-password-hash line=11
import hashlib
import os

APP_SECRET = os.environ["PARTNER_APP_SECRET"]


def sign_params(params: dict[str, str]) -> str:
    canonical = "&".join(f"{k}={params[k]}" for k in sorted(params))
    return hashlib.md5((canonical + APP_SECRET).encode()).hexdigest()
