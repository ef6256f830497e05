# Six-digit one-time code for two-factor login.
# expect: mamori:python/insecure-random line=12
import random

from flask import Flask, session

app = Flask(__name__)


@app.post("/2fa/send")
def send_code():
    code = f"{random.randrange(1_000_000):06d}"
    session["pending_2fa_code"] = code
    return {"sent": True}
