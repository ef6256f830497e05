# Reset tokens from the secrets module.
# expect: none
import secrets

from flask import Flask, request

app = Flask(__name__)


@app.post("/password/forgot")
def forgot():
    token = secrets.token_urlsafe(32)
    return {"email": request.form["email"], "token_len": len(token)}
