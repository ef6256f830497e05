# "Remote config" endpoint executes base64-encoded Python from the form.
# expect: mamori:python/code-injection line=13
import base64

from flask import Flask, request

app = Flask(__name__)


@app.post("/admin/apply")
def apply_patch():
    source = base64.b64decode(request.form["payload"]).decode("utf-8")
    exec(source, {"app": app})
    return {"applied": True}
