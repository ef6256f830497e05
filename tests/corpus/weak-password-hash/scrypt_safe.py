# hashlib.scrypt with a random salt for passwords: safe.
# expect: none
import hashlib
import os


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return salt.hex() + "$" + key.hex()
