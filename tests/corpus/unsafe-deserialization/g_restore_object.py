# restore_object (flask-cookie, helper): untrusted request data reaches the sink
# expect: mamori:python/unsafe-deserialization line=9
from flask import Flask, request
import marshal

app = Flask(__name__)

def restore_object_job(value):
    obj = marshal.loads(bytes.fromhex(value))


@app.route("/restore")
def restore_object():
    payload = request.cookies.get("payload", "")
    restore_object_job(payload)
    return {"status": "ok"}
