# Auth helper module: hash_pw uses hashlib.new with sha1.
# expect: mamori:python/weak-password-hash line=8
import hashlib
import hmac


def hash_pw(raw_password: str) -> str:
    h = hashlib.new("sha1")
    h.update(raw_password.encode())
    return h.hexdigest()


def verify_pw(raw_password: str, stored: str) -> bool:
    return hmac.compare_digest(hash_pw(raw_password), stored)
