# Deleting a cookie sets no value: safe.
# expect: none
from flask import Flask, make_response

app = Flask(__name__)


@app.post("/logout")
def logout():
    resp = make_response({"ok": True})
    resp.delete_cookie("session_token")
    return resp
