# authenticate() compares md5(pw) with the stored hash.
# expect: mamori:python/weak-password-hash line=8
import hashlib


def authenticate(users: dict[str, str], username: str, pw: str) -> bool:
    stored = users.get(username)
    return stored is not None and stored == hashlib.md5(pw.encode()).hexdigest()
