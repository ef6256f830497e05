# Cookie with secure and httponly: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from flask import make_response

@app.post("/lang")
def lang():
    resp = make_response({"ok": True})
    resp.set_cookie("lang", "en", secure=True, httponly=True, samesite="Lax")
    return resp
