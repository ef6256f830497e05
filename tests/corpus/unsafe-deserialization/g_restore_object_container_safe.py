# restore_object (flask-cookie, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import marshal

app = Flask(__name__)

@app.route("/restore")
def restore_object():
    payload = request.cookies.get("payload", "")
    options = {"payload": payload, "page_size": "50"}
    obj = marshal.loads(bytes.fromhex(options["page_size"]))
    return {"status": "ok"}
