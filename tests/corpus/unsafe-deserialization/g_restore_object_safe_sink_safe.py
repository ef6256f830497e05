# restore_object (flask-cookie, helper): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import marshal
import json

app = Flask(__name__)

def restore_object_job(value):
    obj = json.loads(bytes.fromhex(value))


@app.route("/restore")
def restore_object():
    payload = request.cookies.get("payload", "")
    restore_object_job(payload)
    return {"status": "ok"}
