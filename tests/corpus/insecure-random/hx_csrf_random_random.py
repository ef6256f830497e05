# CSRF token derived from random.random.
# expect: mamori:python/insecure-random line=13
import hashlib
import random

from flask import Flask, session

app = Flask(__name__)


def generate_csrf_token() -> str:
    if "_csrf_token" not in session:
        session["_csrf_token"] = hashlib.sha256(str(random.random()).encode()).hexdigest()
    return session["_csrf_token"]


app.jinja_env.globals["csrf_token"] = generate_csrf_token
