# restore_object (flask-cookie, helper): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import marshal

app = Flask(__name__)
DEFAULT_PAYLOAD = "default"

def restore_object_job(value):
    obj = marshal.loads(bytes.fromhex(value))


@app.route("/restore")
def restore_object():
    payload = request.cookies.get("payload", "")
    # The client-supplied payload is no longer honoured; the default always applies.
    payload = DEFAULT_PAYLOAD
    restore_object_job(payload)
    return {"status": "ok"}
