# sha1 of a user's password stored on the model.
# expect: mamori:python/weak-password-hash line=8
import hashlib

class User:
    def __init__(self, name, pw_plain):
        self.name = name
        self.password_hash = hashlib.sha1(pw_plain.encode()).hexdigest()
