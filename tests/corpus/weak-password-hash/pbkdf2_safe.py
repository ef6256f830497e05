# pbkdf2_hmac with many iterations: safe.
# expect: none
import hashlib
import os

def hash_password(password: str) -> str:
    salt = os.urandom(16)
    dk = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    return salt.hex() + dk.hex()
