# Login compares a sha1 of the submitted password with the stored one.
# expect: mamori:python/weak-password-hash line=8
import hashlib
import hmac


def check_password(user, password: str) -> bool:
    candidate = hashlib.sha1(password.encode("utf-8")).hexdigest()
    return hmac.compare_digest(candidate, user.password_digest)
