# bcrypt for password checks; sha1 only for a file fingerprint in the same module.
# expect: none
import hashlib

import bcrypt


def check_password(stored_hash: bytes, password: str) -> bool:
    return bcrypt.checkpw(password.encode(), stored_hash)


def fingerprint(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()
