# hashlib.new("md5") on a password.
# expect: mamori:python/weak-password-hash line=7
import hashlib


def store_credentials(username, password):
    hashed = hashlib.new("md5", password.encode()).hexdigest()
    return {"username": username, "password": hashed}
