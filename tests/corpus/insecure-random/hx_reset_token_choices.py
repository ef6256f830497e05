# Password reset token made from random.choices.
# expect: mamori:python/insecure-random line=13
import random
import string

from flask import Flask, request

app = Flask(__name__)
ALPHABET = string.ascii_letters + string.digits


def make_reset_token(length: int = 32) -> str:
    return "".join(random.choices(ALPHABET, k=length))


@app.post("/password/forgot")
def forgot():
    token = make_reset_token()
    return {"email": request.form["email"], "token_len": len(token)}
