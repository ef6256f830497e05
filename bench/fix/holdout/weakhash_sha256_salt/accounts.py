import hashlib
import os


def make_password(raw):
    salt = os.urandom(8).hex()
    digest = hashlib.sha256((salt + raw).encode()).hexdigest()
    return f"{salt}${digest}"


def verify_password(raw, encoded):
    salt, digest = encoded.split("$", 1)
    return hashlib.sha256((salt + raw).encode()).hexdigest() == digest
