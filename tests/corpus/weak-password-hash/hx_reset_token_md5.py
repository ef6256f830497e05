# Password reset token derived from the e-mail address and time with md5.
# expect: mamori:python/weak-password-hash line=14
import hashlib
import time

from flask import Flask, request

app = Flask(__name__)


@app.post("/password/forgot")
def forgot_password():
    email = request.form["email"]
    reset_token = hashlib.md5(f"{email}{time.time()}".encode()).hexdigest()
    return {"sent": True, "debug_len": len(reset_token)}
