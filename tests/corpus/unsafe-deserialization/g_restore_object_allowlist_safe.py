# restore_object (flask-cookie, helper): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import marshal

app = Flask(__name__)
ALLOWED_PAYLOADS = frozenset({"alpha", "beta", "main"})

def restore_object_job(value):
    obj = marshal.loads(bytes.fromhex(value))


@app.route("/restore")
def restore_object():
    payload = request.cookies.get("payload", "")
    if payload not in ALLOWED_PAYLOADS:
        raise ValueError("unsupported payload")
    restore_object_job(payload)
    return {"status": "ok"}
