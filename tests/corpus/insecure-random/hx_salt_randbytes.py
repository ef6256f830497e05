# Password salt from random.randbytes.
# expect: mamori:python/insecure-random line=8
import hashlib
import random


def hash_password(password: str) -> str:
    salt = random.randbytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    return salt.hex() + ":" + digest.hex()
