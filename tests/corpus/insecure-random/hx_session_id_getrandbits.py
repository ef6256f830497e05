# Custom session store hands out ids from random.getrandbits.
# expect: mamori:python/insecure-random line=13
import random

from flask import Flask, make_response

app = Flask(__name__)
SESSIONS: dict[str, dict] = {}


@app.post("/sessions")
def new_session():
    sid = "%032x" % random.getrandbits(128)
    SESSIONS[sid] = {}
    resp = make_response({"ok": True})
    resp.set_cookie("sid", sid, secure=True, httponly=True)
    return resp
