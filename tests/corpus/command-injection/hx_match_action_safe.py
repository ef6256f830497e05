# Service control: the action is matched against known commands; only constants reach the shell.
# expect: none
import os

from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/service")
def service():
    action = request.form.get("action", "")
    match action:
        case "restart":
            cmd = "systemctl restart myapp"
        case "status":
            cmd = "systemctl status myapp"
        case _:
            abort(400)
    rc = os.system(cmd)
    return {"rc": rc}
