# E-mail verification code made with random.randint.
# expect: mamori:python/insecure-random line=14
import random

from flask import Flask, request

app = Flask(__name__)
PENDING: dict[str, str] = {}


@app.post("/verify/start")
def start_verification():
    email = request.form["email"]
    verification_code = str(random.randint(100000, 999999))
    PENDING[email] = verification_code
    return {"sent": True}
