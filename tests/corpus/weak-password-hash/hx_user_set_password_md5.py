# User model stores an md5 of the password.
# expect: mamori:python/weak-password-hash line=17
import hashlib
from dataclasses import dataclass

from flask import Flask, request

app = Flask(__name__)


@dataclass
class User:
    email: str
    password_hash: str = ""

    def set_password(self, password: str) -> None:
        self.password_hash = hashlib.md5(password.encode("utf-8")).hexdigest()


@app.post("/users")
def create_user():
    user = User(email=request.form["email"])
    user.set_password(request.form["password"])
    return {"email": user.email}, 201
