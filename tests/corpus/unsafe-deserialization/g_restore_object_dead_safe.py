# restore_object (flask-cookie, helper): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import marshal

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

def restore_object_job(value):
    obj = marshal.loads(bytes.fromhex(value))


@app.route("/restore")
def restore_object():
    payload = request.cookies.get("payload", "")
    if LEGACY_MODE:
        restore_object_job(payload)
    else:
        restore_object_job(FALLBACK)
    return {"status": "ok"}
