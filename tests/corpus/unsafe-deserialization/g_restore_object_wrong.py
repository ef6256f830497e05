# restore_object (flask-cookie, helper): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/unsafe-deserialization line=10
from flask import Flask, request
import marshal
import html

app = Flask(__name__)

def restore_object_job(value):
    obj = marshal.loads(bytes.fromhex(value))


@app.route("/restore")
def restore_object():
    payload = request.cookies.get("payload", "")
    payload = html.escape(payload)
    restore_object_job(payload)
    return {"status": "ok"}
